"""Every role against every page and API endpoint of committees, and the rules behind them.

The facilitator (Chef de Dossier) guards the process, never the content: they may move the
committee through its steps, schedule meetings, publish minutes and moderate, and they get
403 on every page that authors or edits content. One test per (role, page) pair.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from samenspraak.accounts.models import Role
from samenspraak.committees import services
from samenspraak.committees.models import (
    ApplicationStatus,
    Committee,
    CommitteeDocument,
    CommitteeStatus,
    Meeting,
    MemberRole,
    Membership,
    MembershipSource,
    Message,
)
from samenspraak.processes.models import ProcessStatus
from tests.committees.factories import (
    ApplicationFactory,
    CommitteeFactory,
    MeetingFactory,
    MembershipFactory,
    MessageFactory,
)
from tests.factories import ProcessFactory
from tests.matrix import LOGIN, MANAGERS, REDIRECT, ROLES, STAFF, everyone, only

GUIDES = MANAGERS | {"facilitator"}
INSIDERS = GUIDES | {"member"}


C = "/comites/{c}"
B = "/beheer/comites/{c}"
P = "/beheer/processen/{p}"
# (name, method, path template, expected per role). {c} is a forming committee of a public
# process owned by "owner"; {draft} a committee of a draft process; {p} the process.
TABLE = [
    ("detail", "get", C + "/", everyone(200)),
    ("detail-draft", "get", "/comites/{draft}/", only(STAFF, otherwise=404, anonymous=404)),
    ("apply", "get", C + "/aanmelden/", everyone(200)),
    ("workspace", "get", C + "/werkruimte/", only(INSIDERS)),
    ("calendar", "get", C + "/agenda.ics", only(INSIDERS)),
    ("calendar-with-key", "get", C + "/agenda.ics?sleutel={key}", everyone(200)),
    ("calendar-wrong-key", "get", C + "/agenda.ics?sleutel=fout", only(INSIDERS)),
    ("advance", "post", C + "/volgende-stap/", only(GUIDES, status=REDIRECT)),
    ("meeting-create", "get", C + "/bijeenkomsten/nieuw/", only(GUIDES)),
    ("meeting-create-post", "post", C + "/bijeenkomsten/nieuw/", only(GUIDES, status=REDIRECT)),
    ("meeting-edit", "get", C + "/bijeenkomsten/{meeting}/", only(GUIDES)),
    ("minutes-publish", "post", C + "/bijeenkomsten/{meeting}/", only(GUIDES, status=REDIRECT)),
    # Content: only members write; the facilitator is refused.
    ("message-post", "post", C + "/berichten/", only({"member"}, status=REDIRECT)),
    (
        "message-delete",
        "post",
        C + "/berichten/{message}/verwijderen/",
        only(GUIDES, status=REDIRECT),
    ),
    ("manage", "get", B + "/", only(MANAGERS)),
    ("edit-content", "get", B + "/bewerken/", only(MANAGERS)),
    ("edit-content-post", "post", B + "/bewerken/", only(MANAGERS, status=REDIRECT)),
    ("applications", "get", B + "/aanmeldingen/", only(MANAGERS)),
    ("invite", "post", B + "/aanmeldingen/uitnodigen/", only(MANAGERS, status=REDIRECT)),
    ("import", "post", B + "/aanmeldingen/importeren/", only(MANAGERS)),
    ("draw", "get", B + "/loting/", only(MANAGERS)),
    ("new-seed", "post", B + "/loting/nieuw-lotingsgetal/", only(MANAGERS, status=REDIRECT)),
    ("draw-result", "get", B + "/loting/uitslag/", only(MANAGERS, status=REDIRECT)),
    ("pool-csv", "get", B + "/loting/pool.csv", only(MANAGERS)),
    ("quota-csv", "get", B + "/loting/quota.csv", only(MANAGERS)),
    ("process-committees", "get", P + "/comites/", only(MANAGERS)),
    ("create", "get", P + "/comites/nieuw/", only(MANAGERS)),
    ("facilitators", "get", P + "/procesbegeleiders/", only(MANAGERS)),
    ("override", "post", P + "/procesbegeleiders/handmatig/", only(MANAGERS)),
    # Declining applications: the pool is the managers' to keep.
    ("decline", "get", B + "/aanmeldingen/{applied}/afwijzen/", only(MANAGERS)),
    ("decline-post", "post", B + "/aanmeldingen/{applied}/afwijzen/", only(MANAGERS, REDIRECT)),
    ("restore", "post", B + "/aanmeldingen/{declined}/terugzetten/", only(MANAGERS, REDIRECT)),
    # An applicant's own status page: the secret in the link is the key, as with opt-out.
    ("application-status", "get", "/aanmelding/{status_token}/", everyone(200)),
    # Documents: everyone in the workspace reads; members and staff upload anything; the
    # facilitator only agenda and minutes (a content upload is refused by the form: 200, not
    # stored); the uploader (here the member) or staff remove.
    ("document-upload", "get", C + "/documenten/toevoegen/", only(INSIDERS)),
    (
        "document-upload-process",
        "post",
        C + "/documenten/toevoegen/",
        only(INSIDERS, status=REDIRECT),
    ),
    (
        "document-upload-content",
        "post",
        C + "/documenten/toevoegen/",
        {**only(MANAGERS | {"member"}, status=REDIRECT), "facilitator": 200},
    ),
    ("document-download", "get", C + "/documenten/{document}/", only(INSIDERS)),
    (
        "document-delete",
        "post",
        C + "/documenten/{document}/verwijderen/",
        only(MANAGERS | {"member"}, status=REDIRECT),
    ),
    ("network-opt-in", "get", "/processen/{p}/kennisnetwerk/", everyone(200)),
    ("network-confirm", "get", "/kennisnetwerk/bevestigen/{network_token}/", everyone(200)),
    ("network-opt-out", "get", "/kennisnetwerk/afmelden/{entry_token}/", everyone(200)),
    ("network-search", "get", "/beheer/kennisnetwerk/", only(STAFF)),
    ("missing", "get", "/comites/bestaat-niet/werkruimte/", everyone(404)),
    # The API answers the same rules; reads are public for public processes.
    ("api-list", "get", "/api/v1/committees/?process={p}", everyone(200)),
    ("api-detail", "get", "/api/v1/committees/{c}/", everyone(200)),
    (
        "api-detail-draft",
        "get",
        "/api/v1/committees/{draft}/",
        only(STAFF, otherwise=404, anonymous=404),
    ),
]

POST_DATA = {
    "meeting-create-post": {
        "title": "Tweede bijeenkomst",
        "starts_at": "2027-02-01T19:30",
        "ends_at": "2027-02-01T21:30",
        "location": "Gemeentehuis",
        "agenda": "1. Opening",
    },
    "minutes-publish": {
        "title": "Bijeenkomst",
        "starts_at": "2027-01-10T19:30",
        "ends_at": "2027-01-10T21:30",
        "minutes": "Besproken: de kaders.",
        "minutes_published": "on",
    },
    "message-post": {"body": "Mijn idee voor een voorstel."},
    "edit-content-post": {
        "name": "Comité Zorg",
        "kind": "expert_committee",
        "size": "4",
        "mandate": "Een nieuw mandaat.",
        "facilitators_needed": "1",
        "quotas-TOTAL_FORMS": "0",
        "quotas-INITIAL_FORMS": "0",
    },
    "invite": {"full_name": "Iris Uitgenodigd", "email": "iris@example.org"},
    "decline-post": {"reason": "Woont niet in de gemeente."},
    # Files are made fresh for every request (an upload is read once).
    "document-upload-process": lambda: {
        "file": _pdf("agenda-matrix.pdf"),
        "category": "process",
        "title": "Agenda matrix",
    },
    "document-upload-content": lambda: {
        "file": _pdf("visie-matrix.pdf"),
        "category": "working",
        "title": "Visie matrix",
    },
    "import": {},
    "override": {},
}

CASES = [
    pytest.param(role, name, method, path, expected[role], id=f"{name}-{role}")
    for name, method, path, expected in TABLE
    for role in ROLES
]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% matrix\n", content_type="application/pdf")


@pytest.fixture
def world(staff_user, other_staff, admin_user, user_of_role, process, municipality):
    users = {"owner": staff_user, "other_staff": other_staff, "admin": admin_user}
    for role in ["partner", "resident", "council_member", "clerk"]:
        users[role] = user_of_role(role)
    users["facilitator"] = user_of_role(Role.FACILITATOR)
    users["other_facilitator"] = user_of_role(Role.FACILITATOR)
    users["member"] = user_of_role(Role.COMMITTEE_MEMBER)
    users["other_member"] = user_of_role(Role.COMMITTEE_MEMBER)
    committee = CommitteeFactory(process=process, name="Comité Zorg")
    other = CommitteeFactory(process=process, name="Comité Groen")
    MembershipFactory(
        committee=committee,
        user=users["facilitator"],
        role=MemberRole.FACILITATOR,
        source=MembershipSource.ASSIGNED,
    )
    MembershipFactory(committee=committee, user=users["member"])
    MembershipFactory(committee=other, user=users["other_member"])
    MembershipFactory(
        committee=other,
        user=users["other_facilitator"],
        role=MemberRole.FACILITATOR,
        source=MembershipSource.ASSIGNED,
    )
    draft_process = ProcessFactory(
        title="Concept woonvisie",
        owner=staff_user,
        municipality=municipality,
        status=ProcessStatus.DRAFT,
    )
    draft = CommitteeFactory(process=draft_process, name="Comité Concept")
    applied = ApplicationFactory(committee=committee, full_name="Aanmelder Matrix")
    declined = ApplicationFactory(
        committee=committee, status=ApplicationStatus.DECLINED, decline_reason="Dubbel"
    )
    document = services.document_upload(
        actor=users["member"], committee=committee, upload=_pdf("werkstuk.pdf")
    )
    pending = services.knowledge_network_opt_in(
        email="matrix@example.org", name="Matrix", themes=["Zorg"]
    )
    entry = services.knowledge_network_opt_in(
        email="lid@example.org", name="Lid", themes=["Zorg"], notify=False
    )
    return {
        "users": users,
        "process": process,
        "committee": committee,
        "draft": draft,
        "meeting": MeetingFactory(committee=committee),
        "message": MessageFactory(committee=committee, author=users["member"]),
        "applied": applied,
        "declined": declined,
        "document": document,
        "network_request": pending,
        "network_entry": entry,
    }


def _url(world, path: str) -> str:
    committee = world["committee"]
    return path.format(
        c=committee.slug,
        p=world["process"].slug,
        draft=world["draft"].slug,
        key=committee.calendar_token,
        meeting=world["meeting"].pk,
        message=world["message"].pk,
        applied=world["applied"].number,
        declined=world["declined"].number,
        status_token=world["applied"].uuid,
        document=world["document"].uuid,
        network_token=world["network_request"].uuid,
        entry_token=world["network_entry"].uuid,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "method", "path", "expected"), CASES)
def test_page_access(client, world, role, name, method, path, expected):
    if role != "anonymous":
        client.force_login(world["users"][role])
    url = _url(world, path)
    data = POST_DATA.get(name) if method == "post" else None
    response = getattr(client, method)(url, data() if callable(data) else data)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"/account/inloggen/?next={quote(url)}"
    elif expected == REDIRECT:
        assert response.status_code == 302, response.content[:2000]
        assert not response["Location"].startswith("/account/inloggen/")
    else:
        assert response.status_code == expected

    committee = Committee.objects.get(pk=world["committee"].pk)
    allowed = expected in (200, REDIRECT)
    # Nothing a refused role tries is written; what an allowed role does is.
    if name == "advance":
        assert (committee.status == CommitteeStatus.DRAFTING) is allowed
    if name == "edit-content-post":
        assert (committee.mandate == "Een nieuw mandaat.") is allowed
    if name == "message-post":
        assert Message.objects.filter(body="Mijn idee voor een voorstel.").exists() is allowed
    if name == "message-delete":
        assert (not Message.objects.filter(pk=world["message"].pk).exists()) is allowed
    if name == "minutes-publish":
        assert Meeting.objects.get(pk=world["meeting"].pk).minutes_published is allowed
    if name == "invite":
        assert Membership.objects.filter(display_name="Iris Uitgenodigd").exists() is allowed
    if name in ("decline-post", "restore"):
        application = world["applied" if name == "decline-post" else "declined"]
        application.refresh_from_db()
        changed = application.status != ("applied" if name == "decline-post" else "declined")
        assert changed is (expected == REDIRECT)
    if name.startswith("document-upload-"):
        title = "Agenda matrix" if name.endswith("process") else "Visie matrix"
        stored = CommitteeDocument.objects.filter(title=title).exists()
        assert stored is (expected == REDIRECT)  # the facilitator's 200: refused, not stored
    if name == "document-delete":
        gone = not CommitteeDocument.objects.filter(pk=world["document"].pk).exists()
        assert gone is allowed


def test_table_covers_every_role_for_every_page():
    for name, _method, _path, expected in TABLE:
        assert set(expected) == set(ROLES), name


@pytest.mark.django_db
def test_the_api_lists_members_for_staff_only(client, world):
    url = f"/api/v1/committees/{world['committee'].slug}/"
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world["users"][role])
        body = client.get(url).json()
        if role in STAFF:
            assert {m["name"] for m in body["members"]} == {world["users"]["member"].full_name}
        else:
            assert body["members"] is None, role


# --- the rules themselves ------------------------------------------------------------------

RULES = [
    # (permission, object, roles that have it)
    ("committees.view_committee", "committee", set(ROLES)),
    ("committees.view_committee", "draft", STAFF),
    ("committees.view_workspace", "committee", INSIDERS),
    ("committees.manage_committee", "committee", MANAGERS),
    ("committees.change_content", "committee", MANAGERS),
    ("committees.change_status", "committee", GUIDES),
    ("committees.schedule_meeting", "committee", GUIDES),
    ("committees.publish_minutes", "committee", GUIDES),
    ("committees.moderate_messages", "committee", GUIDES),
    ("committees.post_message", "committee", {"member"}),
    ("committees.author_content", "committee", {"member"}),
    ("committees.vote", "committee", {"member"}),
    ("committees.add_committee", "process", MANAGERS),
    ("committees.manage_facilitators", "process", MANAGERS),
    ("committees.view_knowledge_network", None, STAFF),
    ("committees.view_members", "committee", STAFF),
    ("committees.view_documents", "committee", INSIDERS),
    ("committees.upload_process_document", "committee", INSIDERS),
    ("committees.upload_content_document", "committee", MANAGERS | {"member"}),
    ("committees.delete_document", "document", MANAGERS | {"member"}),
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
def test_a_facilitator_who_is_also_seated_as_member_still_cannot_author_or_vote(world):
    facilitator = world["users"]["facilitator"]
    Membership.objects.filter(user=facilitator).update(role=MemberRole.MEMBER)
    MembershipFactory(
        committee=CommitteeFactory(process=world["process"]),
        user=facilitator,
        role=MemberRole.FACILITATOR,
        source=MembershipSource.ASSIGNED,
    )
    # Seated as a member here, but a facilitator by role: content stays closed to them.
    for perm in ("post_message", "author_content", "vote", "change_content"):
        assert not facilitator.has_perm(f"committees.{perm}", world["committee"]), perm


@pytest.mark.django_db
def test_an_inactive_facilitator_loses_every_right(world):
    facilitator = world["users"]["facilitator"]
    facilitator.is_active = False
    facilitator.save()
    for perm in ("view_workspace", "change_status", "schedule_meeting", "moderate_messages"):
        assert not facilitator.has_perm(f"committees.{perm}", world["committee"]), perm
