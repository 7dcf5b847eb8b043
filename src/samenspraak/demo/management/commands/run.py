"""``samenspraak run``: one command from an empty checkout to a working platform.

Migrates, loads the demo, collects static files when DEBUG is off, and serves the WSGI
application with waitress (a production-grade pure-Python server, also on Windows).
"""

from __future__ import annotations

import errno

import waitress
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import get_internal_wsgi_application

from samenspraak.demo.accounts import print_login_table
from samenspraak.demo.loader import load_demo

MIN_PORT, MAX_PORT = 1, 65535


def server_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


class Command(BaseCommand):
    help = (
        "Run Samenspraak: apply migrations, load the demo data (unless --no-demo), collect "
        "static files when DEBUG is off, and serve the site with waitress."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to listen on (default 127.0.0.1; use 0.0.0.0 for every interface).",
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port to listen on, 1-65535 (default 8000)."
        )
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo data.")

    def handle(self, *args, **options) -> None:
        host, port = options["host"], options["port"]
        if not MIN_PORT <= port <= MAX_PORT:
            raise CommandError(
                f"Poort {port} kan niet: kies een getal van {MIN_PORT} tot en met {MAX_PORT}. "
                f"(Port {port} is invalid: choose a number from {MIN_PORT} to {MAX_PORT}.)"
            )
        quiet = max(options["verbosity"] - 1, 0)
        call_command("migrate", interactive=False, verbosity=quiet, stdout=self.stdout)
        if not options["no_demo"]:
            self.stdout.write(load_demo().describe())
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=quiet, stdout=self.stdout)

        url = server_url(host, port)
        self.stdout.write("")
        self.stdout.write(f"Samenspraak runs at {url}  (stop with Ctrl+C)")
        if not options["no_demo"]:
            self.stdout.write("")
            print_login_table(self.stdout)
        self.stdout.write("")
        # The same WSGI entry point as production (settings.WSGI_APPLICATION), looked up by
        # name: demo sits below config in the layers and may not import it directly.
        application = get_internal_wsgi_application()
        try:
            waitress.serve(application, host=host, port=port, threads=8)
        except OSError as exc:
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
                raise
            raise CommandError(
                f"Samenspraak kan niet luisteren op {host}:{port}: {exc.strerror}. Kies een "
                f"andere poort met --port. (Cannot listen on {host}:{port}: {exc.strerror}; "
                "choose another port with --port.)"
            ) from exc
