from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "samenspraak.processes"
    label = "processes"
    verbose_name = _("Processes")

    def ready(self) -> None:
        from samenspraak.processes import permissions  # noqa: F401  (registers the rules)
