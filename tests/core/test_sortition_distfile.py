"""The published distribution file: it round-trips exactly, redraws the panel ``select`` drew,
names the location of every malformed part and refuses panels that break a quota or household.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samenspraak.core.errors import InputError
from samenspraak.core.sortition import (
    Person,
    Quota,
    draw,
    dump_distribution,
    find_distribution,
    load_distribution,
    read_categories_csv,
    read_people_csv,
    select,
    select_from_distribution,
    sha256_hex,
    verify_distribution,
)
from tests.core.test_sortition_properties import feasible_instances

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sortition"
PEOPLE_SHA = sha256_hex((FIXTURES / "people.csv").read_bytes())
CATEGORIES_SHA = sha256_hex((FIXTURES / "categories.csv").read_bytes())


@pytest.fixture(scope="module")
def pool():
    quotas = read_categories_csv((FIXTURES / "categories.csv").read_text(encoding="utf-8"))
    people = read_people_csv(
        (FIXTURES / "people.csv").read_text(encoding="utf-8"),
        features=["gender", "age", "district"],
        quotas=quotas,
        household_column="address",
    )
    return people, quotas


@pytest.fixture(scope="module")
def selection(pool):
    people, quotas = pool
    return select(people, quotas, 5, seed=2026)


@pytest.fixture(scope="module")
def text(selection):
    return dump_distribution(
        selection,
        panel_size=5,
        algorithm="leximin",
        people_sha256=PEOPLE_SHA,
        categories_sha256=CATEGORIES_SHA,
    )


def test_sha256_is_the_hex_digest_of_the_bytes():
    # The SHA-256 of the empty string, as published in FIPS 180-2 test vectors.
    assert sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_the_document_has_the_documented_shape(text, selection):
    document = json.loads(text)
    assert document["format"] == "samenspraak-sortition-distribution"
    assert document["version"] == 1
    assert (document["algorithm"], document["panel_size"]) == ("leximin", 5)
    assert (document["people_sha256"], document["categories_sha256"]) == (
        PEOPLE_SHA,
        CATEGORIES_SHA,
    )
    assert len(document["panels"]) == len(selection.panels) > 1
    first_ids, first_probability = selection.panels[0]
    assert document["panels"][0] == {
        "ids": list(first_ids),
        "probability": repr(first_probability),
    }
    assert list(document["probabilities"]) == [f"p{i:02d}" for i in range(1, 13)]
    assert all(isinstance(p, str) for p in document["probabilities"].values())


def test_round_trip_gives_the_same_floats_and_the_same_draw(text, selection, pool):
    people, quotas = pool
    panels, metadata = load_distribution(text, filename="d.json")
    assert panels == selection.panels  # exact float equality: repr reads back bit for bit
    assert metadata.algorithm == "leximin"
    assert metadata.panel_size == 5
    assert metadata.people_sha256 == PEOPLE_SHA
    assert metadata.categories_sha256 == CATEGORIES_SHA
    assert dict(metadata.probabilities) == dict(selection.probabilities)
    verify_distribution(panels, people, quotas, 5)
    drawn = set()
    for seed in range(25):
        from_file = select_from_distribution(
            panels, people, seed=seed, algorithm="leximin", panel_size=5
        )
        assert from_file == select(people, quotas, 5, seed=seed)
        assert from_file.selected == draw(panels, seed)
        drawn.add(from_file.selected)
    assert len(drawn) > 1  # the seeds really pick different panels


def test_a_bare_distribution_round_trips_too(pool):
    people, quotas = pool
    panels = find_distribution(people, quotas, 5, algorithm="legacy")
    text = dump_distribution(
        panels,
        panel_size=5,
        algorithm="legacy",
        people_sha256=PEOPLE_SHA,
        categories_sha256=CATEGORIES_SHA,
    )
    loaded, metadata = load_distribution(text, filename="d.json")
    assert loaded == panels
    assert metadata.algorithm == "legacy"
    assert set(metadata.probabilities) == {i for ids, _ in panels for i in ids}


def test_dump_refuses_a_distribution_it_could_not_read_back():
    panels = ((("b", "a"), 1.0),)
    with pytest.raises(InputError) as caught:
        dump_distribution(
            panels,
            panel_size=2,
            algorithm="leximin",
            people_sha256="0" * 64,
            categories_sha256="1" * 64,
        )
    assert caught.value.code == "distribution_not_canonical"
    with pytest.raises(ValueError, match=r"panel_size=1 .*not 5"):
        dump_distribution(
            select(
                [Person("a", {"g": "x"}), Person("b", {"g": "x"})],
                [Quota("g", "x", 1, 1)],
                1,
                seed=0,
            ),
            panel_size=5,
            algorithm="leximin",
            people_sha256="0" * 64,
            categories_sha256="1" * 64,
        )


def _set(path, value):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _delete(path):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def _swap_panels(document):
    document["panels"][0], document["panels"][1] = document["panels"][1], document["panels"][0]


def _duplicate_panel(document):
    document["panels"][1] = dict(document["panels"][0])


def _unsort_ids(document):
    document["panels"][2]["ids"].reverse()


def _repeat_id(document):
    ids = document["panels"][3]["ids"]
    ids[1] = ids[0]


def _shorten(document):
    document["panels"][3]["ids"].pop()


def _shift_mass(document):
    # Moves probability between panels without touching the per-person table... which then
    # disagrees; the sum stays 1. The first check to fail is the person table.
    a, b = document["panels"][0], document["panels"][1]
    a["probability"] = repr(float(a["probability"]) + 1e-6)
    b["probability"] = repr(float(b["probability"]) - 1e-6)


def _scale(document):
    for panel in document["panels"]:
        panel["probability"] = repr(float(panel["probability"]) * 0.99)


MALFORMED = [
    (_set(["format"], "something-else"), "distribution_format", "format"),
    (_set(["version"], 2), "distribution_version", "version"),
    (_set(["version"], True), "distribution_version", "version"),
    (_delete(["panel_size"]), "distribution_missing_key", "panel_size"),
    (_delete(["probabilities"]), "distribution_missing_key", "probabilities"),
    (_delete(["people_sha256"]), "distribution_missing_key", "people_sha256"),
    (_set(["algorithm"], "magic"), "distribution_algorithm", "algorithm"),
    (_set(["panel_size"], "5"), "distribution_panel_size", "panel_size"),
    (_set(["people_sha256"], "abc"), "distribution_sha256", "people_sha256"),
    (_set(["categories_sha256"], "G" * 64), "distribution_sha256", "categories_sha256"),
    (_set(["panels"], []), "distribution_no_panels", "panels"),
    (_set(["panels", 1], ["p01"]), "distribution_panel", "panels[1]"),
    (_delete(["panels", 2, "probability"]), "distribution_missing_key", "panels[2].probability"),
    (_delete(["panels", 0, "ids"]), "distribution_missing_key", "panels[0].ids"),
    (_set(["panels", 1, "ids"], "p01 p02"), "distribution_ids", "panels[1].ids"),
    (
        _set(["panels", 3, "probability"], "half"),
        "distribution_not_a_number",
        "panels[3].probability",
    ),
    (
        _set(["panels", 3, "probability"], "nan"),
        "distribution_not_a_number",
        "panels[3].probability",
    ),
    (
        _set(["panels", 3, "probability"], None),
        "distribution_not_a_number",
        "panels[3].probability",
    ),
    (
        _set(["panels", 3, "probability"], "1.5"),
        "distribution_probability_range",
        "panels[3].probability",
    ),
    (
        _set(["panels", 3, "probability"], -0.25),
        "distribution_probability_range",
        "panels[3].probability",
    ),
    (_scale, "distribution_sum", "panels"),
    (_repeat_id, "distribution_duplicate_id", "panels[3].ids"),
    (_shorten, "distribution_panel_size_mismatch", "panels[3].ids"),
    (_unsort_ids, "distribution_not_canonical", "panels[2].ids"),
    (_swap_panels, "distribution_not_canonical", "panels[1]"),
    (_duplicate_panel, "distribution_not_canonical", "panels[1]"),
    (_shift_mass, "distribution_probability_mismatch", None),
    (
        _set(["probabilities", "p04"], "0.9"),
        "distribution_probability_mismatch",
        "probabilities.p04",
    ),
    (_set(["probabilities", "p04"], "x"), "distribution_not_a_number", "probabilities.p04"),
    (_delete(["probabilities", "p04"]), "distribution_probability_missing", "probabilities.p04"),
    (_set(["probabilities"], []), "distribution_probabilities", "probabilities"),
]


@pytest.mark.parametrize(("change", "code", "field"), MALFORMED)
def test_every_malformed_part_is_named(text, change, code, field):
    document = json.loads(text)
    change(document)
    with pytest.raises(InputError) as caught:
        load_distribution(json.dumps(document), filename="d.json")
    error = caught.value
    assert error.code == code
    assert error.location.file == "d.json"
    if field is None:
        assert error.location.field.startswith("probabilities.")
    else:
        assert error.location.field == field
        assert f"'{field}'" in str(error)
    assert "d.json" in str(error)


def test_the_unaltered_document_passes_the_same_path(text):
    # Guard for the test above: json.loads + json.dumps by itself breaks nothing.
    load_distribution(json.dumps(json.loads(text)), filename="d.json")


@pytest.mark.parametrize(
    ("content", "line"),
    [('{\n  "format": \n}', 3), ("", 1), ("[1,\n2,\n", 3)],
)
def test_text_that_is_not_json_names_the_line(content, line):
    with pytest.raises(InputError) as caught:
        load_distribution(content, filename="d.json")
    assert caught.value.code == "distribution_not_json"
    assert caught.value.location.line == line
    assert f"regel {line}" in str(caught.value) and f"line {line}" in str(caught.value)


def test_other_refusals_of_the_json_itself(text):
    with pytest.raises(InputError) as caught:
        load_distribution(text.replace('"version": 1', '"version": 1, "version": 1'), filename="x")
    assert caught.value.code == "distribution_duplicate_key"
    assert caught.value.location.field == "version"
    with pytest.raises(InputError) as caught:
        load_distribution(text.replace('"version": 1', '"version": NaN'), filename="x")
    assert caught.value.code == "distribution_not_json"
    with pytest.raises(InputError) as caught:
        load_distribution("[]", filename="x")
    assert caught.value.code == "distribution_not_an_object"


def test_probabilities_may_be_json_numbers_as_well(text, selection):
    document = json.loads(text)
    for panel in document["panels"]:
        panel["probability"] = float(panel["probability"])
    panels, _ = load_distribution(json.dumps(document), filename="d.json")
    assert panels == selection.panels


def _hand_made(*panels):
    share = 1.0 / len(panels)
    return tuple((tuple(sorted(ids)), share) for ids in sorted(panels))


def test_verification_passes_a_hand_made_valid_distribution(pool):
    people, quotas = pool
    # p03 f/old/south, p04 m/young/south, p05 f/old/north, p06 m/old/south, p08 m/old/north
    verify_distribution(_hand_made(("p03", "p04", "p05", "p06", "p08")), people, quotas, 5)


@pytest.mark.parametrize(
    ("bad", "code", "named"),
    [
        # four women (p03, p05, p07, p09): female [2, 3] broken.
        (("p03", "p04", "p05", "p07", "p09"), "distribution_breaks_quota", "gender=female"),
        # p01 and p02 share address A1.
        (("p01", "p02", "p03", "p06", "p11"), "distribution_breaks_household", "p01"),
        (("p03", "p04", "p05", "p06", "p99"), "distribution_unknown_id", "p99"),
        (("p03", "p04", "p05", "p06"), "distribution_panel_size_mismatch", "4"),
    ],
)
def test_verification_names_the_first_bad_panel(pool, bad, code, named):
    people, quotas = pool
    good = ("p03", "p04", "p05", "p06", "p08")
    panels = _hand_made(good, bad)
    index = [ids for ids, _ in panels].index(tuple(sorted(bad)))
    with pytest.raises(InputError) as caught:
        verify_distribution(panels, people, quotas, 5, filename="d.json")
    assert caught.value.code == code
    assert caught.value.location.field == f"panels[{index}].ids"
    assert caught.value.location.file == "d.json"
    assert named in caught.value.message_nl and named in caught.value.message_en


def test_verification_checks_every_quota_not_only_gender(pool):
    people, quotas = pool
    # Two men, three women, but no one young: age=young [1, 3] broken.
    with pytest.raises(InputError) as caught:
        verify_distribution(_hand_made(("p03", "p05", "p06", "p08", "p09")), people, quotas, 5)
    assert "age=young" in caught.value.message_en
    assert "[1, 3]" in caught.value.message_en


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(feasible_instances(max_people=8), st.integers(0, 2**32), st.sampled_from(["a", "b"]))
def test_random_instances_round_trip_and_redraw_identically(instance, seed, tag):
    people, quotas, size = instance
    selection = select(people, quotas, size, seed=seed)
    people_sha, categories_sha = sha256_hex(tag.encode()), sha256_hex(b"categories")
    text = dump_distribution(
        selection,
        panel_size=size,
        algorithm="leximin",
        people_sha256=people_sha,
        categories_sha256=categories_sha,
    )
    panels, metadata = load_distribution(text, filename="d.json")
    assert panels == selection.panels
    assert metadata.people_sha256 == people_sha
    verify_distribution(panels, people, quotas, size)
    redrawn = select_from_distribution(
        panels, people, seed=seed, algorithm=metadata.algorithm, panel_size=metadata.panel_size
    )
    assert redrawn == selection
