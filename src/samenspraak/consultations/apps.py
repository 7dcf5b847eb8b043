from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "samenspraak.consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from samenspraak.consultations import permissions  # noqa: F401  (registers the rules)
