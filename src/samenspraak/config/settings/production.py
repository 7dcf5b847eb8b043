"""Production: DEBUG off, a real SECRET_KEY required, HTTPS-only cookies, HSTS.

Select with ``DJANGO_SETTINGS_MODULE=samenspraak.config.settings.production``.
"""

import os

os.environ.setdefault("DEBUG", "false")

from samenspraak.config.env import config
from samenspraak.config.settings.base import *  # noqa: F403

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

SECURE_SSL_REDIRECT = config("SECURE_SSL_REDIRECT", True)
# Load balancers probe the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^gezond/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = config("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = config("SECURE_HSTS_PRELOAD", True)

_redis = config("REDIS_URL", "")
if _redis:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
