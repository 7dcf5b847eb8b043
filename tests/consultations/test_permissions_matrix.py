"""Every role against every page of setting up and voting in consultations.

The process owner and administrators set consultations up (settings, items, codes,
publishing) and see the running count; other staff see drafts but get 403 on the
management pages; everyone else gets 404 for a draft (its existence is not given away).
Voting needs no account: anyone sees a published consultation and its ballot. One test per
(role, page) pair.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from samenspraak.consultations.models import Consultation, ConsultationStatus, VotingCode
from tests.matrix import LOGIN, MANAGERS, REDIRECT, ROLES, STAFF, everyone, matrix_users, only


def draft(allowed: set[str], status=200):
    """A page of a draft: ``allowed`` get ``status``; other staff (who may see drafts) 403;
    everyone else 404."""
    return {role: status if role in allowed else (403 if role in STAFF else 404) for role in ROLES}


P = "/beheer/processen/{p}/raadplegingen"
D = "/beheer/raadplegingen/{d}"
Q = "/beheer/raadplegingen/{q}"
TABLE = [
    # Residents' pages
    ("detail-public", "get", "/raadplegingen/{q}/", everyone(200)),
    ("ballot-public", "get", "/raadplegingen/{q}/stemmen/", everyone(200)),
    ("code-wrong", "post", "/raadplegingen/{q}/stemcode/", everyone(400)),
    ("detail-draft", "get", "/raadplegingen/{d}/", draft(STAFF)),
    ("ballot-draft", "get", "/raadplegingen/{d}/stemmen/", draft(STAFF, 302)),
    ("thanks-unproven", "get", "/raadplegingen/{q}/bedankt/", everyone(302)),
    ("email-not-used", "get", "/raadplegingen/{q}/e-mail/", everyone(404)),
    ("oidc-not-used", "get", "/raadplegingen/{q}/inloggen/", everyone(404)),
    ("missing", "get", "/raadplegingen/bestaat-niet/", everyone(404)),
    # Staff pages of a process
    ("manage-list", "get", P + "/", only(MANAGERS)),
    ("create", "get", P + "/nieuw/", only(MANAGERS)),
    ("create-post", "post", P + "/nieuw/", only(MANAGERS, REDIRECT)),
    # Staff pages of a draft consultation
    ("manage", "get", D + "/overzicht/", draft(MANAGERS)),
    ("edit", "get", D + "/instellingen/", draft(MANAGERS)),
    ("edit-post", "post", D + "/instellingen/", draft(MANAGERS, REDIRECT)),
    ("items", "get", D + "/onderdelen/", draft(MANAGERS)),
    ("codes", "get", D + "/stemcodes/", draft(MANAGERS)),
    ("codes-post", "post", D + "/stemcodes/", draft(MANAGERS)),
    ("publish", "post", D + "/publiceren/", draft(MANAGERS, REDIRECT)),
    ("count-draft", "get", D + "/aantal/", draft(MANAGERS)),
    # Staff pages of a published consultation: everyone may see it, only managers manage.
    ("manage-public", "get", Q + "/overzicht/", only(MANAGERS)),
    ("count", "get", Q + "/aantal/", only(MANAGERS)),
    ("unpublish", "post", Q + "/terug-naar-concept/", only(MANAGERS, REDIRECT)),
]

CASES = [
    pytest.param(role, name, method, path, expected[role], id=f"{name}-{role}")
    for name, method, path, expected in TABLE
    for role in ROLES
]


@pytest.fixture
def world(
    staff_user,
    other_staff,
    admin_user,
    user_of_role,
    process,
    committee,
    member,
    facilitator,
    make_consultation,
):
    users = matrix_users(
        staff_user=staff_user,
        other_staff=other_staff,
        admin_user=admin_user,
        user_of_role=user_of_role,
        process=process,
        member=member,
        facilitator=facilitator,
    )
    draft_consultation, _codes = make_consultation(publish=False, title="Concept")
    public, _codes = make_consultation(title="Open stemming")
    return {"users": users, "process": process, "draft": draft_consultation, "public": public}


def _url(world, path: str) -> str:
    return path.format(p=world["process"].slug, d=world["draft"].slug, q=world["public"].slug)


def _post_data(world, name: str) -> dict:
    draft_consultation = world["draft"]
    settings = {
        "title": "Door de matrix",
        "kind": "poll",
        "verification": "code",
        "opens_at": "2030-01-01T09:00",
        "closes_at": "2030-01-21T17:00",
        "rule": "mes-add1",
    }
    return {
        "code-wrong": {"code": "AAAA-BBBB-CCCC"},
        "create-post": {**settings, "title": "Uit de matrix"},
        "edit-post": {
            **settings,
            "kind": draft_consultation.kind,
            "ballot_type": draft_consultation.ballot_type,
            "budget": "100.000",
            "max_choices": "3",
        },
        "codes-post": {"count": "2"},
    }.get(name, {})


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "method", "path", "expected"), CASES)
def test_page_access(client, world, role, name, method, path, expected):
    if role != "anonymous":
        client.force_login(world["users"][role])
    url = _url(world, path)
    codes_before = VotingCode.objects.filter(consultation=world["draft"]).count()
    response = client.post(url, _post_data(world, name)) if method == "post" else client.get(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"/account/inloggen/?next={quote(url)}"
    elif expected == REDIRECT:
        assert response.status_code == 302, response.content[:2000]
        assert not response["Location"].startswith("/account/inloggen/")
    else:
        assert response.status_code == expected, response.content[:500]

    allowed = expected in (200, REDIRECT)
    draft_consultation = Consultation.objects.get(pk=world["draft"].pk)
    public = Consultation.objects.get(pk=world["public"].pk)
    # Nothing a refused role tries is written; what an allowed role does is.
    if name == "create-post":
        assert Consultation.objects.filter(title="Uit de matrix").exists() is allowed
    if name == "edit-post":
        assert (draft_consultation.title == "Door de matrix") is allowed
    if name == "codes-post":
        made = VotingCode.objects.filter(consultation=draft_consultation).count() - codes_before
        assert made == (2 if allowed else 0)
        if allowed:
            assert response["Content-Type"].startswith("text/csv")
    if name == "publish":
        assert (draft_consultation.status == ConsultationStatus.PUBLISHED) is allowed
    if name == "unpublish":
        assert (public.status == ConsultationStatus.DRAFT) is allowed
    if name == "count" and allowed:
        assert 'id="ballot-count"' in response.content.decode()


def test_table_covers_every_role_and_every_voting_page():
    for name, _method, _path, expected in TABLE:
        assert set(expected) == set(ROLES), name
    from samenspraak.consultations.urls_voting import urlpatterns

    names = {p.name for p in urlpatterns}
    covered = {
        "detail",
        "ballot",
        "code",
        "thanks",
        "email_request",
        "oidc_start",
        "manage_list",
        "create",
        "manage",
        "edit",
        "items",
        "codes",
        "publish",
        "ballot_count",
        "unpublish",
    }
    # Tested in their own files: the e-mail link pages (test_voting_views), the OpenID
    # Connect callback (test_oidc) and stopping (test_voting_views).
    assert names - {"email_sent", "email_open", "oidc_callback", "forget"} == covered
