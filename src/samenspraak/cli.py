"""The ``samenspraak`` command.

Every Django management command is reachable through it (``samenspraak migrate``,
``samenspraak check --deploy``); Samenspraak adds its own, such as ``run`` and ``demo``.
Analysis commands (``select``, ``budget``, ``pb``, ``tender``) call ``samenspraak.core``
directly and run without Django, settings or a database: they are dispatched before Django
is loaded.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from samenspraak.cli_tender import _tender, _tender_parser

EXIT_INPUT_ERROR = 2


def _read(path: str) -> str:
    return _read_bytes(path)[0]


def _read_bytes(path: str) -> tuple[str, bytes]:
    """The text of a file and its exact bytes (a distribution file records their SHA-256)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise _CommandError(
            f"Kan {path} niet lezen: {error.strerror}. (Cannot read {path}: {error.strerror}.)"
        ) from None
    try:
        return data.decode("utf-8-sig"), data
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
    parser.add_argument(
        "--algorithm",
        choices=("leximin", "legacy"),
        help="default leximin; with --distribution, the file's algorithm",
    )
    parser.add_argument("--id-column", help="column with the ids (default: the first column)")
    parser.add_argument("--household-column", help="column with a household or address key")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--progress",
        action="store_true",
        help="report each stage of the computation on standard error (large pools take minutes)",
    )
    published = parser.add_mutually_exclusive_group()
    published.add_argument(
        "--write-distribution",
        metavar="FILE",
        help="also write the distribution (every panel and its probability, and the SHA-256 of "
        "the people and categories files) to FILE as JSON, for publication",
    )
    published.add_argument(
        "--distribution",
        metavar="FILE",
        help="solve nothing: check the panels in this distribution file against the people and "
        "categories files and draw from it with the seed (reproduces a draw without HiGHS)",
    )
    return parser


def _progress_printer() -> Callable[[str], None]:
    """Print a progress line on standard error with the seconds since the start."""
    import time

    start = time.monotonic()

    def say(line: str) -> None:
        print(f"[{time.monotonic() - start:7.1f} s] {line}", file=sys.stderr, flush=True)

    return say


def _read_pool(options: argparse.Namespace, people_text: str, categories_text: str) -> Any:
    """The quotas and the people of ``select`` (InputError naming file, line and column)."""
    from samenspraak.core.sortition import read_categories_csv, read_people_csv

    quotas = read_categories_csv(categories_text, filename=Path(options.categories).name)
    people = read_people_csv(
        people_text,
        features=list(dict.fromkeys(quota.feature for quota in quotas)),
        quotas=quotas,
        id_column=options.id_column,
        household_column=options.household_column,
        filename=Path(options.people).name,
    )
    return people, quotas


def _select(argv: list[str]) -> int:
    options = _select_parser().parse_args(argv)
    from samenspraak.core.errors import InputError
    from samenspraak.core.sortition import (
        dump_distribution,
        select,
        sha256_hex,
    )

    try:
        if options.distribution:
            return _select_from_file(options)
        categories_text, categories_bytes = _read_bytes(options.categories)
        people_text, people_bytes = _read_bytes(options.people)
        people, quotas = _read_pool(options, people_text, categories_text)
        algorithm = options.algorithm or "leximin"
        progress = _progress_printer() if options.progress else None
        selection = select(
            people, quotas, options.size, seed=options.seed, algorithm=algorithm, progress=progress
        )
        if options.write_distribution:
            text = dump_distribution(
                selection,
                panel_size=options.size,
                algorithm=algorithm,
                people_sha256=sha256_hex(people_bytes),
                categories_sha256=sha256_hex(categories_bytes),
            )
            _write_atomically(options.write_distribution, text)
    except (InputError, _CommandError) as error:
        print(str(error), file=sys.stderr)
        return EXIT_INPUT_ERROR
    _print_selection(selection, as_json=options.json, source=None)
    return 0


def _write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so no half-written file is left."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise _CommandError(
            f"Kan {path} niet schrijven: {error.strerror}. (Cannot write {path}: {error.strerror}.)"
        ) from None


