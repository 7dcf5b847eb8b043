"""``samenspraak tender score``: JSON or a table, exit 2 with Dutch and English on bad input.

The expected output of the worked example is the JSON written out by hand on
docs/methods/tender-scoring.md, and the totals below are the hand-computed ones from there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from samenspraak.cli_tender import _tender, _tender_parser

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "tender"
METHOD_PAGE = ROOT / "docs" / "methods" / "tender-scoring.md"
FILES = [
    "--criteria", str(FIXTURES / "criteria.csv"),
    "--scores", str(FIXTURES / "scores.csv"),
    "--prices", str(FIXTURES / "prices.csv"),
]  # fmt: skip


def score(capsys, *args: str) -> tuple[int, str, str]:
    code = _tender(["score", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def documented_json() -> dict:
    (block,) = re.findall(r"```json\n(.*?)```", METHOD_PAGE.read_text(encoding="utf-8"), re.S)
    return json.loads(block)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_worked_example_prints_exactly_the_json_on_the_method_page(capsys):
    code, out, err = score(capsys, *FILES, "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == documented_json()


def test_the_worked_example_ranking_has_the_hand_computed_totals(capsys):
    code, out, _ = score(capsys, *FILES, "--json")
    assert code == 0
    output = json.loads(out)
    assert [(r["bid"], r["total"], r["quality_total"]) for r in output["ranking"]] == [
        ("C", "77.50", "53.50"),
        ("A", "77.50", "52.50"),
        ("B", "74.00", "44.00"),
    ]
    assert output["ranking"][1]["tie_break"] == "quality_total"
    assert [(s["bid"], s["criterion"]) for s in output["spread"] if s["consensus_needed"]] == [
        ("C", "aanpak")
    ]


def test_linear_price_scoring_gives_the_totals_on_the_method_page(capsys):
    code, out, _ = score(
        capsys, *FILES, "--price-method", "linear", "--ceiling", "150.000", "--json"
    )
    assert code == 0
    output = json.loads(out)
    assert (output["price_method"], output["ceiling"]) == ("linear", "150000.00")
    assert [(r["bid"], r["scores"]["prijs"], r["total"]) for r in output["ranking"]] == [
        ("B", "10.00", "74.00"),
        ("A", "6.00", "70.50"),
        ("C", "5.00", "68.50"),
    ]


def test_every_number_in_the_json_is_a_string_with_two_decimals(capsys):
    _, out, _ = score(capsys, *FILES, "--json")
    output = json.loads(out)
    numbers = [output["lowest_price"], output["consensus_threshold"]]
    for row in output["ranking"]:
        numbers += [row["total"], row["quality_total"], row["price"]]
        numbers += [*row["scores"].values(), *row["points"].values()]
        assert isinstance(row["rank"], int)
    for row in output["spread"]:
        numbers += [row["lowest"], row["highest"], row["spread"]]
        assert isinstance(row["scorers"], int)
    assert numbers and all(re.fullmatch(r"\d+\.\d\d", n) for n in numbers), numbers


def test_the_table_shows_the_ranking_the_tie_and_the_consensus_needed(capsys):
    code, out, err = score(capsys, *FILES)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert "lowest price € 100.000" in lines[0]
    assert lines[1].split() == ["rank", "bid", "total", "quality", "aanpak", "bewoners", "prijs"]
    assert lines[2].split() == ["1", "C", "77.50", "53.50", "7.00", "8.50", "8.00"]
    assert lines[3].split() == ["2", "A", "77.50", "52.50", "7.50", "7.50", "8.33"]
    assert lines[4].split() == ["3", "B", "74.00", "44.00", "6.50", "6.00", "10.00"]
    assert "C and A have the same total; C ranks higher on the quality total." in out
    assert "  bid C, aanpak: 5.00 to 9.00 (spread 4.00, 2 scorers)" in lines


def test_a_higher_threshold_flags_nothing(capsys):
    code, out, _ = score(capsys, *FILES, "--consensus-threshold", "4")
    assert code == 0
    assert "Spread: no scorers lie more than 4.00 points apart." in out


def test_quality_only_needs_no_prices(capsys, tmp_path):
    criteria = write(tmp_path, "c.csv", "criterion,weight,type\naanpak,100,quality\n")
    scores = write(tmp_path, "s.csv", "bid,scorer,criterion,score\nX,a,aanpak,6\nY,a,aanpak,9\n")
    code, out, _ = score(capsys, "--criteria", criteria, "--scores", scores, "--json")
    assert code == 0
    output = json.loads(out)
    assert [(r["bid"], r["total"], r["price"]) for r in output["ranking"]] == [
        ("Y", "90.00", None),
        ("X", "60.00", None),
    ]
    assert output["lowest_price"] is None


def test_weights_not_adding_up_to_100_exit_2_with_dutch_then_english(capsys, tmp_path):
    criteria = write(
        tmp_path,
        "criteria.csv",
        "criterion,weight,type\naanpak,40,quality\nbewoners,30,quality\nprijs,20,price\n",
    )
    code, out, err = score(capsys, *FILES[2:], "--criteria", criteria)
    assert (code, out) == (2, "")
    assert err.strip() == (
        "bestand criteria.csv, veld 'weight': De gewichten tellen op tot 90, niet tot 100. "
        "(file criteria.csv, field 'weight': The weights add up to 90, not 100.)"
    )


@pytest.mark.parametrize(
    ("scores", "where_nl", "where_en"),
    [
        ("A,ambtenaar,aanpak,11", "regel 14, veld 'score'", "line 14, field 'score'"),
        ("D,ambtenaar,aanpak,6", "regel 14, veld 'bid'", "line 14, field 'bid'"),
        ("A,ambtenaar,kosten,6", "regel 14, veld 'criterion'", "line 14, field 'criterion'"),
        ("A,ambtenaar,aanpak,6", "regel 14, veld 'scorer'", "line 14, field 'scorer'"),
    ],
)
def test_a_bad_score_line_is_named_on_stderr(capsys, tmp_path, scores, where_nl, where_en):
    text = (FIXTURES / "scores.csv").read_text(encoding="utf-8") + scores + "\n"
    path = write(tmp_path, "scores.csv", text)
    code, out, err = score(capsys, *FILES[:2], *FILES[4:], "--scores", path)
    assert (code, out) == (2, "")
    assert err.startswith(f"bestand scores.csv, {where_nl}: ")
    assert f"(file scores.csv, {where_en}: " in err


def test_a_price_criterion_without_prices_is_an_error(capsys):
    code, _, err = score(capsys, *FILES[:4])
    assert code == 2
    assert "'prijs' is een prijscriterium, maar er zijn geen prijzen" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--ceiling", "150000"], "--ceiling hoort alleen bij --price-method linear"),
        (["--price-method", "linear"], "heeft een plafondprijs nodig"),
        (["--price-method", "linear", "--ceiling", "veel"], "'veel' is geen bedrag"),
        (["--price-method", "linear", "--ceiling", "90000"], "is niet hoger dan de laagste"),
        (["--consensus-threshold", "-1"], "is geen getal van 0 of meer"),
        (["--consensus-threshold", "drie"], "is geen getal van 0 of meer"),
    ],
)
def test_bad_options_exit_2_with_a_message(capsys, extra, message):
    code, out, err = score(capsys, *FILES, *extra)
    assert (code, out) == (2, "")
    assert message in err and "(" in err


def test_a_file_that_cannot_be_read_exits_2(capsys, tmp_path):
    code, _, err = score(capsys, *FILES[2:], "--criteria", str(tmp_path / "missing.csv"))
    assert code == 2
    assert err.startswith(f"Kan {tmp_path / 'missing.csv'} niet lezen")
    assert "(Cannot read" in err


def test_a_missing_required_option_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        _tender(["score", "--scores", "s.csv"])
    assert exit_info.value.code == 2
    assert "--criteria" in capsys.readouterr().err


def test_the_parser_offers_score_with_its_options():
    help_text = _tender_parser().format_help()
    assert "score" in help_text
    sub = _tender_parser().parse_args(["score", "--criteria", "c", "--scores", "s"])
    assert (sub.action, sub.price_method, sub.prices, sub.json) == (
        "score",
        "relative",
        None,
        False,
    )


def test_runs_in_a_fresh_python_without_django(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["SAMENSPRAAK_VAR_DIR"] = str(tmp_path)
    script = (
        "import sys\n"
        "from samenspraak.cli_tender import _tender\n"
        "code = _tender(sys.argv[1:])\n"
        "assert 'django' not in sys.modules, 'tender score loaded Django'\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "score", *FILES, "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == documented_json()
