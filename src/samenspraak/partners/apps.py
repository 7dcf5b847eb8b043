"""Partners: the register of societal organisations, their current offering (het aanbod in
beeld), the coverage of themes, target groups and districts, its gaps and overlaps, and the
partner network."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "samenspraak.partners"
    verbose_name = _("Partners and their offering")

    def ready(self) -> None:
        from samenspraak.common.audit import register_action_labels
        from samenspraak.partners import permissions  # noqa: F401  (registers the rules)

        register_action_labels(
            {
                "partner_create": _("Partner added"),
                "partner_update": _("Partner changed"),
                "partner_delete": _("Partner removed"),
                "offering_create": _("Service added"),
                "offering_update": _("Service changed"),
                "offering_delete": _("Service removed"),
                "offering_import": _("Services imported"),
            }
        )
