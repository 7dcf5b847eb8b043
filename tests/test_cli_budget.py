"""``samenspraak budget close``: runs without Django, prints JSON or a table, exit 2 on bad input.

The balances in the output are checked against sums computed here from the CSV files with
the csv module and Decimal, not with the readers under test.
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

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples" / "budget"
PROPOSALS = EXAMPLES / "proposals.csv"
GAP = EXAMPLES / "gap.csv"
SCRIPT = Path(sys.executable).parent / "samenspraak"


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    if not SCRIPT.exists():
        pytest.skip("the console script is not installed next to this Python")
    # No settings module and a private var/ directory: budget must not need Django at all.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["SAMENSPRAAK_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def close(*extra: str, tmp_path: Path, proposals: Path = PROPOSALS, gap: Path = GAP):
    return run(
        "budget", "close", "--proposals", str(proposals), "--gap", str(gap), *extra,
        tmp_path=tmp_path,
    )  # fmt: skip


def expected_balances(selected: list[str], gap: Path = GAP) -> list[dict[str, str]]:
    with PROPOSALS.open(encoding="utf-8") as file:
        rows = {row["id"]: row for row in csv.DictReader(file)}
    with gap.open(encoding="utf-8") as file:
        gaps = list(csv.DictReader(file))
    out = []
    for g in gaps:
        year = g["year"]
        structural = sum(Decimal(rows[i][f"structural_{year}"] or 0) for i in selected)
        incidental = sum(Decimal(rows[i][f"incidental_{year}"] or 0) for i in selected)
        gap_structural, gap_total = Decimal(g["structural"]), Decimal(g["incidental"])
        gap_total += gap_structural
        out.append(
            {
                "year": int(year),
                "structural": f"{structural - gap_structural:.2f}",
                "total": f"{structural + incidental - gap_total:.2f}",
            }
        )
    return out


def test_the_example_closes_the_gap_and_prints_the_documented_json(tmp_path):
    result = close("--alternatives", "2", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert {"feasible", "selected", "objective", "balance_per_year", "alternatives"} <= set(output)
    assert "shortfall_per_year" not in output
    assert output["feasible"] is True and output["proven_optimal"] is True
    assert output["selected"] == sorted(output["selected"]) and output["selected"]
    assert output["balance_per_year"] == expected_balances(output["selected"])
    for row in output["balance_per_year"]:
        assert Decimal(row["structural"]) >= 0 and Decimal(row["total"]) >= 0
    assert len(output["alternatives"]) == 2
    objectives = [output["objective"], *(a["objective"] for a in output["alternatives"])]
    assert objectives == sorted(objectives)
    sets = [set(output["selected"]), *(set(a["selected"]) for a in output["alternatives"])]
    assert len({frozenset(s) for s in sets}) == 3
    for alternative in output["alternatives"]:
        assert {"selected", "objective"} <= set(alternative)
        assert alternative["balance_per_year"] == expected_balances(alternative["selected"])
    # Exclusive groups: never both library proposals, never both swimming-pool proposals.
    for package in sets:
        assert not {"bieb-noord", "bieb-kern"} <= package
        assert not {"zwembad-tarief", "zwembad-uren"} <= package


def test_must_include_and_must_exclude_and_the_objective_change_the_package(tmp_path):
    base = json.loads(close("--json", tmp_path=tmp_path).stdout)
    dropped = base["selected"][0]
    forced = json.loads(
        close("--json", "--must-exclude", dropped, "--must-include", "bieb-kern",
              tmp_path=tmp_path).stdout
    )  # fmt: skip
    assert dropped not in forced["selected"] and "bieb-kern" in forced["selected"]
    assert forced["objective"] >= base["objective"]
    people = json.loads(close("--json", "--objective", "people", tmp_path=tmp_path).stdout)
    assert people["objective_name"] == "people"
    assert people["objective"] == float(people["objective"]) >= 0
    assert people["balance_per_year"] == expected_balances(people["selected"])


def test_an_impossible_gap_exits_0_with_the_shortfall(tmp_path):
    gap = tmp_path / "gap.csv"
    gap.write_text("year,structural,incidental\n2027,5000000,0\n2028,100,0\n", encoding="utf-8")
    result = close("--json", "--alternatives", "3", gap=gap, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["feasible"] is False
    assert output["selected"] == [] and output["alternatives"] == []
    shortfall = output["shortfall_per_year"]
    assert [row["year"] for row in shortfall] == [2027, 2028]
    # All proposals together save 1,240,000 structurally in 2027: 3,760,000 short at best.
    assert shortfall[0]["short"] == "3760000.00"
    assert shortfall[0]["structural"] == "-3760000.00"
    assert shortfall[1]["short"] == "0.00"
    table = close(gap=gap, tmp_path=tmp_path)
    assert table.returncode == 0
    assert "No package" in table.stdout and "3.760.000,00" in table.stdout


def test_the_table_lists_the_package_and_its_years(tmp_path):
    result = close("--alternatives", "1", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    as_json = json.loads(close("--json", tmp_path=tmp_path).stdout)
    assert "Best package" in result.stdout and "Alternative 1" in result.stdout
    assert ", ".join(as_json["selected"]) in result.stdout
    for year in ("2027", "2028", "2029", "2030"):
        assert year in result.stdout


@pytest.mark.parametrize(
    ("proposals", "gap", "groups", "expected"),
    [
        # gap.csv names 2031, proposals.csv has no columns for it
        (None, "year,structural,incidental\n2031,1,0\n", None,
         ["proposals.csv", "rij 1", "structural_2031"]),
        ("id,structural_2027,incidental_2027\na,1000,0\nb,veel,0\n",
         "year,structural,incidental\n2027,1,0\n", None,
         ["proposals.csv", "rij 3", "structural_2027", "veel"]),
        ("id,structural_2027,incidental_2027\na,1000,0\n",
         "year,structural,incidental\n2027,1,0\n", "group,id\ng,a\ng,ghost\n",
         ["groups.csv", "rij 3", "'id'", "ghost"]),
        ("id,structural_2027,incidental_2027\na,1000,0\n",
         "year,structural,incidental\n2027,duizend,0\n", None,
         ["gap.csv", "rij 2", "structural", "duizend"]),
        ("id,structural_2027,incidental_2027,support\na,1000,0,2\n",
         "year,structural,incidental\n2027,1,0\n", None,
         ["proposals.csv", "rij 2", "support"]),
    ],
)  # fmt: skip
def test_bad_files_exit_2_naming_file_row_and_column(tmp_path, proposals, gap, groups, expected):
    proposals_path = PROPOSALS
    if proposals is not None:
        proposals_path = tmp_path / "proposals.csv"
        proposals_path.write_text(proposals, encoding="utf-8")
    gap_path = tmp_path / "gap.csv"
    gap_path.write_text(gap, encoding="utf-8")
    extra = []
    if groups is not None:
        groups_path = tmp_path / "groups.csv"
        groups_path.write_text(groups, encoding="utf-8")
        extra = ["--groups", str(groups_path)]
    result = close("--json", *extra, proposals=proposals_path, gap=gap_path, tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    for part in expected:
        assert part in result.stderr


def test_unknown_ids_and_contradictions_exit_2(tmp_path):
    unknown = close("--must-include", "ghost", tmp_path=tmp_path)
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert "--must-include" in unknown.stderr and "'ghost'" in unknown.stderr
    both = close("--must-include", "bieb-noord", "bieb-kern", tmp_path=tmp_path)
    assert both.returncode == 2
    assert "bibliotheek" in both.stderr and "geen pakket mogelijk" in both.stderr
    missing = close(gap=tmp_path / "nowhere.csv", tmp_path=tmp_path)
    assert missing.returncode == 2 and "nowhere.csv" in missing.stderr
    negative = close("--alternatives", "-1", tmp_path=tmp_path)
    assert negative.returncode == 2


def test_help_lists_budget_beside_the_django_commands(tmp_path):
    result = run("--help", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    listed = {line.strip() for line in result.stdout.splitlines()}
    assert {"budget", "select", "migrate"} <= listed
    usage = run("help", "budget", tmp_path=tmp_path)
    assert usage.returncode == 0 and "close" in usage.stdout
    close_usage = run("budget", "close", "--help", tmp_path=tmp_path)
    assert "--must-include" in close_usage.stdout and "--alternatives" in close_usage.stdout
