"""``samenspraak select``: runs without Django, prints JSON, reproduces a draw from its seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "sortition"
SCRIPT = Path(sys.executable).parent / "samenspraak"


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    if not SCRIPT.exists():
        pytest.skip("the console script is not installed next to this Python")
    # No settings module and a private var/ directory: select must not need Django at all.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["SAMENSPRAAK_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def select(*extra: str, tmp_path: Path, categories: str = "categories.csv"):
    return run(
        "select",
        "--people",
        str(FIXTURES / "people.csv"),
        "--categories",
        str(FIXTURES / categories),
        "--household-column",
        "address",
        *extra,
        tmp_path=tmp_path,
    )


def test_json_output_has_the_documented_shape(tmp_path):
    result = select("--size", "5", "--seed", "2026", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert set(output) == {
        "selected",
        "probabilities",
        "min_probability",
        "algorithm",
        "seed",
        "panel_size",
    }
    assert (output["algorithm"], output["seed"], output["panel_size"]) == ("leximin", 2026, 5)
    assert len(output["selected"]) == 5 == len(set(output["selected"]))
    assert output["selected"] == sorted(output["selected"])
    assert len(output["probabilities"]) == 12
    assert sum(output["probabilities"].values()) == pytest.approx(5.0)
    assert output["min_probability"] == pytest.approx(min(output["probabilities"].values()))
    # p01 and p02 share address A1, as do p09 and p10.
    assert not {"p01", "p02"} <= set(output["selected"])
    assert not {"p09", "p10"} <= set(output["selected"])


def test_the_seed_reproduces_the_draw(tmp_path):
    runs = [
        json.loads(select("--size", "5", "--seed", "7", "--json", tmp_path=tmp_path).stdout)
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    seeds = {
        tuple(
            json.loads(select("--size", "5", "--seed", str(s), "--json", tmp_path=tmp_path).stdout)[
                "selected"
            ]
        )
        for s in range(6)
    }
    assert len(seeds) > 1


def test_legacy_and_the_readable_table(tmp_path):
    result = select("--size", "5", "--seed", "1", "--algorithm", "legacy", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "legacy" in result.stdout and "estimated" in result.stdout
    assert "p12" in result.stdout


def test_infeasible_quotas_exit_2_with_the_explanation_on_stderr(tmp_path):
    result = select(
        "--size",
        "6",
        "--seed",
        "1",
        "--json",
        categories="categories_infeasible.csv",
        tmp_path=tmp_path,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "kunnen niet samen gelden" in result.stderr
    assert "gender=female" in result.stderr


def test_a_bad_file_exits_2_naming_file_and_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("feature,value,min,max\ngender,female,two,3\n")
    result = run(
        "select",
        "--people",
        str(FIXTURES / "people.csv"),
        "--categories",
        str(bad),
        "--size",
        "3",
        "--seed",
        "1",
        "--json",
        tmp_path=tmp_path,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "bad.csv" in result.stderr and "regel 2" in result.stderr
    missing = run(
        "select",
        "--people",
        str(tmp_path / "nowhere.csv"),
        "--categories",
        str(FIXTURES / "categories.csv"),
        "--size",
        "3",
        "--seed",
        "1",
        tmp_path=tmp_path,
    )
    assert missing.returncode == 2
    assert "nowhere.csv" in missing.stderr


def test_help_lists_select_beside_the_django_commands(tmp_path):
    for command in (["--help"], ["help"]):
        result = run(*command, tmp_path=tmp_path)
        assert result.returncode == 0, result.stderr
        listed = {line.strip() for line in result.stdout.splitlines()}
        assert {"select", "migrate", "run"} <= listed
        assert "[samenspraak analysis]" in listed
    usage = run("help", "select", tmp_path=tmp_path)
    assert "--categories" in usage.stdout
