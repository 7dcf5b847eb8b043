# ruff: noqa: F811  (the budget page's fixtures are imported by name and used as arguments)
"""The budget optimiser and the budget packages in /api/v1/: the same helpers and the same
rules as the budget page and the package pages.

The optimiser's answer must equal what the page's helpers compute for the same choices; each
package it returns must close every year, checked with exact Decimal sums of the stored
effects; bad parameters are a 400 naming the parameter; the roles get what the rules say.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from django.conf import settings
from django.http import QueryDict
from django.test import Client

from samenspraak.accounts.models import Role
from samenspraak.processes.models import ProcessStatus
from samenspraak.proposals import budget, packages, services
from samenspraak.proposals.models import BudgetPackage, PackageStatus, Proposal, ProposalStatus
from tests.proposals.test_budget_page import (  # noqa: F401  (fixtures)
    GAP,
    MEASURES,
    _effects,
    _savings,
    committee,
    facilitator,
    measures,
    member,
    savings_process,
)

pytestmark = pytest.mark.django_db


def budget_url(process) -> str:
    return f"/api/v1/processes/{process.slug}/budget/"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _query(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


def _sums(slugs, year) -> tuple[Decimal, Decimal]:
    proposals = [Proposal.objects.get(slug=slug) for slug in slugs]
    s = sum((_effects(p).get(year, (0, 0))[0] for p in proposals), Decimal(0))
    i = sum((_effects(p).get(year, (0, 0))[1] for p in proposals), Decimal(0))
    return s, i


def _assert_closes_exactly(selected, balance_per_year):
    """The balances are the Decimal sums of the stored effects minus the gap, all >= 0."""
    assert selected
    assert [row["year"] for row in balance_per_year] == sorted(GAP)
    for row in balance_per_year:
        gap_s, gap_i = GAP[row["year"]]
        s, i = _sums(selected, row["year"])
        assert Decimal(row["structural"]) == s - gap_s
        assert Decimal(row["total"]) == s + i - gap_s - gap_i
        assert Decimal(row["structural"]) >= 0 and Decimal(row["total"]) >= 0


# --- the optimiser -------------------------------------------------------------------------------


CHOICES = [
    {"objective": "support"},
    {"objective": "impact", "alternatives": "3"},
    {"objective": "people", "alternatives": "0"},
    {"objective": "support", "include": "balie-op-afspraak", "exclude": "minder-inhuur"},
    {"include": ["panden-verkopen", "balie-op-afspraak"], "exclude": ["sportvelden-door-clubs"]},
]


@pytest.mark.parametrize("params", CHOICES)
def test_the_result_equals_the_page_helpers_for_the_same_choices(
    staff_user, savings_process, measures, params
):
    response = _client(staff_user).get(budget_url(savings_process), params)
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    page = budget.budget_page(
        process=savings_process, user=staff_user, query=_query(params), whole=True
    )
    outcome = page.outcome
    result = body["result"]
    assert result["feasible"] is outcome.feasible is True
    assert result["objective_name"] == page.choices.objective.value
    assert len(result["alternatives"]) == len(outcome.packages) - 1
    shown = [
        (result["selected"], result["objective"], result["balance_per_year"]),
        *[(a["selected"], a["objective"], a["balance_per_year"]) for a in result["alternatives"]],
    ]
    for (selected, harm, balances), package in zip(shown, outcome.packages, strict=True):
        assert selected == sorted(row.slug for row in package.proposals)
        assert math.isclose(harm, package.harm_value, abs_tol=1e-9)
        assert balances == [
            {
                "year": row.year,
                "structural": str(row.balance_structural),
                "total": str(row.balance_total),
            }
            for row in package.rows
        ]
        _assert_closes_exactly(selected, balances)
    include, exclude = params.get("include", []), params.get("exclude", [])
    for slug in [include] if isinstance(include, str) else include:
        assert all(slug in selected for selected, _h, _b in shown)
    for slug in [exclude] if isinstance(exclude, str) else exclude:
        assert all(slug not in selected for selected, _h, _b in shown)
    assert "shortfall_per_year" not in result


def test_the_gap_and_the_candidates_are_exact_euro_strings(staff_user, savings_process, measures):
    body = _client(staff_user).get(budget_url(savings_process)).json()
    assert body["whole"] is True
    assert body["gap"] == [
        {"year": year, "structural": str(s), "incidental": str(i)} for year, (s, i) in GAP.items()
    ]
    assert sorted(c["title"] for c in body["candidates"]) == sorted(row[0] for row in MEASURES)
    by_slug = {c["slug"]: c for c in body["candidates"]}
    assert set(by_slug) == {m.slug for m in measures}
    for proposal in measures:
        effects = _effects(proposal)
        assert by_slug[proposal.slug]["effects"] == [
            {
                "year": year,
                "structural": str(effects.get(year, (Decimal("0.00"),) * 2)[0]),
                "incidental": str(effects.get(year, (Decimal("0.00"),) * 2)[1]),
            }
            for year in sorted(GAP)
        ]
    # The default choices are the page's: support, two alternatives.
    assert body["result"]["objective_name"] == "support"
    assert len(body["result"]["alternatives"]) == budget.DEFAULT_ALTERNATIVES


def test_when_nothing_closes_the_gap_the_shortfall_is_given(staff_user, savings_process, measures):
    big = {2027: (Decimal("400000.00"), Decimal("0.00")), 2028: (Decimal("150000.00"), Decimal(0))}
    _savings(savings_process, staff_user, gap=big)
    result = _client(staff_user).get(budget_url(savings_process)).json()["result"]
    assert result["feasible"] is False
    assert result["selected"] == [] and result["alternatives"] == []
    short = {row["year"]: Decimal(row["short"]) for row in result["shortfall_per_year"]}
    most_2027 = Decimal("60000") + Decimal("50000") + Decimal("10000") + Decimal("45000")
    assert short == {2027: Decimal("400000.00") - most_2027, 2028: Decimal(0)}
    for row in result["shortfall_per_year"]:
        expected = max(Decimal(0), -Decimal(row["structural"]), -Decimal(row["total"]))
        assert Decimal(row["short"]) == expected


def test_without_a_savings_target_there_is_no_result(staff_user, process):
    body = _client(staff_user).get(budget_url(process)).json()  # a range bandwidth
    assert body["gap"] is None and body["result"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"objective": "geld"}, "objective"),
        ({"alternatives": "veel"}, "alternatives"),
        ({"alternatives": "99"}, "alternatives"),
        ({"alternatives": "-1"}, "alternatives"),
        ({"include": "bestaat-niet"}, "include"),
        ({"exclude": "bestaat-niet"}, "exclude"),
        ({"include": "minder-inhuur", "exclude": "minder-inhuur"}, "exclude"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(staff_user, savings_process, measures, params, field):
    response = _client(staff_user).get(budget_url(savings_process), params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {field}
    assert body[field] and all(isinstance(m, str) and m for m in body[field])


def test_the_400_is_dutch_by_default_and_english_on_request(staff_user, savings_process, measures):
    params = {"include": "minder-inhuur", "exclude": "minder-inhuur"}
    client = _client(staff_user)
    dutch = client.get(budget_url(savings_process), params).json()["exclude"][0]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(budget_url(savings_process), params).json()["exclude"][0]
    assert "Minder inhuur" in dutch and "Minder inhuur" in english
    assert english.startswith("A proposal cannot be always in and never in the package")
    assert dutch.startswith("Een voorstel kan niet")


def test_a_missing_score_is_a_400_on_the_objective(staff_user, savings_process, measures):
    Proposal.objects.filter(slug="panden-verkopen").update(impact_score=None)
    response = _client(staff_user).get(budget_url(savings_process), {"objective": "impact"})
    assert response.status_code == 400
    assert "Panden verkopen" in response.json()["objective"][0]


# --- who may use it ------------------------------------------------------------------------------


@pytest.fixture
def people(user_of_role, staff_user, member, facilitator, committee):
    return {
        "owner": staff_user,
        "other staff": user_of_role(Role.STAFF),
        "council member": user_of_role(Role.COUNCIL_MEMBER),
        "clerk": user_of_role(Role.CLERK),
        "member": member,
        "facilitator": facilitator,
        "member elsewhere": user_of_role(Role.COMMITTEE_MEMBER, full_name="Elders Lid"),
        "resident": user_of_role(Role.RESIDENT),
        "anonymous": None,
    }


INSIDERS = {"owner", "other staff", "council member", "clerk", "member", "facilitator"}


def _get(user, path, params=None):
    return _client(user).get(path, params or {})


def test_before_consultation_only_those_following_the_process_see_it(
    savings_process, measures, people
):
    for name, user in people.items():
        response = _get(user, budget_url(savings_process))
        assert response.status_code == (200 if name in INSIDERS else 403), name
        if name in INSIDERS:
            assert response.json()["whole"] is True
            assert len(response.json()["candidates"]) == len(MEASURES)


def test_in_consultation_residents_see_only_the_measures_put_to_them(
    staff_user, savings_process, measures, people
):
    public = measures[0]
    for step in (ProposalStatus.CHECKED, ProposalStatus.IN_CONSULTATION):
        services.proposal_transition(
            actor=staff_user, proposal=public, to_status=step, override_reason="Pakket telt."
        )
    for name in ("resident", "member elsewhere", "anonymous"):
        response = _get(people[name], budget_url(savings_process))
        assert response.status_code == 200, name
        body = response.json()
        assert body["whole"] is False
        assert [c["slug"] for c in body["candidates"]] == [public.slug]
        # One measure cannot close the gap: the optimiser only weighed what they may see.
        assert body["result"]["feasible"] is False
        # A proposal they cannot see is an unknown choice for them.
        other = _get(people[name], budget_url(savings_process), {"include": measures[1].slug})
        assert other.status_code == 400 and "include" in other.json()
    council = _get(people["council member"], budget_url(savings_process)).json()
    assert council["whole"] is True and len(council["candidates"]) == len(MEASURES)


def test_a_draft_process_is_hidden_from_everyone_but_staff(savings_process, measures, people):
    type(savings_process).objects.filter(pk=savings_process.pk).update(status=ProcessStatus.DRAFT)
    assert _get(people["other staff"], budget_url(savings_process)).status_code == 200
    for name in ("council member", "member", "facilitator", "resident", "anonymous"):
        assert _get(people[name], budget_url(savings_process)).status_code == 404, name


def test_the_budget_endpoints_are_read_only_for_everyone(savings_process, measures, people):
    """Nothing is written through them; the facilitator, who may read, gets no write."""
    path = budget_url(savings_process)
    for name in ("owner", "facilitator"):
        client = _client(people[name])
        assert client.get(path).status_code == 200
        assert client.post(path, {}, content_type="application/json").status_code == 405
        lists = f"/api/v1/processes/{savings_process.slug}/packages/"
        assert client.post(lists, {}, content_type="application/json").status_code == 405
    assert BudgetPackage.objects.count() == 0


# --- budget packages -----------------------------------------------------------------------------


def _closing(measures):
    return [
        m for m in measures if m.title in ("Minder inhuur", "Balie op afspraak", "Panden verkopen")
    ]


@pytest.fixture
def saved(staff_user, savings_process, measures):
    """A draft package that closes the gap (checked), and one in consultation that does not."""
    draft = packages.package_save(
        actor=staff_user,
        process=savings_process,
        title="Sluitend concept",
        proposals=_closing(measures),
        objective="support",
        harm=Decimal("1.1"),
    )
    packages.package_run_check(actor=staff_user, package=draft)
    public = packages.package_save(
        actor=staff_user,
        process=savings_process,
        title="Pakket ter inspraak",
        proposals=[m for m in measures if m.title == "Panden verkopen"],
    )
    BudgetPackage.objects.filter(pk=public.pk).update(status=PackageStatus.IN_CONSULTATION)
    return {"draft": draft, "public": public}


def test_the_package_detail_gives_members_check_and_exact_balance(staff_user, saved):
    package = saved["draft"]
    body = _client(staff_user).get(f"/api/v1/packages/{package.pk}/").json()
    assert body["title"] == "Sluitend concept"
    assert body["status"] == PackageStatus.DRAFT
    assert body["origin"] == "optimiser" and body["objective"] == "support"
    slugs = sorted(m["slug"] for m in body["members"])
    assert slugs == sorted(p.slug for p in package.proposals.all())
    for row in body["balance_per_year"]:
        gap_s, gap_i = GAP[row["year"]]
        s, i = _sums(slugs, row["year"])
        assert Decimal(row["saved_structural"]) == s
        assert Decimal(row["saved_total"]) == s + i
        assert Decimal(row["balance_structural"]) == s - gap_s
        assert Decimal(row["balance_total"]) == s + i - gap_s - gap_i
        assert row["closed"] is (s >= gap_s and s + i >= gap_s + gap_i) is True
    assert body["closes"] is True
    check = body["latest_check"]
    stored = packages.latest_check(package)
    assert check["passed"] is stored.passed and check["current"] is True
    assert [(i["code"], i["status"]) for i in check["items"]] == [
        (i["code"], i["status"]) for i in packages.check_items(stored)
    ]
    assert all(i["reason"] for i in check["items"])


def test_a_package_that_does_not_close_says_so_per_year(staff_user, saved):
    body = _client(staff_user).get(f"/api/v1/packages/{saved['public'].pk}/").json()
    assert body["closes"] is False and body["latest_check"] is None
    assert body["origin"] == "staff" and body["objective"] == ""
    assert any(row["closed"] is False for row in body["balance_per_year"])


def test_who_reads_which_package(savings_process, saved, people):
    lists = f"/api/v1/processes/{savings_process.slug}/packages/"
    draft, public = saved["draft"], saved["public"]
    readers = {"owner", "other staff", "facilitator"}
    for name, user in people.items():
        listed = {p["id"] for p in _get(user, lists).json()}
        expected = {draft.pk, public.pk} if name in readers else {public.pk}
        assert listed == expected, name
        assert _get(user, f"/api/v1/packages/{draft.pk}/").status_code == (
            200 if name in readers else 404
        ), name
        assert _get(user, f"/api/v1/packages/{public.pk}/").status_code == 200, name
    assert _get(people["owner"], "/api/v1/packages/999999/").status_code == 404


def test_the_schema_documents_the_new_endpoints():
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    paths = schema["paths"]
    for path in (
        "/api/v1/processes/{slug}/budget/",
        "/api/v1/processes/{slug}/packages/",
        "/api/v1/packages/{id}/",
    ):
        assert set(paths[path]) == {"get"}, path
    budget_get = paths["/api/v1/processes/{slug}/budget/"]["get"]
    names = {p["name"] for p in budget_get["parameters"]}
    assert {"objective", "alternatives", "include", "exclude"} <= names
    result = schema["components"]["schemas"]["BudgetResultOutput"]["properties"]
    assert {"feasible", "selected", "objective", "balance_per_year", "alternatives"} <= set(result)
    assert "shortfall_per_year" in result
