"""Every role against every page and API endpoint of proposals, and the rules behind them.

Authors write (the members of the authoring committee, the process owner, administrators);
the committee's facilitator (Chef de Dossier) sees everything and moderates, but gets 403 on
every page and endpoint that creates, edits, amends or decides on content. Drafts are private
(404 for whoever may not read them); the council reads from "submitted" on; everyone reads
from "in consultation" on. One test per (role, page) pair.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser

from samenspraak.committees.models import MemberRole
from samenspraak.proposals import packages, selectors, services
from samenspraak.proposals.models import (
    Amendment,
    AmendmentStatus,
    BudgetPackage,
    Comment,
    FrameworkCheck,
    PackageCheck,
    PackageStatus,
    Proposal,
    ProposalSettings,
    ProposalStatus,
)
from tests.matrix import LOGIN, MANAGERS, REDIRECT, ROLES, STAFF, everyone, matrix_users, only
from tests.proposals.conftest import REQUIREMENTS, content
from tests.proposals.test_views import proposal_post

AUTHORS = MANAGERS | {"member"}
READ_DRAFT = STAFF | {"facilitator", "member"}
CREATORS = MANAGERS | {"member", "other_member", "partner"}
FACILITATORS = {"facilitator", "other_facilitator"}


def draft(allowed: set[str], status=200):
    """A page of the draft: ``allowed`` get ``status``; other readers of the draft 403;
    whoever may not read it 404 (a draft's existence is not given away)."""
    return {
        role: status if role in allowed else (403 if role in READ_DRAFT else 404) for role in ROLES
    }


READ_PACKAGE = STAFF | FACILITATORS


def package(allowed: set[str], status=200):
    """A page of a draft package: ``allowed`` get ``status``; other readers 403; whoever may
    not read it 404."""
    return {
        role: status if role in allowed else (403 if role in READ_PACKAGE else 404)
        for role in ROLES
    }


D = "/voorstellen/{d}"
P = "/processen/{p}"
TABLE = [
    ("list", "get", P + "/voorstellen/", everyone(200)),
    ("create", "get", P + "/voorstellen/nieuw/", only(CREATORS)),
    ("create-post", "post", P + "/voorstellen/nieuw/", only(CREATORS)),
    ("coverage", "get", P + "/programma-van-eisen/dekking/", everyone(200)),
    ("manage-list", "get", "/beheer/processen/{p}/voorstellen/", only(STAFF)),
    ("manage-settings", "post", "/beheer/processen/{p}/voorstellen/", only(MANAGERS, REDIRECT)),
    ("detail-draft", "get", D + "/", draft(READ_DRAFT)),
    (
        "detail-submitted",
        "get",
        "/voorstellen/{s}/",
        only(READ_DRAFT | {"council_member", "clerk"}, otherwise=404, anonymous=404),
    ),
    ("detail-public", "get", "/voorstellen/{c}/", everyone(200)),
    ("edit", "get", D + "/bewerken/", draft(AUTHORS)),
    ("edit-post", "post", D + "/bewerken/", draft(AUTHORS, REDIRECT)),
    # In consultation the text is fixed, for the authors too.
    ("edit-public", "get", "/voorstellen/{c}/bewerken/", only(set())),
    ("versions", "get", D + "/versies/", draft(READ_DRAFT)),
    ("diff", "get", D + "/versies/vergelijken/?van=1&naar=2", draft(READ_DRAFT)),
    ("amendments", "get", D + "/amendementen/", draft(READ_DRAFT)),
    ("amend-post", "post", D + "/amendementen/", draft(AUTHORS, REDIRECT)),
    ("amendment-decide", "get", D + "/amendementen/{a}/", draft(AUTHORS)),
    ("amendment-decide-post", "post", D + "/amendementen/{a}/", draft(AUTHORS, REDIRECT)),
    ("amendment-withdraw", "post", D + "/amendementen/{a}/intrekken/", draft({"member"}, REDIRECT)),
    ("comment-post", "post", D + "/reacties/", draft(AUTHORS | {"other_staff"}, REDIRECT)),
    (
        "comment-post-public",
        "post",
        "/voorstellen/{c}/reacties/",
        only(set(ROLES) - FACILITATORS - {"anonymous"}, REDIRECT),
    ),
    (
        "comment-hide",
        "post",
        D + "/reacties/{m}/verbergen/",
        draft(MANAGERS | {"facilitator"}, REDIRECT),
    ),
    ("check", "get", D + "/toets/", draft(READ_DRAFT)),
    ("check-run", "post", D + "/toets/", draft(AUTHORS, REDIRECT)),
    ("submit", "post", D + "/status/", draft(AUTHORS, REDIRECT)),
    ("conditions", "get", D + "/voorwaarden/", draft(MANAGERS)),
    ("assessment", "get", D + "/beoordeling/", draft(MANAGERS)),
    ("pve", "get", D + "/programma-van-eisen/", draft(READ_DRAFT)),
    ("pve-csv", "get", D + "/programma-van-eisen.csv", draft(READ_DRAFT)),
    ("pve-pdf", "get", D + "/programma-van-eisen.pdf", draft(READ_DRAFT)),
    ("pve-html", "get", D + "/programma-van-eisen.html", draft(READ_DRAFT)),
    ("missing", "get", "/voorstellen/bestaat-niet/", everyone(404)),
    # Budget packages: the owner writes; staff and facilitators read a draft; everyone reads
    # one in consultation; a facilitator never writes.
    ("packages", "get", P + "/pakketten/", everyone(200)),
    ("package-save", "post", P + "/pakketten/opslaan/", only(MANAGERS, status=400)),
    ("package-draft", "get", "/pakketten/{k}/", package(READ_PACKAGE)),
    ("package-public", "get", "/pakketten/{q}/", everyone(200)),
    ("package-edit", "get", "/pakketten/{k}/bewerken/", package(MANAGERS)),
    ("package-edit-post", "post", "/pakketten/{k}/bewerken/", package(MANAGERS, REDIRECT)),
    ("package-check", "post", "/pakketten/{k}/toets/", package(MANAGERS, REDIRECT)),
    ("package-status", "post", "/pakketten/{k}/status/", package(MANAGERS, REDIRECT)),
    ("package-conditions", "get", "/pakketten/{k}/voorwaarden/", package(MANAGERS)),
    # The API answers the same rules.
    ("api-list", "get", "/api/v1/processes/{p}/proposals/", everyone(200)),
    ("api-detail-draft", "get", "/api/v1/proposals/{d}/", draft(READ_DRAFT)),
    ("api-detail-public", "get", "/api/v1/proposals/{c}/", everyone(200)),
    ("api-versions-draft", "get", "/api/v1/proposals/{d}/versions/", draft(READ_DRAFT)),
    ("api-update", "put", "/api/v1/proposals/{d}/", draft(AUTHORS)),
    # A measure is in consultation, so the budget is open to everyone (its own tests cover
    # the time before); packages as on their pages. All read-only.
    ("api-budget", "get", "/api/v1/processes/{p}/budget/", everyone(200)),
    ("api-budget-post", "post", "/api/v1/processes/{p}/budget/", everyone(405)),
    ("api-packages", "get", "/api/v1/processes/{p}/packages/", everyone(200)),
    ("api-package-draft", "get", "/api/v1/packages/{k}/", package(READ_PACKAGE)),
    ("api-package-public", "get", "/api/v1/packages/{q}/", everyone(200)),
    ("api-package-put", "put", "/api/v1/packages/{k}/", everyone(405)),
    (
        "api-create",
        "post",
        "/api/v1/processes/{p}/proposals/",
        {
            # Without a committee or organisation the service picks the author from the
            # person: their one committee, their partner organisation. Staff must say who.
            **only({"member", "other_member", "partner"}, status=201, anonymous=403),
            "owner": 400,
            "admin": 400,
        },
    ),
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
    frameworks,
    committee,
    member,
    facilitator,
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

    def make(title, **extra):
        return services.proposal_create(
            actor=member,
            process=process,
            data=content(title=title, **extra),
            committee=committee,
        )

    pve = make("Programma van Eisen", kind="programme_of_requirements")
    services.proposal_update(actor=member, proposal=pve, data={}, requirements=REQUIREMENTS)
    amendment = services.amendment_propose(
        actor=member, proposal=pve, section="risks", proposed_text="Geen.", reason="Test."
    )
    comment = services.comment_post(actor=member, proposal=pve, body="Eerste reactie.")
    # The statuses are set directly: how a proposal gets there is tested in test_services.
    submitted = make("Ingediend voorstel")
    public = make("Voorstel ter inspraak")
    Proposal.objects.filter(pk=submitted.pk).update(status=ProposalStatus.SUBMITTED)
    Proposal.objects.filter(pk=public.pk).update(status=ProposalStatus.IN_CONSULTATION)
    submitted.refresh_from_db()
    public.refresh_from_db()
    draft_package = packages.package_save(
        actor=staff_user, process=process, title="Conceptpakket", proposals=[submitted]
    )
    public_package = packages.package_save(
        actor=staff_user, process=process, title="Pakket ter inspraak", proposals=[public]
    )
    BudgetPackage.objects.filter(pk=public_package.pk).update(status=PackageStatus.IN_CONSULTATION)
    public_package.refresh_from_db()
    return {
        "users": users,
        "process": process,
        "draft": pve,
        "submitted": submitted,
        "public": public,
        "amendment": amendment,
        "comment": comment,
        "package": draft_package,
        "public_package": public_package,
    }


def _url(world, path: str) -> str:
    return path.format(
        p=world["process"].slug,
        d=world["draft"].slug,
        s=world["submitted"].slug,
        c=world["public"].slug,
        a=world["amendment"].pk,
        m=world["comment"].pk,
        k=world["package"].pk,
        q=world["public_package"].pk,
    )


def _post_data(world, name: str):
    pve = world["draft"]
    data = {
        "edit-post": proposal_post(
            kind="programme_of_requirements",
            title="Door de matrix bewerkt",
            summary=pve.summary,
            aspects=["Milieu"],
            budget_area="",
        ),
        "amend-post": {"section": "title", "proposed_text": "Korter", "reason": "Beter."},
        "amendment-decide-post": {"decision": "reject", "reason": "Nee, dank u."},
        "comment-post": {"body": "Een reactie uit de matrix."},
        "comment-post-public": {"body": "Een reactie uit de matrix."},
        "comment-hide": {"reason": "Test van moderatie."},
        "submit": {"status": "submitted"},
        "manage-settings": {"residents_may_propose": "on"},
        "create-post": {},
        "package-save": {"number": "0", "title": "Uit de matrix"},
        "package-edit-post": {
            "title": "Door de matrix gewijzigd",
            "proposals": [world["submitted"].slug, world["public"].slug],
        },
        "package-status": {"status": "to_council", "override_reason": "Matrix."},
    }
    return data.get(name, {})


def _json_body(name: str):
    if name == "api-update":
        return {"title": "Via de API bewerkt", "summary": "Nieuw."}
    if name == "api-create":
        return {"title": "Via de API", "summary": "Een voorstel uit de matrix."}
    if name == "api-package-put":
        return {"title": "Via de API gewijzigd"}
    return None


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "method", "path", "expected"), CASES)
def test_page_access(client, world, role, name, method, path, expected):
    if role != "anonymous":
        client.force_login(world["users"][role])
    url = _url(world, path)
    proposals_before = Proposal.objects.count()
    checks_before = FrameworkCheck.objects.count()
    body = _json_body(name)
    if body is not None:
        response = getattr(client, method)(url, body, content_type="application/json")
    elif method == "post":
        response = client.post(url, _post_data(world, name))
    else:
        response = client.get(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"/account/inloggen/?next={quote(url)}"
    elif expected == REDIRECT:
        assert response.status_code == 302, response.content[:2000]
        assert not response["Location"].startswith("/account/inloggen/")
    else:
        assert response.status_code == expected, response.content[:500]

    allowed = expected in (200, 201, REDIRECT)
    pve = Proposal.objects.get(pk=world["draft"].pk)
    # Nothing a refused role tries is written; what an allowed role does is.
    if name == "edit-post":
        assert (pve.title == "Door de matrix bewerkt") is allowed
    if name == "api-update":
        assert (pve.title == "Via de API bewerkt") is allowed
        assert (pve.current_version.number == 3) is allowed
    if name == "create-post":
        assert Proposal.objects.count() == proposals_before  # the empty form is refused
    if name == "api-create":
        assert Proposal.objects.count() == proposals_before + (1 if expected == 201 else 0)
    if name == "amend-post":
        assert Amendment.objects.filter(proposed_text="Korter").exists() is allowed
    if name == "amendment-decide-post":
        status = Amendment.objects.get(pk=world["amendment"].pk).status
        assert (status == AmendmentStatus.REJECTED) is allowed
    if name == "amendment-withdraw":
        status = Amendment.objects.get(pk=world["amendment"].pk).status
        assert (status == AmendmentStatus.WITHDRAWN) is allowed
    if name in ("comment-post", "comment-post-public"):
        assert Comment.objects.filter(body="Een reactie uit de matrix.").exists() is allowed
    if name == "comment-hide":
        assert Comment.objects.get(pk=world["comment"].pk).is_hidden is allowed
    if name == "check-run":
        assert (FrameworkCheck.objects.count() == checks_before + 1) is allowed
    if name == "submit":
        assert (pve.status == ProposalStatus.SUBMITTED) is allowed
    draft_package = BudgetPackage.objects.get(pk=world["package"].pk)
    if name == "package-save":
        assert not BudgetPackage.objects.filter(title="Uit de matrix").exists()
    if name == "package-edit-post":
        assert (draft_package.title == "Door de matrix gewijzigd") is allowed
        assert (draft_package.proposals.count() == 2) is allowed
    if name == "api-package-put":
        assert draft_package.title == "Conceptpakket"  # the API reads packages only
    if name == "package-check":
        assert PackageCheck.objects.filter(package=draft_package).exists() is allowed
    if name == "package-status":
        assert (draft_package.status == PackageStatus.TO_COUNCIL) is allowed
    if name == "manage-settings":
        settings = ProposalSettings.objects.filter(process=world["process"]).first()
        assert bool(settings and settings.residents_may_propose) is allowed


def test_table_covers_every_role_for_every_page():
    for name, _method, _path, expected in TABLE:
        assert set(expected) == set(ROLES), name
    # Every URL of the proposal pages is in the table.
    from samenspraak.proposals.urls import urlpatterns

    names = {p.name for p in urlpatterns}
    covered = {
        "list",
        "create",
        "coverage",
        "manage_list",
        "detail",
        "edit",
        "transition",
        "versions",
        "diff",
        "amendments",
        "amendment_decide",
        "amendment_withdraw",
        "comment_create",
        "comment_hide",
        "check",
        "conditions",
        "assessment",
        "pve",
        "pve_html",
        "pve_csv",
        "pve_pdf",
        "packages",
        "package_save",
        "package",
        "package_edit",
        "package_check",
        "package_transition",
        "package_conditions",
    }
    # The budget page (budget_views.py) is another part of the app with its own tests.
    assert names - {"budget"} == covered


@pytest.mark.django_db
def test_the_facilitator_is_refused_on_every_content_page(client, world):
    """The same as the table, said once more in one place: every content URL is 403."""
    client.force_login(world["users"]["facilitator"])
    content_pages = [
        ("get", P + "/voorstellen/nieuw/"),
        ("post", P + "/voorstellen/nieuw/"),
        ("get", D + "/bewerken/"),
        ("post", D + "/bewerken/"),
        ("post", D + "/amendementen/"),
        ("get", D + "/amendementen/{a}/"),
        ("post", D + "/amendementen/{a}/"),
        ("post", D + "/reacties/"),
        ("post", D + "/toets/"),
        ("post", D + "/status/"),
        ("get", D + "/voorwaarden/"),
        ("get", D + "/beoordeling/"),
    ]
    for method, path in content_pages:
        url = _url(world, path)
        assert getattr(client, method)(url).status_code == 403, (method, url)
    assert (
        client.put(
            _url(world, "/api/v1/proposals/{d}/"),
            {"title": "x", "summary": "y"},
            content_type="application/json",
        ).status_code
        == 403
    )


# --- the rules themselves ------------------------------------------------------------------

RULES = [
    # (permission, object, roles that have it)
    ("proposals.view_proposal", "draft", READ_DRAFT),
    ("proposals.view_proposal", "submitted", READ_DRAFT | {"council_member", "clerk"}),
    ("proposals.view_proposal", "public", set(ROLES)),
    ("proposals.change_proposal", "draft", AUTHORS),
    ("proposals.change_proposal", "public", set()),
    ("proposals.submit_proposal", "draft", AUTHORS),
    ("proposals.withdraw_proposal", "draft", AUTHORS),
    ("proposals.change_status", "draft", MANAGERS),
    ("proposals.amend_proposal", "draft", AUTHORS | {"other_member"}),
    ("proposals.decide_amendment", "draft", AUTHORS),
    ("proposals.comment", "draft", AUTHORS | {"other_staff"}),
    ("proposals.comment", "public", set(ROLES) - FACILITATORS - {"anonymous"}),
    ("proposals.moderate_comments", "draft", MANAGERS | {"facilitator"}),
    ("proposals.run_check", "draft", AUTHORS),
    ("proposals.assess_conditions", "draft", MANAGERS),
    ("proposals.assess_proposal", "draft", MANAGERS),
    ("proposals.add_proposal", "process", CREATORS),
    ("proposals.manage_proposals", "process", MANAGERS),
    ("proposals.view_proposal_overview", "process", STAFF),
    ("proposals.view_package", "package", READ_PACKAGE),
    ("proposals.view_package", "public_package", set(ROLES)),
    ("proposals.add_package", "process", MANAGERS),
    ("proposals.change_package", "package", MANAGERS),
    ("proposals.change_package", "public_package", set()),
    ("proposals.change_package_status", "package", MANAGERS),
    ("proposals.run_package_check", "package", MANAGERS),
    ("proposals.assess_package_conditions", "package", MANAGERS),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("perm", "obj", "allowed"),
    [pytest.param(perm, obj, allowed, id=f"{perm}-{obj}") for perm, obj, allowed in RULES],
)
def test_rule(world, perm, obj, allowed):
    # Reads only, so one world serves every role; the message names each role that differs.
    wrong = []
    for role in ROLES:
        user = AnonymousUser() if role == "anonymous" else world["users"][role]
        if user.has_perm(perm, world[obj]) is not (role in allowed):
            wrong.append(role)
    assert wrong == []


@pytest.mark.django_db
def test_lists_show_exactly_what_the_rule_lets_each_role_read(world):
    for role in ROLES:
        user = AnonymousUser() if role == "anonymous" else world["users"][role]
        listed = set(selectors.proposal_list_for_user(user=user, process=world["process"]))
        readable = {
            p for p in Proposal.objects.all() if user.has_perm("proposals.view_proposal", p)
        }
        assert listed == readable, role


@pytest.mark.django_db
def test_the_api_lists_exactly_the_packages_the_rule_lets_each_role_read(client, world):
    path = _url(world, "/api/v1/processes/{p}/packages/")
    for role in ROLES:
        client.logout()
        user = AnonymousUser() if role == "anonymous" else world["users"][role]
        if role != "anonymous":
            client.force_login(user)
        listed = {row["id"] for row in client.get(path).json()}
        readable = {
            p.pk for p in BudgetPackage.objects.all() if user.has_perm("proposals.view_package", p)
        }
        assert listed == readable, role


@pytest.mark.django_db
def test_a_facilitator_seated_as_member_still_cannot_author(world, committee):
    facilitator = world["users"]["facilitator"]
    committee.memberships.filter(user=facilitator).update(role=MemberRole.MEMBER)
    for perm in ("change_proposal", "amend_proposal", "decide_amendment", "comment", "run_check"):
        assert not facilitator.has_perm(f"proposals.{perm}", world["draft"]), perm
    assert not facilitator.has_perm("proposals.add_proposal", world["process"])


@pytest.mark.django_db
def test_residents_may_propose_only_where_the_owner_allows(world):
    resident, process = world["users"]["resident"], world["process"]
    assert not resident.has_perm("proposals.add_proposal", process)
    services.settings_update(
        actor=world["users"]["owner"], process=process, residents_may_propose=True
    )
    process.refresh_from_db()
    assert resident.has_perm("proposals.add_proposal", process)
