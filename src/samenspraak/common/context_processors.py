from django.conf import settings


def theme(request):
    """Municipality name, logo and NL Design System theme for every page."""
    return {
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        "THEME_CSS_URL": settings.THEME_CSS_URL,
        "THEME_CLASS": settings.THEME_CLASS,
        "LOGO_URL": settings.LOGO_URL,
    }
