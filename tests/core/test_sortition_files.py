"""Reading the Sortition Foundation's categories and people files; bad input names where."""

from __future__ import annotations

from pathlib import Path

import pytest

from samenspraak.core.errors import InputError
from samenspraak.core.sortition import Person, Quota, read_categories_csv, read_people_csv

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sortition"


def test_reads_the_fixture_categories_file():
    quotas = read_categories_csv((FIXTURES / "categories.csv").read_text())
    assert quotas[0] == Quota("gender", "female", 2, 3)
    assert [(q.feature, q.value) for q in quotas] == [
        ("gender", "female"),
        ("gender", "male"),
        ("age", "young"),
        ("age", "old"),
        ("district", "north"),
        ("district", "south"),
    ]


def test_reads_flex_columns_aliases_semicolons_and_a_bom():
    text = (
        "\ufeffCategory;Name;Min;Max;min_flex;max_flex\r\n"
        "gender;female;2;3;1;4\r\ngender;male;2;3;;\r\n"
    )
    assert read_categories_csv(text) == [
        Quota("gender", "female", 2, 3, 1, 4),
        Quota("gender", "male", 2, 3, None, None),
    ]


@pytest.mark.parametrize(
    ("text", "line", "field", "code"),
    [
        ("feature,value,min,max\ngender,female,2,three\n", 2, "max", "not_an_integer"),
        ("feature,value,min,max\ngender,female,2,3\ngender,male,4,3\n", 3, "min", "min_above_max"),
        (
            "feature,value,min,max\ngender,female,2,3\ngender,female,1,3\n",
            3,
            "value",
            "duplicate_quota",
        ),
        ("feature,value,max\ngender,female,3\n", 1, "min", "missing_column"),
        ("feature,value,min,max\ngender,,2,3\n", 2, "value", "empty_cell"),
        ("feature,value,min,max\ngender,female,-1,3\n", 2, "min", "negative"),
        (
            "feature,value,min,max,min_flex\ngender,female,2,3,3\n",
            2,
            "min_flex",
            "min_flex_above_min",
        ),
    ],
)
def test_bad_categories_name_file_line_and_column(text, line, field, code):
    with pytest.raises(InputError) as caught:
        read_categories_csv(text, filename="quota.csv")
    error = caught.value
    assert error.code == code
    assert (error.location.file, error.location.line, error.location.field) == (
        "quota.csv",
        line,
        field,
    )
    assert f"regel {line}" in str(error) and f"line {line}" in str(error)
    assert "quota.csv" in str(error)


def test_an_empty_categories_file_is_refused():
    with pytest.raises(InputError, match="leeg"):
        read_categories_csv("\n\n")
    with pytest.raises(InputError) as caught:
        read_categories_csv("feature,value,min,max\n")
    assert caught.value.code == "no_quotas"


def _quotas():
    return read_categories_csv((FIXTURES / "categories.csv").read_text())


def test_reads_the_fixture_people_file_with_households():
    people = read_people_csv(
        (FIXTURES / "people.csv").read_text(),
        features=["gender", "age", "district"],
        household_column="address",
        quotas=_quotas(),
    )
    assert len(people) == 12
    assert people[0] == Person(
        "p01", {"gender": "female", "age": "young", "district": "north"}, "A1"
    )
    assert people[1].household == "A1"


def test_id_column_can_be_named_and_other_columns_are_ignored():
    text = "name,code,gender\nAnna,x1,female\nBram,x2,male\n"
    people = read_people_csv(text, features=["gender"], id_column="code")
    assert [p.id for p in people] == ["x1", "x2"]
    assert people[0].household is None


def test_a_value_outside_the_quotas_names_line_column_and_the_allowed_values():
    text = "id,gender,age,district\np1,female,young,north\np2,other,old,south\n"
    with pytest.raises(InputError) as caught:
        read_people_csv(
            text, features=["gender", "age", "district"], quotas=_quotas(), filename="pool.csv"
        )
    error = caught.value
    assert error.code == "unknown_value"
    assert (error.location.file, error.location.line, error.location.field) == (
        "pool.csv",
        3,
        "gender",
    )
    assert "female, male" in str(error)


def test_duplicate_ids_are_refused_with_both_lines():
    text = "id,gender\np1,female\np2,male\np1,male\n"
    with pytest.raises(InputError) as caught:
        read_people_csv(text, features=["gender"])
    assert caught.value.code == "duplicate_id"
    assert caught.value.location.line == 4
    assert "regel 2" in str(caught.value)


@pytest.mark.parametrize("missing", ["age", "household"])
def test_a_missing_feature_or_household_column_names_it(missing):
    text = "id,gender\np1,female\n"
    with pytest.raises(InputError) as caught:
        if missing == "age":
            read_people_csv(text, features=["gender", "age"])
        else:
            read_people_csv(text, features=["gender"], household_column="household")
    assert caught.value.code == "missing_column"
    assert (caught.value.location.line, caught.value.location.field) == (1, missing)
