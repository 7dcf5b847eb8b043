"""``samenspraak pb tally`` and ``pb analyse``: run without Django, print JSON or a table, exit 2
with a Dutch-then-English message and nothing on stdout for a bad file or option.

The outcomes on tests/fixtures/pb/approval.pb (budget 100,000; ten voters, so 10,000 each under
the Method of Equal Shares) are worked out by hand, with cost satisfaction:

    project  cost    approved by
    A        63,000  voters 1-7
    B        36,000  voters 1-6
    C        30,000  voters 7-10
    D         5,000  voter 10

- greedy (most approvals first, skip what does not fit): A (7), B (6) = 99,000; C and D no
  longer fit. The file's META rule is greedy, so ``official`` gives the same, and its
  ``selected`` column marks A and B.
- mes: A first (7 supporters pay 9,000 each: 1/7 per unit of satisfaction, the lowest); B's
  supporters have 1,000 each left, 6,000 < 36,000: out. C: voter 7 pays his last 1,000, voters
  8-10 pay 29,000/3 each (rho 0.32 < D's 1), so C; voter 10 then has 333 left, too little for
  D. Outcome A, C = 93,000.
- mes-add1: every voter's budget rises by 1 per step. B becomes affordable after A only at
  15,000 per voter (6 x (b - 9,000) >= 36,000), where A, B, C would cost 129,000: too much.
  From 13,500 per voter voter 10 keeps 5,000 after C ((4b - 39,000)/3 >= 5,000), so D is
  funded too: A, C, D = 98,000, with 2,000 left and nothing that fits.
- phragmen: voters earn 1 per unit of time; D is bought at t = 5,000 (voter 10 alone), B at
  6,000 (6 x 6,000), C at 8,750 (voters 7-9 have 8,750, voter 10 3,750 = 30,000); A (63,000)
  no longer fits in the 29,000 left. Outcome D, B, C = 71,000.
- max-utilitarian: welfare = sum of cost x approvals: A+B 441+216 = 657 (thousand) beats
  A+C+D 566 and every other affordable set.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from samenspraak.cli import PB_RULES, main
from tests.realdata import REAL_PABULIB, needs_real_pabulib

FIXTURES = Path(__file__).parent / "fixtures" / "pb"
APPROVAL = FIXTURES / "approval.pb"
SCRIPT = Path(sys.executable).parent / "samenspraak"
REAL = REAL_PABULIB
needs_real_data = needs_real_pabulib

EXPECTED = {
    "greedy": ["A", "B"],
    "official": ["A", "B"],
    "mes": ["A", "C"],
    "mes-add1": ["A", "C", "D"],
    "phragmen": ["D", "B", "C"],
}


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    if not SCRIPT.exists():
        pytest.skip("the console script is not installed next to this Python")
    # No settings module and a private var/ directory: pb must not need Django at all.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["SAMENSPRAAK_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [str(SCRIPT), "pb", *args], capture_output=True, text=True, env=env, timeout=300,
        check=False,
    )  # fmt: skip


def run_here(capsys, *args: str) -> tuple[int, str, str]:
    """The command in this process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exit_:
        main(["pb", *args])
    captured = capsys.readouterr()
    return exit_.value.code, captured.out, captured.err


