"""Every committee draw publishes its distribution file (``Draw.distribution``): the lottery
over panels and the SHA-256 of the pool and quota files exactly as they are downloaded. With
the three files anyone redoes the draw with ``samenspraak select --distribution``, without a
solver. Also: the API lists every draw, and the status page of an applicant who was not drawn
tells them when a replacement draw may still seat them."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from samenspraak.accounts.models import Role
from samenspraak.committees import services
from samenspraak.committees.models import Application, ApplicationStatus, Draw
from samenspraak.core import sortition
from tests.committees.conftest import POOL, add_applicants

pytestmark = pytest.mark.django_db

SCRIPT = Path(sys.executable).parent / "samenspraak"
# Two of one household ("Laan 3" / "laan 3"): the files carry a household column.
POOL_WITH_HOUSEHOLD = [
    *POOL,
    ("Hanna", "inwoner", "oud", "Laan 3"),
    ("Ivo", "ondernemer", "oud", "laan 3"),
]


def _draw(committee, staff_user, seed: int, algorithm: str = "leximin") -> Draw:
    committee.refresh_from_db()
    return services.committee_draw(
        actor=staff_user, committee=committee, seed=seed, algorithm=algorithm
    )


def _decline_one(committee) -> Application:
    member = committee.applications.filter(status=ApplicationStatus.SELECTED).first()
    services.seat_decline(application=member)
    committee.refresh_from_db()
    return member


def _redo_from_file(draw: Draw) -> tuple[str, ...]:
    """What anyone gets from the stored distribution file, pool and seed, without a solver."""
    panels, metadata = sortition.load_distribution(draw.distribution, filename="verdeling.json")
    quotas = sortition.read_categories_csv(draw.categories_csv, filename="quota.csv")
    people = sortition.read_people_csv(
        draw.people_csv,
        features=list(dict.fromkeys(q.feature for q in quotas)),
        id_column="id",
        household_column=draw.household_column or None,
        filename="pool.csv",
    )
    sortition.verify_distribution(panels, people, quotas, metadata.panel_size)
    selection = sortition.select_from_distribution(
        panels, people, seed=draw.seed, algorithm=metadata.algorithm, panel_size=draw.panel_size
    )
    return selection.selected


# --- the stored file -------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["leximin", "legacy"])
def test_every_draw_stores_its_distribution_file(committee, staff_user, algorithm):
    add_applicants(committee, POOL_WITH_HOUSEHOLD)
    draw = _draw(committee, staff_user, seed=271828, algorithm=algorithm)
    draw.refresh_from_db()  # what the database kept, not what the service held
    assert draw.distribution
    document = json.loads(draw.distribution)
    assert document["format"] == "samenspraak-sortition-distribution"
    assert document["algorithm"] == algorithm
    assert document["panel_size"] == draw.panel_size == 4
    assert document["people_sha256"] == hashlib.sha256(draw.people_csv.encode()).hexdigest()
    assert document["categories_sha256"] == (
        hashlib.sha256(draw.categories_csv.encode()).hexdigest()
    )
    assert set(document["probabilities"]) == set(draw.probabilities)
    for pid, probability in draw.probabilities.items():
        assert float(document["probabilities"][pid]) == pytest.approx(probability, abs=1e-12)
    assert list(_redo_from_file(draw)) == draw.selected


def test_a_replacement_draw_stores_its_own_distribution_file(committee, staff_user):
    add_applicants(committee, POOL_WITH_HOUSEHOLD)
    first = _draw(committee, staff_user, seed=424242)
    _decline_one(committee)
    second = _draw(committee, staff_user, seed=committee.draw_seed)
    second.refresh_from_db()
    assert second.replaces == first
    assert second.distribution and second.distribution != first.distribution
    document = json.loads(second.distribution)
    assert document["panel_size"] == 1
    assert document["people_sha256"] == hashlib.sha256(second.people_csv.encode()).hexdigest()
    assert list(_redo_from_file(second)) == second.selected
    assert list(_redo_from_file(first)) == first.selected


def test_an_infeasible_draw_stores_no_distribution(committee, staff_user):
    add_applicants(committee, [("Anna", "inwoner", "jong"), *[("X", "inwoner", "oud")] * 4])
    with pytest.raises(services.DrawInfeasible):
        _draw(committee, staff_user, seed=1)
    assert not Draw.objects.exists()


# --- downloading the three files and checking the draw with the command line -----------------


def _download(client, url: str, tmp_path: Path) -> tuple[str, bytes]:
    response = client.get(url)
    assert response.status_code == 200, url
    name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    (tmp_path / name).write_bytes(response.content)
    return name, response.content


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert SCRIPT.exists(), "the samenspraak console script is installed next to this Python"
    # No settings module: select --distribution needs neither Django nor a solver.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["SAMENSPRAAK_VAR_DIR"] = str(cwd)
    return subprocess.run(
        [str(SCRIPT), *shlex.split(command)[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def _check_draw_through_the_page(client, committee, draw: Draw, number: int, tmp_path: Path):
    suffix = "" if number == 1 else f"-{number}"
    page = client.get(f"/beheer/comites/{committee.slug}/loting/uitslag/").content.decode()
    folder = tmp_path / f"draw{number}"
    folder.mkdir()
    base = f"/beheer/comites/{committee.slug}/loting/{number}"
    pool_name, pool = _download(client, f"{base}/pool.csv", folder)
    quota_name, quota = _download(client, f"{base}/quota.csv", folder)
    json_name, distribution = _download(client, f"{base}/verdeling.json", folder)
    assert f'href="{base}/verdeling.json"' in page
    # The served bytes are exactly those the file records.
    document = json.loads(distribution)
    assert document["people_sha256"] == hashlib.sha256(pool).hexdigest()
    assert document["categories_sha256"] == hashlib.sha256(quota).hexdigest()
    command = re.search(rf'<code id="check-command{suffix}">([^<]*)</code>', page).group(1)
    assert f"--people {pool_name} --categories {quota_name}" in command
    assert f"--size {draw.panel_size} --seed {draw.seed}" in command
    assert f"--distribution {json_name}" in command
    result = _run(command, folder)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["distribution"] == "file"
    assert output["selected"] == draw.selected
    assert output["seed"] == draw.seed
    return folder, command


def test_the_three_files_redo_every_draw_without_a_solver(client, committee, staff_user, tmp_path):
    add_applicants(committee, POOL_WITH_HOUSEHOLD)
    first = _draw(committee, staff_user, seed=271828)
    client.force_login(staff_user)
    folder, command = _check_draw_through_the_page(client, committee, first, 1, tmp_path)
    assert "--household-column huishouden" in command

    # A pool file that is not the published one is refused: the check can fail.
    pool = next(folder.glob("*-pool.csv"))
    pool.write_bytes(pool.read_bytes() + b"\n")
    refused = _run(command, folder)
    assert refused.returncode != 0
    assert "SHA-256" in refused.stderr

    _decline_one(committee)
    second = _draw(committee, staff_user, seed=committee.draw_seed)
    _, command = _check_draw_through_the_page(client, committee, second, 2, tmp_path)
    assert "aanvulling-1-verdeling.json" in command


def test_a_draw_made_before_has_no_link_and_the_page_still_works(client, committee, staff_user):
    add_applicants(committee, POOL)
    _draw(committee, staff_user, seed=424242)
    Draw.objects.update(distribution="")  # as a draw stored before migration 0004
    client.force_login(staff_user)
    response = client.get(f"/beheer/comites/{committee.slug}/loting/uitslag/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="draw-seed">424242<' in content
    assert "verdeling.json" not in content
    assert "check-command" not in content
    assert "--distribution" not in content
    assert "Met dit bestand kan iedereen de loting precies nadoen" not in content
    url = f"/beheer/comites/{committee.slug}/loting/1/verdeling.json"
    assert client.get(url).status_code == 404
    # The two other files are still there.
    assert client.get(f"/beheer/comites/{committee.slug}/loting/1/pool.csv").status_code == 200


def test_the_page_explains_the_file_in_plain_dutch(client, committee, staff_user):
    add_applicants(committee, POOL)
    _draw(committee, staff_user, seed=424242)
    client.force_login(staff_user)
    content = client.get(f"/beheer/comites/{committee.slug}/loting/uitslag/").content.decode()
    assert (
        "Met dit bestand kan iedereen de loting precies nadoen, ook met een andere versie van "
        "de software." in content
    )
    assert f"{committee.slug}-verdeling.json</a>" in content
    assert "Controleren zonder rekenprogramma" in content


@pytest.mark.parametrize("who", ["anonymous", "resident", "facilitator", "other_staff"])
def test_only_who_manages_the_committee_downloads_the_distribution(
    client, committee, staff_user, other_staff, facilitator, user_of_role, who
):
    add_applicants(committee, POOL)
    _draw(committee, staff_user, seed=424242)
    url = f"/beheer/comites/{committee.slug}/loting/1/verdeling.json"
    pool_url = f"/beheer/comites/{committee.slug}/loting/1/pool.csv"
    actor = {
        "anonymous": None,
        "resident": user_of_role(Role.RESIDENT, full_name="Rik Inwoner"),
        "facilitator": facilitator,
        "other_staff": other_staff,
    }[who]
    if actor is not None:
        client.force_login(actor)
    response = client.get(url)
    # The same answer as for the pool file: log in first, or 403.
    assert response.status_code == client.get(pool_url).status_code
    if actor is None:
        assert response.status_code == 302 and "inloggen" in response["Location"]
    else:
        assert response.status_code == 403
    client.force_login(staff_user)
    ok = client.get(url)
    assert ok.status_code == 200
    assert ok["Content-Type"].startswith("application/json")
    assert ok.content.decode() == Draw.objects.get().distribution
    assert client.get(f"/beheer/comites/{committee.slug}/loting/2/verdeling.json").status_code == (
        404
    )


# --- the API lists every draw ------------------------------------------------------------------


def test_the_api_lists_every_draw_in_order_and_keeps_the_latest_as_draw(
    client, committee, staff_user
):
    add_applicants(committee, POOL)
    assert client.get(f"/api/v1/committees/{committee.slug}/").json()["draws"] == []
    first = _draw(committee, staff_user, seed=424242)
    _decline_one(committee)
    second = _draw(committee, staff_user, seed=committee.draw_seed)
    body = client.get(f"/api/v1/committees/{committee.slug}/").json()
    assert [d["seed"] for d in body["draws"]] == [first.seed, second.seed]
    one, two = body["draws"]
    assert one["number"] == 1 and one["replaces"] is None
    assert two["number"] == 2 and two["replaces"] == 1
    for item, draw in ((one, first), (two, second)):
        assert item["algorithm"] == draw.algorithm == "leximin"
        assert item["panel_size"] == draw.panel_size
        assert item["pool_size"] == draw.pool_size
        assert item["min_probability"] == pytest.approx(draw.min_probability)
    assert (one["panel_size"], one["pool_size"]) == (4, 7)
    assert (two["panel_size"], two["pool_size"]) == (1, 3)
    # ``draw`` stays the latest draw, as before.
    assert body["draw"]["seed"] == second.seed
    assert {k: v for k, v in two.items() if k not in {"number", "replaces"}} == body["draw"]
    schema = client.get("/api/v1/schema/").content.decode()
    assert "DrawInListOutput" in schema


# --- the applicant's status page while a replacement draw is pending ---------------------------


def _status_of(client, application) -> tuple[str, str]:
    content = client.get(f"/aanmelding/{application.uuid}/").content.decode()
    return re.search(r'data-status="([a-z_]+)"', content).group(1), content


def test_a_left_out_applicant_learns_that_seats_became_free(client, committee, staff_user):
    add_applicants(committee, POOL)
    _draw(committee, staff_user, seed=424242)
    left_out = committee.applications.filter(status=ApplicationStatus.APPLIED).first()
    status, content = _status_of(client, left_out)
    assert status == "not_drawn"
    assert "U bent deze keer niet ingeloot" in content

    _decline_one(committee)
    status, content = _status_of(client, left_out)
    assert status == "replacement_pending"
    assert "plaatsen vrijgekomen" in content
    assert "extra loting" in content
    assert "U bent deze keer niet ingeloot" not in content

    # The replacement draw fills the seat: who is still left out reads "not drawn" again.
    second = _draw(committee, staff_user, seed=committee.draw_seed)
    still_out = committee.applications.filter(status=ApplicationStatus.APPLIED).first()
    assert still_out.pool_id not in second.selected
    status, content = _status_of(client, still_out)
    assert status == "not_drawn"
    assert "plaatsen vrijgekomen" not in content


def test_no_pending_message_once_the_committee_is_at_work(client, committee, staff_user):
    add_applicants(committee, POOL)
    _draw(committee, staff_user, seed=424242)
    _decline_one(committee)
    left_out = committee.applications.filter(status=ApplicationStatus.APPLIED).first()
    assert _status_of(client, left_out)[0] == "replacement_pending"
    services.committee_advance(actor=staff_user, committee=committee)  # drafting: still early
    committee.refresh_from_db()
    assert _status_of(client, left_out)[0] == "replacement_pending"
    services.committee_advance(actor=staff_user, committee=committee)  # later: no more draws
    committee.refresh_from_db()
    assert not services.replacement_possible(committee)
    assert _status_of(client, left_out)[0] == "not_drawn"


def test_no_pending_message_for_someone_whose_household_has_a_seat(client, committee, staff_user):
    add_applicants(committee, POOL)
    draw = _draw(committee, staff_user, seed=424242)
    member = Application.objects.get(committee=committee, number=int(draw.selected[0]))
    member.household_key = "Dorpsstraat 1"
    member.save(update_fields=["household_key"])
    left_out = list(committee.applications.filter(status=ApplicationStatus.APPLIED))
    housemate, other = left_out[0], left_out[1]
    housemate.household_key = "dorpsstraat 1 "
    housemate.save(update_fields=["household_key"])
    declining = (
        committee.applications.filter(status=ApplicationStatus.SELECTED).exclude(pk=member.pk)
    ).first()
    services.seat_decline(application=declining)
    committee.refresh_from_db()
    assert _status_of(client, other)[0] == "replacement_pending"
    assert _status_of(client, housemate)[0] == "not_drawn"
    # The page agrees with the pool of the replacement draw.
    pool_ids = {a.pool_id for a in services.draw_input(committee)["pool"]}
    assert other.pool_id in pool_ids and housemate.pool_id not in pool_ids
