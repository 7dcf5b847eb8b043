"""Drawing by lot: pools from the form and from CSV, reproducible draws, infeasible quotas.

The draw itself is ``samenspraak.core.sortition``; these tests check what the web layer
stores around it: the exact files, the seed, the probabilities, the members, and that a
failed draw or a bad file leaves nothing behind.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from samenspraak.committees import selectors, services
from samenspraak.committees.models import (
    Application,
    ApplicationStatus,
    Draw,
    MemberRole,
    Membership,
    MembershipSource,
)
from samenspraak.common.models import AuditEvent
from samenspraak.core import sortition
from tests.committees.conftest import POOL, add_applicants
from tests.committees.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _reproduce(draw: Draw):
    """What anyone gets from the stored files and seed, reading them like the CLI does."""
    quotas = sortition.read_categories_csv(draw.categories_csv, filename="quota.csv")
    features = list(dict.fromkeys(q.feature for q in quotas))
    people = sortition.read_people_csv(
        draw.people_csv,
        features=features,
        id_column="id",
        household_column=draw.household_column or None,
        filename="pool.csv",
    )
    return sortition.select(
        people, quotas, draw.panel_size, seed=draw.seed, algorithm=draw.algorithm
    )


def test_a_draw_stores_everything_needed_to_reproduce_it(committee, staff_user):
    add_applicants(committee, POOL)
    draw = services.committee_draw(actor=staff_user, committee=committee, seed=424242)

    assert (draw.seed, draw.algorithm, draw.panel_size, draw.pool_size) == (424242, "leximin", 4, 7)
    assert draw.people_csv.splitlines()[0] == "id,rol,leeftijd"
    assert "Anna" not in draw.people_csv  # ids only: the file names nobody
    again = _reproduce(draw)
    assert list(again.selected) == draw.selected
    assert {k: pytest.approx(v) for k, v in again.probabilities.items()} == draw.probabilities
    # Every applicant has a probability; together they fill the seats.
    pool_ids = {a.pool_id for a in Application.objects.filter(committee=committee)}
    assert pool_ids == {str(n) for n in range(1, 8)}  # 1..7: numbers, not database ids
    assert set(draw.probabilities) == pool_ids
    assert sum(draw.probabilities.values()) == pytest.approx(4)
    assert draw.min_probability == pytest.approx(min(draw.probabilities.values()))


def test_the_drawn_become_members_and_the_quotas_hold(committee, staff_user):
    add_applicants(committee, POOL)
    draw = services.committee_draw(actor=staff_user, committee=committee, seed=7)
    members = list(selectors.members(committee))
    assert sorted(m.application.pool_id for m in members) == sorted(draw.selected)
    assert {m.source for m in members} == {MembershipSource.DRAWN}
    assert set(
        Application.objects.filter(number__in=draw.selected).values_list("status", flat=True)
    ) == {ApplicationStatus.SELECTED}
    assert selectors.representation(committee).ok
    committee.refresh_from_db()
    assert committee.draw_seed == 7
    event = AuditEvent.objects.get(action="committee_draw")
    assert event.changes["seed"] == 7 and event.actor == staff_user


def test_infeasible_quotas_explain_themselves_and_nothing_is_drawn(committee, staff_user):
    # Two seats for entrepreneurs, but only one entrepreneur applied.
    committee.quotas.filter(value="ondernemer").update(minimum=2)
    add_applicants(
        committee, [*POOL[:3], ("Dewi", "ondernemer", "jong"), ("Fenna", "inwoner", "jong")]
    )
    with pytest.raises(services.DrawInfeasible) as caught:
        services.committee_draw(actor=staff_user, committee=committee, seed=1)
    error = caught.value
    assert any((q.feature, q.value) == ("rol", "ondernemer") for q in error.conflicts)
    assert error.relaxation  # a suggestion that would make it work
    assert "ondernemer" in " ".join(error.messages)
    assert not Draw.objects.exists()
    assert not Membership.objects.exists()
    assert set(Application.objects.values_list("status", flat=True)) == {ApplicationStatus.APPLIED}
    assert not AuditEvent.objects.filter(action="committee_draw").exists()


def test_two_people_of_one_household_are_never_both_drawn(committee, staff_user, process):
    rows = [
        ("Anna", "inwoner", "jong", "Dorpsstraat 1"),
        ("Bas", "inwoner", "oud", "dorpsstraat 1"),  # the same home, written differently
        ("Cor", "inwoner", "oud"),
        ("Dewi", "ondernemer", "jong"),
        ("Emre", "ondernemer", "oud"),
        ("Fenna", "inwoner", "jong"),
    ]
    applicants = add_applicants(committee, rows)
    draw = services.committee_draw(actor=staff_user, committee=committee, seed=3)
    assert draw.household_column == "huishouden"
    assert "Dorpsstraat" not in draw.people_csv  # households are codes, not addresses
    together = {applicants[0].pool_id, applicants[1].pool_id}
    assert len(together & set(draw.selected)) <= 1
    shared = draw.probabilities[applicants[0].pool_id] + draw.probabilities[applicants[1].pool_id]
    assert shared <= 1 + 1e-6


def test_invited_members_take_seats_and_count_towards_the_quotas(committee, staff_user):
    services.member_invite(
        actor=staff_user,
        committee=committee,
        full_name="Iris Uitgenodigd",
        answers={"rol": "ondernemer", "leeftijd": "oud"},
    )
    add_applicants(committee, POOL)
    draw = services.committee_draw(actor=staff_user, committee=committee, seed=11)
    assert draw.panel_size == 3
    assert "rol,ondernemer,0,1" in draw.categories_csv  # one of its 1-2 seats is taken
    assert selectors.members(committee).count() == 4
    assert selectors.representation(committee).ok


def test_one_draw_per_committee(committee, staff_user):
    add_applicants(committee, POOL)
    services.committee_draw(actor=staff_user, committee=committee, seed=5)
    with pytest.raises(ValidationError, match="already been drawn"):
        services.committee_draw(actor=staff_user, committee=committee, seed=6)
    assert Draw.objects.count() == 1


def test_too_small_a_pool_is_refused_before_drawing(committee, staff_user):
    add_applicants(committee, POOL[:3])
    with pytest.raises(ValidationError, match="3 people for 4 seats"):
        services.committee_draw(actor=staff_user, committee=committee, seed=5)


def test_only_staff_who_manage_the_process_draw(committee, other_staff, facilitator):
    add_applicants(committee, POOL)
    MembershipFactory(
        committee=committee, user=facilitator, role=MemberRole.FACILITATOR, source="assigned"
    )
    for actor in (other_staff, facilitator):
        with pytest.raises(PermissionDenied):
            services.committee_draw(actor=actor, committee=committee, seed=5)
    assert not Draw.objects.exists()


def test_the_legacy_algorithm_can_be_chosen_for_comparison(committee, staff_user):
    add_applicants(committee, POOL)
    draw = services.committee_draw(
        actor=staff_user, committee=committee, seed=5, algorithm="legacy"
    )
    assert draw.algorithm == "legacy"
    assert len(draw.selected) == 4


# --- importing a pool ----------------------------------------------------------------------

GOOD_FILE = (
    "id,naam,email,rol,leeftijd,huishouden\n"
    "p1,Anna de Vries,anna@example.org,inwoner,jong,Dorpsstraat 1\n"
    "p2,Bas Bakker,,inwoner,oud,Dorpsstraat 1\n"
    "p3,Cor Smit,,inwoner,oud,\n"
    "p4,,,ondernemer,jong,\n"
    "p5,Emre Kaya,emre@example.org,ondernemer,oud,\n"
    "p6,Fenna Bos,,inwoner,jong,\n"
)


def test_import_reads_a_sortition_foundation_people_file(committee, staff_user):
    count = services.pool_import(
        actor=staff_user, committee=committee, text=GOOD_FILE, filename="pool.csv"
    )
    assert count == 6
    anna = Application.objects.get(reference="p1")
    assert (anna.full_name, anna.email, anna.household_key) == (
        "Anna de Vries",
        "anna@example.org",
        "Dorpsstraat 1",
    )
    assert anna.answers == {"rol": "inwoner", "leeftijd": "jong"}
    assert Application.objects.get(reference="p4").full_name == "Participant p4"
    draw = services.committee_draw(actor=staff_user, committee=committee, seed=8)
    assert len(draw.selected) == 4


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (GOOD_FILE.replace("p3,Cor Smit,,inwoner,oud", "p3,Cor Smit,,wethouder,oud"), "line 4"),
        (GOOD_FILE.replace(",leeftijd,", ",age,"), "leeftijd"),
        (GOOD_FILE.replace("p5,", "p1,"), "p1"),
    ],
    ids=["unknown value", "missing column", "duplicate id"],
)
def test_a_bad_file_names_where_and_stores_nothing(committee, staff_user, text, where):
    with pytest.raises(ValidationError) as caught:
        services.pool_import(actor=staff_user, committee=committee, text=text, filename="pool.csv")
    assert where in " ".join(caught.value.messages)
    assert not Application.objects.exists()


def test_importing_the_same_ids_twice_is_refused(committee, staff_user):
    services.pool_import(actor=staff_user, committee=committee, text=GOOD_FILE, filename="a.csv")
    with pytest.raises(ValidationError, match="already in the pool"):
        services.pool_import(
            actor=staff_user, committee=committee, text=GOOD_FILE, filename="a.csv"
        )
    assert Application.objects.count() == 6


def test_the_command_on_the_result_page_reproduces_the_draw(
    client, committee, staff_user, tmp_path
):
    """Download both files from the result page and run the command it shows."""
    script = Path(sys.executable).parent / "samenspraak"
    if not script.exists():
        pytest.skip("the console script is not installed next to this Python")
    add_applicants(
        committee,
        [*POOL, ("Hanna", "inwoner", "oud", "Laan 3"), ("Ivo", "ondernemer", "oud", "laan 3")],
    )
    draw = services.committee_draw(actor=staff_user, committee=committee, seed=271828)
    client.force_login(staff_user)
    page = client.get(f"/beheer/comites/{committee.slug}/loting/uitslag/").content.decode()
    for kind in ("pool", "quota"):
        response = client.get(f"/beheer/comites/{committee.slug}/loting/{kind}.csv")
        name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
        (tmp_path / name).write_bytes(response.content)
    command = page.split("<code>")[1].split("</code>")[0]
    assert command.startswith("samenspraak select ")
    assert "--household-column huishouden" in command
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["SAMENSPRAAK_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [str(script), *shlex.split(command)[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    output = json.loads(result.stdout)
    assert sorted(output["selected"]) == sorted(draw.selected)
    assert output["seed"] == 271828
