from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "samenspraak.committees"
    label = "committees"
    verbose_name = _("Committees")

    def ready(self) -> None:
        from samenspraak.committees import permissions  # noqa: F401  (registers the rules)
