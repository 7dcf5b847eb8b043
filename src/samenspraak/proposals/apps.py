from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "samenspraak.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from samenspraak.common.audit import register_action_labels
        from samenspraak.proposals import permissions  # noqa: F401  (registers the rules)

        register_action_labels(
            {
                "proposal_create": _("Proposal created"),
                "proposal_update": _("Proposal changed (new version)"),
                "proposal_status": _("Proposal moved to another status"),
                "proposal_check": _("Proposal checked against the frameworks"),
                "proposal_assess": _("Support, impact or people of a proposal set"),
                "proposal_settings": _("Proposal settings changed"),
                "conditions_assess": _("Conditions of a proposal assessed"),
                "amendment_propose": _("Amendment proposed"),
                "amendment_accept": _("Amendment accepted"),
                "amendment_reject": _("Amendment rejected"),
                "amendment_withdraw": _("Amendment withdrawn"),
                "comment_post": _("Comment posted"),
                "comment_hide": _("Comment removed by the moderator"),
                "package_save": _("Budget package saved"),
                "package_update": _("Budget package changed"),
                "package_check": _("Budget package checked against the frameworks"),
                "package_conditions": _("Conditions of a budget package assessed"),
                "package_status": _("Budget package moved to another status"),
            }
        )
