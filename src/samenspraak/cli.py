"""The ``samenspraak`` command.

Every Django management command is reachable through it (``samenspraak migrate``,
``samenspraak check --deploy``); Samenspraak adds its own, such as ``run`` and ``demo``.
Later analysis commands (pb, select, budget, ...) call ``samenspraak.core`` directly.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenspraak.config.settings.base")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["samenspraak", *argv])
    args[0] = "samenspraak"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
