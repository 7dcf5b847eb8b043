"""Every role against every page of the processes app, and the rules behind them.

One table drives the page tests; each (role, page) pair is its own test so that one
failure does not hide another.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser

from samenspraak.accounts.models import Role
from samenspraak.processes.models import ProcessStatus
from tests.factories import PhaseFactory, ProcessFactory

ROLES = [
    "owner",
    "other_staff",
    "admin",
    "facilitator",
    "committee_member",
    "partner",
    "resident",
    "council_member",
    "clerk",
    "anonymous",
]
STAFF = {"owner", "other_staff", "admin"}
MANAGERS = {"owner", "admin"}
LOGGED_IN = set(ROLES) - {"anonymous"}

LOGIN = "login"  # 302 to the log-in page with ?next=<this page>
OK_REDIRECT = "redirect"  # 302 after a successful POST


def everyone(status):
    return dict.fromkeys(ROLES, status)


def only(allowed: set[str], status=200, otherwise=403, anonymous=LOGIN):
    return {
        role: status if role in allowed else (anonymous if role == "anonymous" else otherwise)
        for role in ROLES
    }


# (name, method, path template, expected per role). {public} is a running process owned by
# "owner", {draft} a draft of the same owner.
TABLE = [
    ("home", "get", "/", everyone(200)),
    ("list", "get", "/processen/", everyone(200)),
    ("detail", "get", "/processen/{public}/", everyone(200)),
    ("detail-draft", "get", "/processen/{draft}/", only(STAFF, otherwise=404, anonymous=404)),
    ("detail-missing", "get", "/processen/bestaat-niet/", everyone(404)),
    ("accessibility", "get", "/toegankelijkheid/", everyone(200)),
    ("health", "get", "/gezond/", everyone(200)),
    ("profile", "get", "/account/", only(LOGGED_IN)),
    ("dashboard", "get", "/beheer/", only(STAFF)),
    ("create", "get", "/beheer/processen/nieuw/", only(STAFF)),
    ("edit", "get", "/beheer/processen/{public}/", only(MANAGERS)),
    ("edit-draft", "get", "/beheer/processen/{draft}/", only(MANAGERS)),
    ("phases", "get", "/beheer/processen/{public}/fasen/", only(MANAGERS)),
    ("framework", "get", "/beheer/processen/{public}/kaders/", only(MANAGERS)),
    ("framework-draft", "get", "/beheer/processen/{draft}/kaders/", only(MANAGERS)),
    ("themes", "get", "/beheer/processen/{public}/themas/", only(MANAGERS)),
    ("history", "get", "/beheer/processen/{public}/geschiedenis/", only(STAFF | {"clerk"})),
    # The clerk follows public processes only; a draft's history is the municipality's.
    ("history-draft", "get", "/beheer/processen/{draft}/geschiedenis/", only(STAFF)),
    (
        "set-current-phase",
        "post",
        "/beheer/processen/{public}/huidige-fase/",
        only(MANAGERS, status=OK_REDIRECT),
    ),
    ("set-current-phase-get", "get", "/beheer/processen/{public}/huidige-fase/", everyone(405)),
    ("edit-missing", "get", "/beheer/processen/bestaat-niet/", everyone(404)),
    # The API asks the same rules; it answers 403 rather than redirecting to a log-in page.
    ("api-list", "get", "/api/v1/processes/", everyone(200)),
    ("api-detail", "get", "/api/v1/processes/{public}/", everyone(200)),
    (
        "api-detail-draft",
        "get",
        "/api/v1/processes/{draft}/",
        only(STAFF, otherwise=404, anonymous=404),
    ),
    (
        "api-framework",
        "put",
        "/api/v1/processes/{public}/framework/",
        only(MANAGERS, anonymous=403),
    ),
    (
        "api-framework-draft",
        "put",
        "/api/v1/processes/{draft}/framework/",
        only(MANAGERS, anonymous=403),
    ),
]

API_FRAMEWORK = {
    "bandwidth_kind": "range",
    "years": [{"year": 2027, "minimum": "0.00", "maximum": "100000.00"}],
    "aspects": [{"name": "Groen"}],
}

CASES = [
    pytest.param(role, name, method, path, expected[role], id=f"{name}-{role}")
    for name, method, path, expected in TABLE
    for role in ROLES
]


@pytest.fixture
def world(staff_user, other_staff, admin_user, user_of_role, process, municipality):
    users = {"owner": staff_user, "other_staff": other_staff, "admin": admin_user}
    for role in [
        "facilitator",
        "committee_member",
        "partner",
        "resident",
        "council_member",
        "clerk",
    ]:
        users[role] = user_of_role(role)
    draft = ProcessFactory(
        title="Concept woonvisie",
        owner=staff_user,
        municipality=municipality,
        status=ProcessStatus.DRAFT,
    )
    PhaseFactory(process=draft)
    return {"users": users, "public": process, "draft": draft}


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "method", "path", "expected"), CASES)
def test_page_access(client, world, role, name, method, path, expected):
    if role != "anonymous":
        client.force_login(world["users"][role])
    process = world["public"]
    url = path.format(public=process.slug, draft=world["draft"].slug)
    phase = process.phases.order_by("position").last()
    data = {"phase": str(phase.pk)} if method == "post" else None

    if method == "put":
        response = client.put(url, API_FRAMEWORK, content_type="application/json")
    else:
        response = getattr(client, method)(url, data)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"/account/inloggen/?next={quote(url)}"
    elif expected == OK_REDIRECT:
        assert response.status_code == 302
        assert response["Location"] == f"/beheer/processen/{process.slug}/fasen/"
    else:
        assert response.status_code == expected
    if name == "set-current-phase":
        process.refresh_from_db()
        changed = expected == OK_REDIRECT
        assert (process.current_phase_id == phase.pk) is changed


def test_table_covers_every_role_for_every_page():
    for name, _method, _path, expected in TABLE:
        assert set(expected) == set(ROLES), name


# --- the rules themselves ------------------------------------------------------------------

RULES = [
    # (permission, object, roles that have it)
    ("processes.change_framework", "public", MANAGERS),
    ("processes.change_framework", "draft", MANAGERS),
    ("processes.change_process", "public", MANAGERS),
    ("processes.change_phases", "public", MANAGERS),
    ("processes.view_process", "public", set(ROLES)),
    ("processes.view_process", "draft", STAFF),
    ("processes.add_process", None, STAFF),
    ("processes.view_dashboard", None, STAFF),
    ("processes.view_audit", "public", STAFF | {"clerk"}),
    ("processes.view_audit", "draft", STAFF),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("perm", "obj", "role", "allowed"),
    [
        pytest.param(perm, obj, role, role in allowed, id=f"{perm}-{obj}-{role}")
        for perm, obj, allowed in RULES
        for role in ROLES
    ],
)
def test_rule(world, perm, obj, role, allowed):
    user = AnonymousUser() if role == "anonymous" else world["users"][role]
    target = world[obj] if obj else None
    assert user.has_perm(perm, target) is allowed


@pytest.mark.django_db
def test_an_inactive_owner_loses_every_right(world):
    owner = world["users"]["owner"]
    owner.is_active = False
    owner.save()
    for perm in [
        "processes.change_framework",
        "processes.change_process",
        "processes.view_dashboard",
        "processes.add_process",
    ]:
        assert not owner.has_perm(perm, world["public"]), perm


@pytest.mark.django_db
def test_change_framework_is_per_process(world, other_staff, municipality):
    # A staff member manages what they own, not everything.
    theirs = ProcessFactory(owner=other_staff, municipality=municipality)
    owner = world["users"]["owner"]
    assert owner.has_perm("processes.change_framework", world["public"])
    assert not owner.has_perm("processes.change_framework", theirs)
    assert other_staff.has_perm("processes.change_framework", theirs)
    assert world["users"]["admin"].has_perm("processes.change_framework", theirs)
    assert world["users"]["admin"].role == Role.ADMIN
