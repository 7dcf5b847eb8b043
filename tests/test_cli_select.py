"""``samenspraak select``: runs without Django, prints JSON, reproduces a draw from its seed."""

from __future__ import annotations

import hashlib
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


def test_a_written_distribution_redraws_the_same_panel_without_solving(tmp_path):
    published = tmp_path / "distribution.json"
    drawn = {}
    for seed in ("7", "8", "9"):
        computed = select(
            "--size",
            "5",
            "--seed",
            seed,
            "--json",
            "--write-distribution",
            str(published),
            tmp_path=tmp_path,
        )
        assert computed.returncode == 0, computed.stderr
        document = json.loads(published.read_text(encoding="utf-8"))
        assert document["format"] == "samenspraak-sortition-distribution"
        assert (
            document["people_sha256"]
            == hashlib.sha256((FIXTURES / "people.csv").read_bytes()).hexdigest()
        )
        redrawn = select(
            "--size",
            "5",
            "--seed",
            seed,
            "--json",
            "--distribution",
            str(published),
            tmp_path=tmp_path,
        )
        assert redrawn.returncode == 0, redrawn.stderr
        original, from_file = json.loads(computed.stdout), json.loads(redrawn.stdout)
        assert from_file.pop("distribution") == "file"
        assert from_file == original
        drawn[seed] = tuple(original["selected"])
    assert len(set(drawn.values())) > 1
    table = select(
        "--size", "5", "--seed", "7", "--distribution", str(published), tmp_path=tmp_path
    )
    assert table.returncode == 0, table.stderr
    assert "from the distribution in distribution.json (no solver run)" in table.stdout
    chosen = [line.split()[0] for line in table.stdout.splitlines()[2:] if " yes " in line]
    assert tuple(chosen) == drawn["7"]


def test_an_altered_people_file_is_refused_with_exit_2(tmp_path):
    published = tmp_path / "distribution.json"
    written = select(
        "--size", "5", "--seed", "1", "--write-distribution", str(published), tmp_path=tmp_path
    )
    assert written.returncode == 0, written.stderr
    altered = tmp_path / "people_altered.csv"
    altered.write_text(
        (FIXTURES / "people.csv").read_text(encoding="utf-8").replace("Lucas", "Lukas"),
        encoding="utf-8",
    )
    result = run(
        "select",
        "--people",
        str(altered),
        "--categories",
        str(FIXTURES / "categories.csv"),
        "--household-column",
        "address",
        "--size",
        "5",
        "--seed",
        "1",
        "--distribution",
        str(published),
        tmp_path=tmp_path,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "people_altered.csv is niet het bestand met mensen" in result.stderr
    assert "is not the people file distribution.json was made for" in result.stderr
    assert "categories" not in result.stderr.split("(")[0]
    wrong_size = select(
        "--size", "6", "--seed", "1", "--distribution", str(published), tmp_path=tmp_path
    )
    assert wrong_size.returncode == 2
    assert "--size is 6" in wrong_size.stderr


def test_a_tampered_panel_is_refused_naming_it(tmp_path):
    published = tmp_path / "distribution.json"
    select("--size", "5", "--seed", "1", "--write-distribution", str(published), tmp_path=tmp_path)
    document = json.loads(published.read_text(encoding="utf-8"))
    # Put a panel that seats p01 and p02 (one address) in place of the first, keeping its
    # probability and the per-person table consistent.
    first = document["panels"][0]
    others = list(document["panels"][1:])
    first["ids"] = ["p01", "p02", "p03", "p06", "p11"]
    document["panels"] = sorted([first, *others], key=lambda p: p["ids"])
    people = {}
    for panel in document["panels"]:
        for person_id in panel["ids"]:
            people[person_id] = people.get(person_id, 0.0) + float(panel["probability"])
    document["probabilities"] = {i: repr(people.get(i, 0.0)) for i in document["probabilities"]}
    published.write_text(json.dumps(document), encoding="utf-8")
    result = select(
        "--size", "5", "--seed", "1", "--distribution", str(published), tmp_path=tmp_path
    )
    assert result.returncode == 2, result.stdout
    index = [p["ids"] for p in document["panels"]].index(["p01", "p02", "p03", "p06", "p11"])
    assert f"panels[{index}].ids" in result.stderr
    assert "p01 en p02" in result.stderr and "p01 and p02" in result.stderr


def test_the_two_distribution_flags_exclude_each_other(tmp_path):
    result = select(
        "--size",
        "5",
        "--seed",
        "1",
        "--distribution",
        "a.json",
        "--write-distribution",
        "b.json",
        tmp_path=tmp_path,
    )
    assert result.returncode == 2
    assert "not allowed with" in result.stderr


def test_drawing_from_a_file_runs_no_solver(tmp_path, monkeypatch, capsys):
    import importlib

    from samenspraak import cli
    from samenspraak.core.sortition.panels import PanelProblem

    published = tmp_path / "distribution.json"
    args = [
        "--people",
        str(FIXTURES / "people.csv"),
        "--categories",
        str(FIXTURES / "categories.csv"),
        "--household-column",
        "address",
        "--size",
        "5",
        "--seed",
        "11",
        "--json",
    ]
    assert cli._select([*args, "--write-distribution", str(published)]) == 0
    computed = json.loads(capsys.readouterr().out)

    def no_solver(*args, **kwargs):
        raise AssertionError("a solver was called")

    monkeypatch.setattr(PanelProblem, "best_counts", no_solver)
    monkeypatch.setattr(PanelProblem, "pricing", no_solver)
    draw_module = importlib.import_module("samenspraak.core.sortition.draw")
    monkeypatch.setattr(draw_module, "find_distribution", no_solver)
    assert cli._select([*args, "--distribution", str(published)]) == 0
    from_file = json.loads(capsys.readouterr().out)
    assert from_file.pop("distribution") == "file"
    assert from_file == computed
    with pytest.raises(AssertionError, match="a solver was called"):
        cli._select(args)  # guard: the patches really block the ordinary path


def test_progress_goes_to_stderr_and_leaves_the_json_intact(tmp_path):
    quiet = select("--size", "5", "--seed", "11", "--json", tmp_path=tmp_path)
    loud = select("--size", "5", "--seed", "11", "--json", "--progress", tmp_path=tmp_path)
    assert quiet.returncode == loud.returncode == 0, loud.stderr
    assert quiet.stderr == ""
    assert json.loads(loud.stdout) == json.loads(quiet.stdout)
    lines = loud.stderr.splitlines()
    assert "12 people in" in lines[0] and "LEXIMIN of the relaxation" in lines[0]
    assert any("smallest probability" in line for line in lines)
    assert all(line.startswith("[") and " s] " in line for line in lines)