def _select_from_file(options: argparse.Namespace) -> int:
    """``select --distribution FILE``: check the file against the people and categories files
    and draw from it; no solver runs. Raises InputError or _CommandError on any mismatch."""
    from samenspraak.core.sortition import (
        load_distribution,
        select_from_distribution,
        sha256_hex,
        verify_distribution,
    )

    name = Path(options.distribution).name
    panels, metadata = load_distribution(_read(options.distribution), filename=name)
    categories_text, categories_bytes = _read_bytes(options.categories)
    people_text, people_bytes = _read_bytes(options.people)
    for label, path, data, recorded in (
        ("mensen", options.people, people_bytes, metadata.people_sha256),
        ("categorieën", options.categories, categories_bytes, metadata.categories_sha256),
    ):
        found = sha256_hex(data)
        if found != recorded:
            english = "people" if label == "mensen" else "categories"
            raise _CommandError(
                f"{path} is niet het bestand met {label} waarvoor {name} is gemaakt: de "
                f"SHA-256 is {found}, in {name} staat {recorded}. ({path} is not the "
                f"{english} file {name} was made for: its SHA-256 is {found}, {name} "
                f"records {recorded}.)"
            )
    if options.size != metadata.panel_size:
        raise _CommandError(
            f"--size is {options.size}, maar {name} is gemaakt voor panels van "
            f"{metadata.panel_size}. (--size is {options.size}, but {name} was made for "
            f"panels of {metadata.panel_size}.)"
        )
    if options.algorithm and options.algorithm != metadata.algorithm:
        raise _CommandError(
            f"--algorithm is {options.algorithm}, maar {name} is gemaakt met "
            f"{metadata.algorithm}. (--algorithm is {options.algorithm}, but {name} was made "
            f"with {metadata.algorithm}.)"
        )
    people, quotas = _read_pool(options, people_text, categories_text)
    verify_distribution(panels, people, quotas, metadata.panel_size, filename=name)
    selection = select_from_distribution(
        panels,
        people,
        seed=options.seed,
        algorithm=metadata.algorithm,
        panel_size=metadata.panel_size,
    )
    _print_selection(selection, as_json=options.json, source=name)
    return 0


def _print_selection(selection: Any, *, as_json: bool, source: str | None) -> None:
    """The result of ``select``; ``source`` names the distribution file it was drawn from."""
    if as_json:
        result: dict[str, Any] = {
            "selected": list(selection.selected),
            "probabilities": dict(selection.probabilities),
            "min_probability": selection.min_probability,
            "algorithm": selection.algorithm,
            "seed": selection.seed,
            "panel_size": selection.panel_size,
        }
        if source is not None:
            result["distribution"] = "file"
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    chosen = set(selection.selected)
    estimated = " (estimated from 1,000 runs)" if selection.algorithm == "legacy" else ""
    origin = f" from the distribution in {source} (no solver run)" if source else ""
    print(
        f"Panel of {selection.panel_size} drawn by {selection.algorithm} with seed "
        f"{selection.seed}{origin}; smallest selection probability "
        f"{selection.min_probability:.4f}{estimated}."
    )
    width = max([len("id"), *(len(person_id) for person_id in selection.probabilities)])
    print(f"{'id':<{width}}  selected  probability")
    for person_id, probability in selection.probabilities.items():
        mark = "yes" if person_id in chosen else ""
        print(f"{person_id:<{width}}  {mark:<8}  {probability:.6f}")


def _budget_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="samenspraak budget",
        description="Budget analysis without a database. 'close' chooses the package of "
        "proposals that closes every year's gap with the least harm (an exact 0-1 programme "
        "with HiGHS; see docs/methods/budget-optimiser.md).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="close")
    close = actions.add_parser(
        "close",
        prog="samenspraak budget close",
        help="close a multi-year budget gap",
        description="Choose the package of proposals that closes every year's gap (structural "
        "gaps by structural savings only) with the least harm; show the next best packages, or "
        "when nothing closes the gap, how far each year falls short at best.",
    )
    close.add_argument(
        "--proposals",
        required=True,
        help="proposals CSV: id, title, structural_YYYY and incidental_YYYY per year (euros, "
        "savings positive), optional support, impact, people, group",
    )
    close.add_argument("--gap", required=True, help="gap CSV: year,structural,incidental")
    close.add_argument(
        "--groups", help="optional CSV group,id placing proposals in exclusive groups"
    )
    close.add_argument(
        "--objective",
        choices=("support", "impact", "people"),
        default="support",
        help="harm to minimise: opposition (1 - support), impact score, or people affected",
    )
    close.add_argument(
        "--alternatives", type=_count, default=0, metavar="K", help="the K next best packages"
    )
    close.add_argument("--must-include", nargs="+", action="extend", default=[], metavar="ID")
    close.add_argument("--must-exclude", nargs="+", action="extend", default=[], metavar="ID")
    close.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 0 or more")
    return int(text)


