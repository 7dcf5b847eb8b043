from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "samenspraak.committees"
    label = "committees"
    verbose_name = _("Committees")

    def ready(self) -> None:
        from samenspraak.committees import permissions  # noqa: F401  (registers the rules)
        from samenspraak.common.audit import register_action_labels

        register_action_labels(
            {
                "committee_create": _("Committee created"),
                "committee_update": _("Committee changed"),
                "committee_advance": _("Committee moved to its next step"),
                "committee_set_seed": _("New seed for the draw"),
                "committee_draw": _("Committee drawn by lot"),
                "committee_draw_replacement": _("Replacement draw for declined seats"),
                "seat_decline": _("Drawn member declined the seat"),
                "member_invite": _("Member invited"),
                "pool_import": _("Pool imported"),
                "application_decline": _("Application declined"),
                "application_restore": _("Declined application back in the pool"),
                "document_upload": _("Document added"),
                "document_delete": _("Document removed"),
                "facilitators_assign": _("Facilitators assigned"),
                "facilitator_override": _("Facilitator assignment overridden"),
                "meeting_schedule": _("Meeting scheduled"),
                "meeting_update": _("Meeting changed"),
                "message_post": _("Message posted"),
                "message_delete": _("Message removed"),
            }
        )
