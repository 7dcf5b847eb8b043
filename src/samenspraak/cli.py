"""The ``samenspraak`` command.

Every Django management command is reachable through it (``samenspraak migrate``,
``samenspraak check --deploy``); Samenspraak adds its own, such as ``run`` and ``demo``.
Analysis commands (``select``; later pb, budget, ...) call ``samenspraak.core`` directly and
run without Django, settings or a database: they are dispatched before Django is loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_INPUT_ERROR = 2


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise _CommandError(
            f"Kan {path} niet lezen: {error.strerror}. (Cannot read {path}: {error.strerror}.)"
        ) from None
    except UnicodeDecodeError:
        raise _CommandError(f"{path} is geen UTF-8-tekst. ({path} is not UTF-8 text.)") from None


class _CommandError(Exception):
    """A problem with the command line or a file, reported on stderr with exit code 2."""


def _select_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="samenspraak select",
        description="Draw a panel by lot with quotas (LEXIMIN, Flanigan et al. 2021) from a "
        "Sortition Foundation people file and categories file; the seed reproduces the draw.",
    )
    parser.add_argument("--people", required=True, help="people CSV: an id column, one per feature")
    parser.add_argument("--categories", required=True, help="categories CSV: feature,value,min,max")
    parser.add_argument("--size", required=True, type=int, help="number of seats on the panel")
    parser.add_argument("--seed", required=True, type=int, help="public seed of the draw (>= 0)")
    parser.add_argument("--algorithm", choices=("leximin", "legacy"), default="leximin")
    parser.add_argument("--id-column", help="column with the ids (default: the first column)")
    parser.add_argument("--household-column", help="column with a household or address key")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def _select(argv: list[str]) -> int:
    options = _select_parser().parse_args(argv)
    from samenspraak.core.errors import InputError
    from samenspraak.core.sortition import read_categories_csv, read_people_csv, select

    try:
        quotas = read_categories_csv(
            _read(options.categories), filename=Path(options.categories).name
        )
        features = list(dict.fromkeys(quota.feature for quota in quotas))
        people = read_people_csv(
            _read(options.people),
            features=features,
            quotas=quotas,
            id_column=options.id_column,
            household_column=options.household_column,
            filename=Path(options.people).name,
        )
        selection = select(
            people, quotas, options.size, seed=options.seed, algorithm=options.algorithm
        )
    except (InputError, _CommandError) as error:
        print(str(error), file=sys.stderr)
        return EXIT_INPUT_ERROR
    if options.json:
        result: dict[str, Any] = {
            "selected": list(selection.selected),
            "probabilities": dict(selection.probabilities),
            "min_probability": selection.min_probability,
            "algorithm": selection.algorithm,
            "seed": selection.seed,
            "panel_size": selection.panel_size,
        }
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    chosen = set(selection.selected)
    estimated = " (estimated from 1,000 runs)" if selection.algorithm == "legacy" else ""
    print(
        f"Panel of {selection.panel_size} drawn by {selection.algorithm} with seed "
        f"{selection.seed}; smallest selection probability {selection.min_probability:.4f}"
        f"{estimated}."
    )
    width = max([len("id"), *(len(person_id) for person_id in selection.probabilities)])
    print(f"{'id':<{width}}  selected  probability")
    for person_id, probability in selection.probabilities.items():
        mark = "yes" if person_id in chosen else ""
        print(f"{person_id:<{width}}  {mark:<8}  {probability:.6f}")
    return 0


# Analysis commands: name -> (handler, argument parser for ``help NAME``).
ANALYSIS_COMMANDS: dict[str, tuple[Callable[[list[str]], int], Callable[[], Any]]] = {
    "select": (_select, _select_parser),
}


def _django_main(args: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenspraak.config.settings.base")
    from django.core.management import ManagementUtility

    class Utility(ManagementUtility):
        """Django's command runner, whose help also lists the analysis commands."""

        def main_help_text(self, commands_only: bool = False) -> str:
            text: str = super().main_help_text(commands_only)
            if commands_only:
                return "\n".join(sorted([*text.splitlines(), *ANALYSIS_COMMANDS]))
            lines = ["", "[samenspraak analysis]", *(f"    {name}" for name in ANALYSIS_COMMANDS)]
            return text + "\n" + "\n".join(lines)

    Utility(["samenspraak", *args]).execute()


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ANALYSIS_COMMANDS:
        sys.exit(ANALYSIS_COMMANDS[args[0]][0](args[1:]))
    if len(args) >= 2 and args[0] == "help" and args[1] in ANALYSIS_COMMANDS:
        ANALYSIS_COMMANDS[args[1]][1]().print_help()
        return
    _django_main(args)


if __name__ == "__main__":
    main()
