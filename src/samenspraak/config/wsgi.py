import os

from django.core.wsgi import get_wsgi_application

# A WSGI/ASGI server is production unless told otherwise; `samenspraak run` sets the
# embedded (base) settings itself before it loads this module.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenspraak.config.settings.production")
application = get_wsgi_application()
