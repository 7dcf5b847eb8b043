from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TendersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "samenspraak.tenders"
    verbose_name = _("Social tendering")

    def ready(self) -> None:
        from samenspraak.common.audit import register_action_labels
        from samenspraak.partners.network_sources import register_coalition_source
        from samenspraak.tenders import permissions  # noqa: F401  (registers the rules)
        from samenspraak.tenders.selectors import coalitions_of_municipality

        register_coalition_source(coalitions_of_municipality)

        register_action_labels(
            {
                "tender_create": _("Tender created"),
                "tender_publish": _("Tender published"),
                "tender_panel_add": _("Panel member added"),
                "tender_declare": _("Conflict of interest declared"),
                "tender_score": _("Bid scored"),
                "tender_award": _("Tender awarded"),
                "coalition_create": _("Coalition formed"),
                "coalition_add_member": _("Coalition member added"),
                "bid_create": _("Bid started"),
                "bid_update": _("Bid changed"),
                "bid_submit": _("Bid submitted"),
                "agreement_create": _("Agreement made"),
                "indicator_add": _("Indicator added"),
                "indicator_report": _("Indicator reported"),
                "indicator_report_correct": _("Indicator report corrected"),
            }
        )
