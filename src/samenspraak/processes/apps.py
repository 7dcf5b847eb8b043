from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "samenspraak.processes"
    label = "processes"
    verbose_name = _("Processes")

    def ready(self) -> None:
        from samenspraak.common.audit import register_action_labels
        from samenspraak.processes import permissions  # noqa: F401  (registers the rules)

        register_action_labels(
            {
                "process_create": _("Process created"),
                "process_update": _("Process changed"),
                "process_set_status": _("Status changed"),
                "process_set_current_phase": _("Current phase changed"),
                "phases_replace": _("Phases changed"),
                "themes_replace": _("Themes changed"),
                "framework_update": _("Frameworks changed"),
            }
        )
