"""The monitoring warnings of every agreement (late reports, lagging indicators), written out
and, with ``--mail``, sent as one e-mail digest to the active staff members. A weekly job:
``samenspraak tenders_monitoring_digest --mail``. Nothing is sent when there are no warnings.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from samenspraak.accounts.models import Role
from samenspraak.tenders import monitoring


class Command(BaseCommand):
    help = "Write (and with --mail, e-mail to staff) the warnings from the tender monitoring."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--mail", action="store_true", help="E-mail the digest to staff.")

    def handle(self, *args, **options) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            warnings = monitoring.all_warnings()
            body = render_to_string("tenders/monitoring_digest.txt", {"warnings": warnings})
            subject = _("Monitoring of agreements: %(count)s warnings") % {"count": len(warnings)}
        self.stdout.write(body)
        if not options["mail"] or not warnings:
            return
        staff = get_user_model().objects.filter(is_active=True, role__in=[Role.STAFF, Role.ADMIN])
        recipients = sorted({u.email for u in staff if u.email})
        if recipients:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
        self.stdout.write(f"Sent to {len(recipients)} staff member(s).")
