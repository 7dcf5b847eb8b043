"""Delete the knowledge network opt-ins nobody confirmed in time (a daily job).

The same clean-up also runs lazily whenever someone opts in, confirms or staff search the
network; this command makes sure an unconfirmed address is gone within a day of expiring even
when nobody uses the network. Run it from cron or a systemd timer:
``samenspraak committees_expire_network``.
"""

from django.core.management.base import BaseCommand

from samenspraak.committees import services


class Command(BaseCommand):
    help = "Delete knowledge network opt-ins that were not confirmed in time."

    def handle(self, *args, **options) -> None:
        deleted = services.knowledge_network_expire()
        self.stdout.write(
            f"{deleted} unconfirmed opt-in(s) older than {services.NETWORK_CONFIRM_DAYS} days "
            "deleted."
        )