def costs_in(path: Path) -> dict[str, Decimal]:
    """Project costs read with the csv module alone (not the reader under test)."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    start, end = lines.index("PROJECTS") + 2, lines.index("VOTES")
    rows = csv.reader(lines[start:end], delimiter=";")
    header = lines[start - 1].split(";")
    at_id, at_cost = header.index("project_id"), header.index("cost")
    return {row[at_id]: Decimal(row[at_cost].replace(",", ".")) for row in rows if row}


def selected_column(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    start, end = lines.index("PROJECTS") + 1, lines.index("VOTES")
    rows = list(csv.DictReader(lines[start:end], delimiter=";"))
    return {row["project_id"] for row in rows if row["selected"].strip() == "1"}


# --- tally ---------------------------------------------------------------------------------


def test_tally_json_in_a_process_without_django(tmp_path):
    result = run("tally", str(APPROVAL), "--rule", "greedy", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert {"rule", "selected", "total_cost", "budget"} <= set(output)
    assert output["rule"] == "greedy"
    assert output["selected"] == EXPECTED["greedy"]
    assert output["budget"] == "100000"
    costs = costs_in(APPROVAL)
    assert Decimal(output["total_cost"]) == sum(costs[p] for p in output["selected"])
    assert isinstance(output["total_cost"], str)


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_each_rule_funds_the_projects_worked_out_by_hand(capsys, rule):
    code, out, err = run_here(capsys, "tally", str(APPROVAL), "--rule", rule, "--json")
    assert code == 0, err
    output = json.loads(out)
    assert output["selected"] == EXPECTED[rule]
    costs = costs_in(APPROVAL)
    assert Decimal(output["total_cost"]) == sum(costs[p] for p in EXPECTED[rule])
    assert Decimal(output["budget"]) == 100000


def test_max_utilitarian_funds_the_set_of_highest_welfare(capsys):
    code, out, err = run_here(capsys, "tally", str(APPROVAL), "--rule", "max-utilitarian", "--json")
    assert code == 0, err
    output = json.loads(out)
    assert sorted(output["selected"]) == ["A", "B"]
    assert output["total_cost"] in ("99000", "99000.00")


def test_official_reproduces_the_selected_column_of_the_fixture(capsys):
    assert selected_column(APPROVAL) == {"A", "B"}
    code, out, _ = run_here(capsys, "tally", str(APPROVAL), "--rule", "official", "--json")
    assert code == 0
    assert set(json.loads(out)["selected"]) == selected_column(APPROVAL)


def test_increment_steps_mes_add1(capsys):
    # In steps of 1,000: 10,000 ... 13,000 per voter give A, C; 14,000 gives A, C, D (98,000)
    # with nothing left that fits, so the completion stops there.
    code, out, err = run_here(
        capsys, "tally", str(APPROVAL), "--rule", "mes-add1", "--increment", "1000", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["selected"] == ["A", "C", "D"]


def test_the_table_lists_the_funded_projects_in_order(tmp_path):
    result = run("tally", str(APPROVAL), "--rule", "mes", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("approval.pb: 4 projects, 10 voters (approval ballots)")
    assert "budget 100,000 EUR" in lines[0]
    assert "2 of 4 projects funded, total cost 93,000 EUR (93.0%)" in lines[1]
    rows = [line.split() for line in lines if line[:1].isdigit()]
    assert [row[:4] for row in rows] == [["1", "A", "63,000", "7"], ["2", "C", "30,000", "4"]]
    assert "Speeltuin bij de school" in result.stdout and "Moestuin" in result.stdout


@pytest.mark.parametrize("name", ["cumulative", "scoring", "ordinal"])
def test_greedy_counts_the_other_ballot_types(capsys, name):
    path = FIXTURES / f"{name}.pb"
    code, out, err = run_here(capsys, "tally", str(path), "--rule", "greedy", "--json")
    assert code == 0, err
    output = json.loads(out)
    costs = costs_in(path)
    assert output["selected"] and set(output["selected"]) <= set(costs)
    assert len(set(output["selected"])) == len(output["selected"])
    total = sum(costs[p] for p in output["selected"])
    assert Decimal(output["total_cost"]) == total <= Decimal(output["budget"])
    # Greedy leaves nothing out that would still fit.
    left = Decimal(output["budget"]) - total
    assert all(cost > left for p, cost in costs.items() if p not in output["selected"])


# --- analyse -------------------------------------------------------------------------------


def test_analyse_adds_the_measures_to_the_same_outcome(capsys):
    # mes funds A and C: every voter approves one of them.
    code, out, err = run_here(capsys, "analyse", str(APPROVAL), "--rule", "mes", "--json")
    assert code == 0, err
    output = json.loads(out)
    assert output["selected"] == EXPECTED["mes"]
    assert output["analysis"]["share_with_funded_project"] == 1.0
    # greedy funds A and B: voters 8-10 approve neither. Voters 1-6 have 63,000 + 36,000 of
    # their projects funded, voter 7 63,000: (6 x 99,000 + 63,000) / 10 = 65,700 on average.
    code, out, _ = run_here(capsys, "analyse", str(APPROVAL), "--rule", "greedy", "--json")
    analysis = json.loads(out)["analysis"]
    assert analysis["share_with_funded_project"] == pytest.approx(0.7)
    assert Decimal(analysis["average_cost_satisfaction"]) == 65700
    code, table, _ = run_here(capsys, "analyse", str(APPROVAL))  # default: the official rule
    assert code == 0
    assert "Rule official" in table and "Fairness of this outcome:" in table
    assert "share with funded project: 0.7000" in table


# --- bad files and options -----------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "wijk.pb") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_HEAD = "META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\nA;60\nB;40\nVOTES\n"


@pytest.mark.parametrize(
    ("text", "nl", "en"),
    [
        ("META\nkey;value\nbudget;100\n", "regel 4", "line 4"),
        ("META\nkey;value\nbudget;honderd\nPROJECTS\n", "regel 3", "line 3"),
        (GOOD_HEAD + "voter_id;vote\n1;A,C\n", "'C'", "'C'"),
        (GOOD_HEAD + "voter_id;vote\n1;A\n1;B\n", "regel 11", "line 11"),
        ("META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\nA;zestig\n", "regel 6", "line 6"),
    ],
)
def test_a_bad_file_exits_2_with_dutch_then_english_and_no_output(tmp_path, capsys, text, nl, en):
    path = write(tmp_path, text)
    code, out, err = run_here(capsys, "tally", str(path), "--rule", "greedy", "--json")
    assert code == 2
    assert out == ""
    assert nl in err and en in err
    assert err.index("bestand wijk.pb") < err.index("(file wijk.pb")


def test_a_bad_file_exits_2_in_a_process_too(tmp_path):
    path = write(tmp_path, GOOD_HEAD + "voter_id;vote\n1;A;extra\n")
    result = run("analyse", str(path), "--json", tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.index("regel 10") < result.stderr.index("line 10")


@pytest.mark.parametrize(
    "args",
    [
        ["tally", str(APPROVAL)],  # --rule is required for tally
        ["tally", str(APPROVAL), "--rule", "borda"],
        ["tally", str(APPROVAL), "--rule", "greedy", "--increment", "5"],  # mes-add1 only
        ["tally", str(APPROVAL), "--rule", "mes-add1", "--increment", "0"],
        ["tally", str(APPROVAL), "--rule", "mes-add1", "--increment", "veel"],
        ["tally", str(FIXTURES / "missing.pb"), "--rule", "greedy"],
        ["tally", str(FIXTURES), "--rule", "greedy"],  # a folder
        ["count", str(APPROVAL)],
        [],
    ],
)
def test_a_bad_option_exits_2_with_a_message_in_both_languages(capsys, args):
    code, out, err = run_here(capsys, *args)
    assert code == 2
    assert out == ""
    last = err.strip().splitlines()[-1]
    assert "(" in last and last.endswith(")")  # Dutch, then English in brackets
    dutch, english = last.split(" (", 1)
    assert dutch and english and dutch != english


def test_not_utf8_names_the_line(tmp_path, capsys):
    path = tmp_path / "latin1.pb"
    path.write_bytes(b"META\nkey;value\nbudget;100\nunit;Z\xfcrich\nPROJECTS\n")
    code, out, err = run_here(capsys, "tally", str(path), "--rule", "greedy")
    assert (code, out) == (2, "")
    assert "regel 4" in err and "UTF-8" in err


# --- the command line and the rules --------------------------------------------------------


def test_help_lists_both_actions_and_every_rule(tmp_path):
    if not SCRIPT.exists():
        pytest.skip("the console script is not installed next to this Python")
    env = {**os.environ, "SAMENSPRAAK_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [str(SCRIPT), "help", "pb"], capture_output=True, text=True, env=env, timeout=120,
        check=True,
    )  # fmt: skip
    assert "tally" in result.stdout and "analyse" in result.stdout
    tally_help = run("tally", "--help", tmp_path=tmp_path).stdout
    assert all(rule in tally_help for rule in PB_RULES)


def test_the_cli_offers_exactly_the_rules_of_the_engine():
    from samenspraak.core.pb.rules import RULES

    assert set(PB_RULES) == set(RULES)


# --- the real Pabulib files ----------------------------------------------------------------


@needs_real_data
@pytest.mark.parametrize(
    "name", ["Poland_Warszawa_2026_Bemowo.pb", "Poland_Warszawa_2026.pb"]
)  # fmt: skip
def test_official_reproduces_the_selected_column_of_a_real_file(capsys, name):
    path = REAL / name
    code, out, err = run_here(capsys, "tally", str(path), "--rule", "official", "--json")
    assert code == 0, err
    output = json.loads(out)
    assert set(output["selected"]) == selected_column(path)
    costs = costs_in(path)
    assert Decimal(output["total_cost"]) == sum(costs[p] for p in output["selected"])


@needs_real_data
def test_every_real_file_tallies_by_greedy_in_a_process(tmp_path):
    for path in sorted(REAL.glob("*.pb")):
        result = run("tally", str(path), "--rule", "greedy", "--json", tmp_path=tmp_path)
        assert result.returncode == 0, (path.name, result.stderr)
        output = json.loads(result.stdout)
        costs = costs_in(path)
        total = sum(costs[p] for p in output["selected"])
        assert Decimal(output["total_cost"]) == total <= Decimal(output["budget"])
