"""``samenspraak demo``: load the four reference cases and show the demo log-ins."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from samenspraak.demo.accounts import print_login_table
from samenspraak.demo.loader import load_demo


def require_migrated_database(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse to load into a database with unapplied migrations, with a clear message."""
    executor = MigrationExecutor(connections[alias])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError(
            "De database is niet bijgewerkt: voer eerst 'samenspraak migrate' uit. "
            "(The database has unapplied migrations: run 'samenspraak migrate' first.)"
        )


class Command(BaseCommand):
    help = (
        "Load the demo data: three municipalities with their districts, one account per role "
        "and the four reference processes (Huis ter Heide, Purmerend, Zeist, Oss). "
        "Safe to run again: what already exists is left as it is."
    )

    def handle(self, *args, **options) -> None:
        require_migrated_database()
        verbose = options["verbosity"] > 1
        summary = load_demo(stdout=self.stdout if verbose else None)
        self.stdout.write(summary.describe())
        for warning in summary.warnings:
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write("")
        print_login_table(self.stdout)