@contextlib.contextmanager
def _solver_output_to_stderr() -> Iterator[None]:
    """Send anything the solver's C++ code prints to stderr, so stdout stays clean JSON."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # pragma: no cover - no file descriptor 1
        yield
        return
    os.dup2(2, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _budget(argv: list[str]) -> int:
    options = _budget_parser().parse_args(argv)
    from samenspraak.core.budget import (
        Objective,
        close_gap,
        read_gaps_csv,
        read_groups_csv,
        read_measures_csv,
    )
    from samenspraak.core.errors import InputError

    try:
        gaps = read_gaps_csv(_read(options.gap), filename=Path(options.gap).name)
        measures = read_measures_csv(
            _read(options.proposals),
            filename=Path(options.proposals).name,
            years=[gap.year for gap in gaps],
        )
        if options.groups:
            measures = read_groups_csv(
                _read(options.groups), filename=Path(options.groups).name, measures=measures
            )
        known = {measure.id for measure in measures}
        for flag, ids in (
            ("--must-include", options.must_include),
            ("--must-exclude", options.must_exclude),
        ):
            for unknown in [i for i in ids if i not in known][:1]:
                name = Path(options.proposals).name
                raise _CommandError(
                    f"{flag}: er is geen voorstel met id '{unknown}' in {name}. "
                    f"({flag}: there is no proposal with id '{unknown}' in {name}.)"
                )
        with _solver_output_to_stderr():
            result = close_gap(
                measures,
                gaps,
                objective=Objective(options.objective),
                must_include=options.must_include,
                must_exclude=options.must_exclude,
                alternatives=options.alternatives,
            )
    except (InputError, _CommandError) as error:
        print(str(error), file=sys.stderr)
        return EXIT_INPUT_ERROR

    def balances(rows: Any) -> list[dict[str, Any]]:
        return [
            {"year": row.year, "structural": str(row.structural), "total": str(row.total)}
            for row in rows
        ]

    best = result.best
    if options.json:
        output: dict[str, Any] = {
            "feasible": result.feasible,
            "objective_name": options.objective,
            "selected": list(best.selected) if best else [],
            "objective": best.objective if best else None,
            "balance_per_year": balances(best.balance_per_year) if best else [],
            "alternatives": [
                {
                    "selected": list(package.selected),
                    "objective": package.objective,
                    "balance_per_year": balances(package.balance_per_year),
                }
                for package in result.alternatives
            ],
            "proven_optimal": result.proven_optimal,
            "mip_gap": result.mip_gap,
        }
        if not result.feasible:
            output["shortfall_per_year"] = [
                {**row, "short": str(short.short)}
                for row, short in zip(
                    balances(result.shortfall_per_year or ()),
                    result.shortfall_per_year or (),
                    strict=True,
                )
            ]
        print(json.dumps(output, indent=2, ensure_ascii=False))
        return 0
    _print_budget(result, options.objective, len(measures))
    return 0


def _print_budget(result: Any, objective: str, candidates: int) -> None:
    from samenspraak.core.money import format_euro

    harm = {"support": "opposition", "impact": "impact", "people": "people affected"}[objective]

    def table(rows: Any, *, short: bool = False) -> None:
        head = ["year", "structural balance", "total balance", *(["short"] if short else [])]
        lines = [
            [
                str(row.year),
                format_euro(row.structural, decimals=True),
                format_euro(row.total, decimals=True),
                *([format_euro(row.short, decimals=True)] if short else []),
            ]
            for row in rows
        ]
        widths = [max(len(cell) for cell in column) for column in zip(head, *lines, strict=True)]
        for cells in (head, *lines):
            print("  ".join(cell.rjust(width) for cell, width in zip(cells, widths, strict=True)))

    if result.best is None:
        if result.shortfall_per_year is None:
            print("The time limit ran out before the solver found a package or proved none exists.")
            return
        print(
            f"No package of the {candidates} proposals closes every year. The least total "
            "shortfall possible, per year (balance = effect minus gap; negative is short):"
        )
        table(result.shortfall_per_year, short=True)
        return
    proof = "proven optimal" if result.proven_optimal else f"solver gap {result.mip_gap:.4%}"
    packages = [result.best, *result.alternatives]
    for number, package in enumerate(packages):
        title = "Best package" if number == 0 else f"Alternative {number}"
        print(
            f"{title}: {len(package.selected)} of {candidates} proposals, {harm} "
            f"{package.objective:g}{f' ({proof})' if number == 0 else ''}"
        )
        print("  " + (", ".join(package.selected) or "(no proposals needed)"))
        table(package.balance_per_year)
        if number + 1 < len(packages):
            print()


# --- samenspraak pb: Pabulib files -------------------------------------------------------

PB_RULES = (
    "greedy",
    "mes",
    "mes-add1",
    "phragmen",
    "max-utilitarian",
    "greedy-threshold",
    "greedy-no-skip",
    "greedy-neighborhood",
    "official",
)
"""The rules of ``samenspraak.core.pb.rules.RULES``, listed here so ``--help`` needs no numpy."""


class _BilingualParser(argparse.ArgumentParser):
    """An argument parser whose errors say in Dutch and English what is wrong (exit code 2)."""

    _DUTCH = (
        ("the following arguments are required:", "dit ontbreekt:"),
        ("invalid choice:", "ongeldige keuze:"),
        ("choose from", "kies uit"),
        ("unrecognized arguments:", "onbekend:"),
        ("expected one argument", "hier hoort een waarde bij"),
        ("argument ", "optie "),
    )

    def error(self, message: str) -> Any:
        dutch = message
        for english, translation in self._DUTCH:
            dutch = dutch.replace(english, translation)
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_INPUT_ERROR,
            f"{self.prog}: fout in de opdracht: {dutch}. Zie: samenspraak help pb. "
            f"(error in the command: {message}. See: samenspraak help pb.)\n",
        )


def _pb_parser() -> argparse.ArgumentParser:
    parser = _BilingualParser(
        prog="samenspraak pb",
        description="Participatory budgeting on Pabulib .pb files (pabulib.org/format), without "
        "a database. 'tally' funds projects by a voting rule; 'analyse' adds fairness measures "
        "of that outcome. Rules and tie-breaking: docs/methods/pb-rules.md.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="{tally,analyse}")
    tally = actions.add_parser(
        "tally",
        prog="samenspraak pb tally",
        help="fund projects by a voting rule",
        description="Fund projects by a voting rule and print the funded projects in the order "
        "the rule chose them, their total cost and the budget. 'official' applies the rule "
        "the file's META names (rule, min_project_score_threshold, budget_per_neighborhood); "
        "greedy-threshold, greedy-no-skip and greedy-neighborhood are those official variants.",
    )
    analyse = actions.add_parser(
        "analyse",
        prog="samenspraak pb analyse",
        help="fairness measures of a rule's outcome",
        description="Tally the file by a rule (default: the official rule of the file) and print "
        "fairness measures of the outcome: the share of voters with at least one funded project "
        "they voted for, the average satisfaction, and for approval ballots whether the outcome "
        "satisfies EJR where that can be checked.",
    )
    for action, rule_default in ((tally, None), (analyse, "official")):
        action.add_argument("file", metavar="FILE.pb", help="a Pabulib .pb file (UTF-8)")
        action.add_argument(
            "--rule",
            choices=PB_RULES,
            required=rule_default is None,
            default=rule_default,
            help="voting rule" + (f" (default: {rule_default})" if rule_default else ""),
        )
        action.add_argument(
            "--increment",
            metavar="X",
            help="mes-add1 only: raise every voter's budget by X per step (default 1)",
        )
        action.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def _pb_increment(text: str | None, rule: str) -> Any:
    if text is None:
        return None
    from decimal import Decimal, InvalidOperation

    if rule != "mes-add1":
        raise _CommandError(
            f"--increment geldt alleen voor de regel mes-add1, niet voor {rule}. "
            f"(--increment applies to the rule mes-add1 only, not to {rule}.)"
        )
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value <= 0:
        raise _CommandError(
            f"--increment {text}: geef een getal groter dan 0, zoals 1 of 0.5. "
            f"(--increment {text}: give a number above 0, such as 1 or 0.5.)"
        )
    return value


def _pb_read(path: str) -> Any:
    from samenspraak.core.pb import read_pb

    try:
        return read_pb(Path(path))
    except OSError as error:
        raise _CommandError(
            f"Kan {path} niet lezen: {error.strerror}. (Cannot read {path}: {error.strerror}.)"
        ) from None


def _pb(argv: list[str]) -> int:
    options = _pb_parser().parse_args(argv)
    from samenspraak.core.errors import InputError

    try:
        election = _pb_read(options.file)
        increment = _pb_increment(options.increment, options.rule)
        from samenspraak.core.pb.rules import tally

        with _solver_output_to_stderr():
            outcome = tally(election, options.rule, increment=increment)
        analysis = None
        if options.action == "analyse":
            from samenspraak.core.pb.analysis import analyse

            analysis = analyse(election, outcome)
    except (InputError, _CommandError) as error:
        print(str(error), file=sys.stderr)
        return EXIT_INPUT_ERROR
    name = Path(options.file).name
    if options.json:
        output: dict[str, Any] = {
            "file": name,
            "rule": outcome.rule,
            "selected": list(outcome.selected),
            "total_cost": str(outcome.total_cost),
            "budget": str(outcome.budget),
            "details": dict(outcome.details),
        }
        if analysis is not None:
            output["analysis"] = analysis.to_dict()
        print(json.dumps(output, indent=2, ensure_ascii=False, default=str))
        return 0
    _print_pb(name, election, outcome)
    if analysis is not None:
        print()
        print("Fairness of this outcome:")
        shown = ("rule", "selected", "total_cost", "budget")  # printed above already
        measures = {k: v for k, v in analysis.to_dict().items() if k not in shown}
        _print_measures(measures, indent="  ")
    return 0


def _pb_amount(amount: Any) -> str:
    return f"{amount:,}"


def _print_pb(name: str, election: Any, outcome: Any) -> None:
    currency = election.meta.get("currency", "")
    unit = f" {currency}" if currency else ""
    print(
        f"{name}: {len(election.projects):,} projects, {len(election.votes):,} voters "
        f"({election.vote_type} ballots), budget {_pb_amount(outcome.budget)}{unit}"
    )
    share = f" ({outcome.total_cost / outcome.budget:.1%})" if outcome.budget else ""
    print(
        f"Rule {outcome.rule}: {len(outcome.selected)} of {len(election.projects)} projects "
        f"funded, total cost {_pb_amount(outcome.total_cost)}{unit}{share}."
    )
    votes = {project.id: 0 for project in election.projects}
    for vote in election.votes:
        for project_id in vote.vote:
            votes[project_id] += 1
    rows = []
    for number, project_id in enumerate(outcome.selected, start=1):
        project = election.project(project_id)
        title = project.name if len(project.name) <= 60 else project.name[:59] + "…"
        rows.append(
            [str(number), project_id, _pb_amount(project.cost), f"{votes[project_id]:,}", title]
        )
    if rows:
        head = ["#", "project", f"cost{unit}", "votes", "name"]
        widths = [max(len(row[i]) for row in [head, *rows]) for i in range(4)]
        right = (True, False, True, True)
        print()
        for row in [head, *rows]:
            cells = [
                cell.rjust(width) if align else cell.ljust(width)
                for cell, width, align in zip(row, widths, right, strict=False)
            ]
            print("  ".join([*cells, " ".join(row[4].split())]).rstrip())
    if outcome.details:
        print()
    for key, value in outcome.details.items():
        print(f"{key.replace('_', ' ')}: {value}")


def _print_measures(measures: Any, indent: str) -> None:
    for key, value in measures.items():
        label = str(key).replace("_", " ")
        if isinstance(value, dict):
            print(f"{indent}{label}:")
            _print_measures(value, indent + "  ")
        elif isinstance(value, list | tuple):
            print(f"{indent}{label}: {', '.join(str(item) for item in value) or '-'}")
        elif isinstance(value, float):
            print(f"{indent}{label}: {value:.4f}")
        elif value is None:
            print(f"{indent}{label}: -")
        else:
            print(f"{indent}{label}: {value}")


# Analysis commands: name -> (handler, argument parser for ``help NAME``).
ANALYSIS_COMMANDS: dict[str, tuple[Callable[[list[str]], int], Callable[[], Any]]] = {
    "select": (_select, _select_parser),
    "budget": (_budget, _budget_parser),
    "pb": (_pb, _pb_parser),
    "tender": (_tender, _tender_parser),
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
