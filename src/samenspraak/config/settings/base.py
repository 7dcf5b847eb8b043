"""Settings shared by every environment; values come from the environment through ``config``.

The embedded default (``make run``) is SQLite under var/, mail to the console, DEBUG on.
Production uses ``samenspraak.config.settings.production``.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from samenspraak.config.env import config, local_secret_key

PACKAGE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(config("SAMENSPRAAK_VAR_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = config("DEBUG", True)

SECRET_KEY = config("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY ontbreekt: zet de omgevingsvariabele SECRET_KEY als DEBUG uit staat. "
            "(SECRET_KEY is required when DEBUG is off.)"
        )
    SECRET_KEY = local_secret_key(VAR_DIR)

ALLOWED_HOSTS = config("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"], split=True)
CSRF_TRUSTED_ORIGINS = config("CSRF_TRUSTED_ORIGINS", [], split=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "samenspraak.common",
    "samenspraak.accounts",
    "samenspraak.processes",
    "samenspraak.committees",
    "samenspraak.proposals",
    "samenspraak.consultations",
    "samenspraak.partners",
    "samenspraak.tenders",
    "samenspraak.api",
    "samenspraak.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samenspraak.common.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "samenspraak.common.permissions.LoginRequiredMiddleware",
]

ROOT_URLCONF = "samenspraak.config.urls"
WSGI_APPLICATION = "samenspraak.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samenspraak.common.context_processors.theme",
            ],
        },
    },
]
FORM_RENDERER = "samenspraak.common.forms.NLDesignFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        config("DATABASE_URL", f"sqlite:///{VAR_DIR / 'samenspraak.sqlite3'}"),
        conn_max_age=config("DB_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGOUT_REDIRECT_URL = "home"

# Dutch first, English second; source strings are English msgids (see docs/adr/0002).
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files (committee documents). Never served at a public URL: views check permission.
MEDIA_ROOT = Path(config("MEDIA_ROOT", str(VAR_DIR / "media"))).resolve()
COMMITTEE_DOCUMENT_MAX_MB = config("COMMITTEE_DOCUMENT_MAX_MB", 20)
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

_email = dj_email_url.parse(config("EMAIL_URL", "console://"))
EMAIL_BACKEND = config("EMAIL_BACKEND", _email["EMAIL_BACKEND"])
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
DEFAULT_FROM_EMAIL = config("DEFAULT_FROM_EMAIL", "Samenspraak <noreply@samenspraak.example>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Samenspraak API",
    "DESCRIPTION": "Processes, phases and the council's frameworks. Amounts are euro strings.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Theming: a municipality plugs in its own NL Design System token stylesheet, name and logo.
MUNICIPALITY_NAME = config("MUNICIPALITY_NAME", "Samenspraak")
THEME_CSS_URL = config("THEME_CSS_URL", "")
THEME_CLASS = config("THEME_CLASS", "samenspraak-theme")
LOGO_URL = config("LOGO_URL", "")

# Consultations: voter keys and voting codes are keyed hashes (HMAC-SHA256) with this pepper,
# so a copy of the database alone gives no e-mail address or code back. Set it once, keep it
# secret and never change it while a consultation runs (codes and e-mail links would stop
# matching). Unset: derived from SECRET_KEY (then rotating SECRET_KEY has the same effect).
VOTER_KEY_PEPPER = config("VOTER_KEY_PEPPER", "") or f"voter-key:{SECRET_KEY}"
# Hours an e-mail link to vote keeps working, and links one address may ask for per hour.
CONSULTATION_EMAIL_LINK_HOURS = config("CONSULTATION_EMAIL_LINK_HOURS", 24)
CONSULTATION_EMAIL_LINKS_PER_HOUR = config("CONSULTATION_EMAIL_LINKS_PER_HOUR", 5)

# Public forms that send mail to an address anyone can type in are rate limited in the
# database (common.throttle; the addresses are kept as keyed hashes only). Per hour: sign-ups
# for a committee from one client address (IP), and opt-ins for the knowledge network to one
# e-mail address and from one client address.
COMMITTEE_APPLICATIONS_PER_HOUR = config("COMMITTEE_APPLICATIONS_PER_HOUR", 10)
KNOWLEDGE_NETWORK_OPT_INS_PER_HOUR = config("KNOWLEDGE_NETWORK_OPT_INS_PER_HOUR", 3)
KNOWLEDGE_NETWORK_OPT_INS_PER_CLIENT_PER_HOUR = config(
    "KNOWLEDGE_NETWORK_OPT_INS_PER_CLIENT_PER_HOUR", 10
)

# OpenID Connect log-in for voting (e.g. a DigiD or eHerkenning broker), with
# mozilla-django-oidc. Off unless the client id and the provider's endpoints are set; then
# "Log in" is offered as a way to prove who you are. See .env.example.
OIDC_RP_CLIENT_ID = config("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = config("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = config("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = config("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = config("OIDC_OP_USER_ENDPOINT", "")  # not used: the ID token suffices
OIDC_OP_JWKS_ENDPOINT = config("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_ISSUER = config("OIDC_OP_ISSUER", "")
OIDC_RP_SIGN_ALGO = config("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = config("OIDC_RP_SCOPES", "openid")
OIDC_USE_PKCE = config("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = config("OIDC_TIMEOUT", 10)
OIDC_AUTH_REQUEST_EXTRA_PARAMS = (
    {"acr_values": config("OIDC_ACR_VALUES", "")} if config("OIDC_ACR_VALUES", "") else {}
)
OIDC_AUTHENTICATION_CALLBACK_URL = "consultations:oidc_callback"
OIDC_PROVIDER_NAME = config("OIDC_PROVIDER_NAME", "DigiD")
OIDC_VOTING_ENABLED = bool(
    OIDC_RP_CLIENT_ID
    and OIDC_OP_AUTHORIZATION_ENDPOINT
    and OIDC_OP_TOKEN_ENDPOINT
    and (OIDC_OP_JWKS_ENDPOINT or not OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")))
)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": config("LOG_LEVEL", "WARNING")},
}
