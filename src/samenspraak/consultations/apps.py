from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "samenspraak.consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        # Register the rules and the audit trail's labels of the results services.
        from samenspraak.consultations import permissions, results  # noqa: F401
