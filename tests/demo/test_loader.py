"""The demo loader: the four reference cases, written through the services, idempotently."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.db import transaction

from samenspraak.accounts.models import Role
from samenspraak.common.models import AuditEvent
from samenspraak.core import frameworks as core
from samenspraak.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from samenspraak.demo.cases import CASES, MUNICIPALITIES, months_after
from samenspraak.demo.loader import load_demo
from samenspraak.processes.models import District, Framework, Process, ProcessStatus

HTH, PURMEREND, ZEIST, OSS = (
    "huis-ter-heide-pve",
    "purmerend-sociaal-domein",
    "bezuinigingsdialoog-zeist",
    "oss-maken-we-samen",
)


@pytest.fixture(scope="module")
def summary(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module (it takes seconds) inside a transaction that is
    rolled back afterwards; each test runs in a savepoint within it, so the tests that change
    or reload the demo see the first load's state and leave nothing behind."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def _process(slug: str) -> Process:
    return Process.objects.select_related("municipality", "owner", "current_phase").get(slug=slug)


def _model_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_first_load_creates_everything_without_warnings(summary):
    assert dict(summary.created) == {
        "municipalities": 3,
        "districts": 18,
        "accounts": len(DEMO_ACCOUNTS),
        "processes": 4,
    }
    assert not any(summary.existing.values())
    assert summary.warnings == []
    assert Process.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "municipality", "cbs_code", "districts"),
    [
        (HTH, "Zeist", "GM0355", {"Huis ter Heide", "Bosch en Duin"}),
        (
            PURMEREND,
            "Purmerend",
            "GM0439",
            {"Overwhere", "Weidevenne", "Centrum", "Wheermolen", "Gors", "Purmer-Noord"},
        ),
        (
            ZEIST,
            "Zeist",
            "GM0355",
            {
                "Huis ter Heide",
                "Bosch en Duin",
                "Zeist-Centrum",
                "Zeist-West",
                "Zeist-Noord",
                "Den Dolder",
                "Austerlitz",
            },
        ),
        (OSS, "Oss", "GM0828", {"Dichtersbuurt", "Megen"}),
    ],
)
def test_each_process_lies_in_its_municipality_and_districts(
    summary, slug, municipality, cbs_code, districts
):
    process = _process(slug)
    assert (process.municipality.name, process.municipality.cbs_code) == (municipality, cbs_code)
    assert {d.name for d in process.districts.all()} == districts
    assert all(d.municipality_id == process.municipality_id for d in process.districts.all())


@pytest.mark.django_db
def test_district_kinds_follow_the_places(summary):
    kinds = dict(District.objects.values_list("name", "kind"))
    assert kinds["Dichtersbuurt"] == District.Kind.NEIGHBOURHOOD
    assert kinds["Megen"] == District.Kind.VILLAGE
    assert kinds["Huis ter Heide"] == District.Kind.VILLAGE
    assert kinds["Weidevenne"] == District.Kind.DISTRICT
    assert District.objects.count() == sum(len(m.districts) for m in MUNICIPALITIES)


@pytest.mark.django_db
def test_processes_are_public_and_owned_by_the_demo_staff_member(summary):
    owners = set(Process.objects.values_list("owner__email", flat=True))
    assert owners == {"medewerker@samenspraak.example"}
    assert set(Process.objects.values_list("status", flat=True)) == {ProcessStatus.ACTIVE}
    colleague = get_user_model().objects.get(email="collega@samenspraak.example")
    assert not colleague.owned_processes.exists()


@pytest.mark.django_db
def test_zeist_dialogue_has_eight_themes_each_with_an_owning_department(summary):
    themes = list(_process(ZEIST).themes.order_by("position"))
    assert [t.name for t in themes] == [
        "Zorg en welzijn",
        "Jeugd en onderwijs",
        "Sport en cultuur",
        "Openbare ruimte en groen",
        "Economie en toerisme",
        "Wonen",
        "Veiligheid",
        "Dienstverlening en bedrijfsvoering",
    ]
    assert all(t.owning_department and t.description for t in themes)


@pytest.mark.django_db
def test_purmerend_and_oss_have_their_themes(summary):
    assert {"Eenzaamheid", "Schulden", "Jeugd", "Mantelzorg"} <= set(
        _process(PURMEREND).themes.values_list("name", flat=True)
    )
    assert list(_process(OSS).themes.order_by("position").values_list("name", flat=True)) == [
        "Pilot Dichtersbuurt (penvoerder BrabantWonen)",
        "Pilot Megen (penvoerder Mooiland Maasland)",
    ]


@pytest.mark.django_db
def test_huis_ter_heide_has_the_seven_mandatory_aspects(summary):
    aspects = list(_process(HTH).framework.aspects.order_by("position"))
    assert [a.name for a in aspects] == [
        "Milieu",
        "Bereikbaarheid",
        "Voorzieningen",
        "Groen",
        "Parkeren",
        "Woontypen",
        "Uitstraling",
    ]
    assert all(a.description.endswith(".") for a in aspects)


@pytest.mark.django_db
def test_every_bandwidth_passes_the_core_checks(summary):
    frameworks = Framework.objects.prefetch_related("years")
    assert frameworks.count() == 4
    for framework in frameworks:
        rows = [
            core.BandwidthYear(
                year=y.year,
                minimum=y.minimum,
                maximum=y.maximum,
                savings_structural=y.savings_structural,
                savings_incidental=y.savings_incidental,
            )
            for y in framework.years.all()
        ]
        assert rows, framework
        findings = core.check_bandwidth(core.BandwidthKind(framework.bandwidth_kind), rows)
        assert [f for f in findings if f.severity is core.Severity.ERROR] == [], framework
        assert findings == [], framework  # not even a warning: the demo is clean


@pytest.mark.django_db
def test_amounts_are_stored_exactly(summary):
    def years(slug):
        return {y.year: y for y in _process(slug).framework.years.all()}

    hth = years(HTH)[2027]
    assert (hth.minimum, hth.maximum) == (Decimal("-500000"), Decimal("1500000"))
    assert {y: r.savings_structural for y, r in years(PURMEREND).items()} == {
        2027: Decimal("1200000"),
        2028: Decimal("2400000"),
        2029: Decimal("3500000"),
        2030: Decimal("3500000"),
    }
    zeist = years(ZEIST)
    assert {y: r.savings_structural for y, r in zeist.items()} == {
        2027: Decimal("2100000"),
        2028: Decimal("3400000"),
        2029: Decimal("4200000"),
        2030: Decimal("4200000"),
    }
    assert any(r.savings_incidental for r in zeist.values())
    assert all(r.minimum == 0 and r.maximum > 0 for r in years(OSS).values())


@pytest.mark.django_db
def test_framework_texts(summary):
    hth = _process(HTH).framework
    assert hth.bandwidth_kind == "range"
    assert hth.bandwidth_subject == "Resultaat grondexploitatie"
    assert any("30% " in line and "sociale huur" in line for line in hth.condition_lines)
    assert any("Natura 2000" in line for line in hth.condition_lines)
    purmerend = _process(PURMEREND).framework
    assert purmerend.bandwidth_kind == "savings"
    assert purmerend.budget_areas == "6.1, 6.21, 6.22, 6.3, 6.71, 6.81, 6.82"
    assert any("wettelijke taken" in line.lower() for line in purmerend.condition_lines)
    assert _process(OSS).framework.bandwidth_subject == (
        "Budget maatschappelijke aanbesteding (twee pilots)"
    )
    assert all(
        f.council_decision_reference and f.decision_deadline for f in Framework.objects.all()
    )


@pytest.mark.django_db
def test_decision_deadlines_follow_the_council(summary):
    hth = _process(HTH)
    first = hth.phases.order_by("position").first()
    assert hth.framework.decision_deadline == months_after(first.start_date, 5)
    purmerend = _process(PURMEREND)
    first = purmerend.phases.order_by("position").first()
    assert purmerend.framework.decision_deadline == months_after(first.start_date, 4)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "kinds", "current"),
    [
        (HTH, ["intake", "drafting", "consultation", "council", "execution"], "drafting"),
        (
            PURMEREND,
            ["intake", "dialogue", "consultation", "council", "tender", "execution"],
            "dialogue",
        ),
        (
            ZEIST,
            ["intake", "other", "dialogue", "consultation", "council", "execution"],
            "dialogue",
        ),
        (OSS, ["intake", "tender", "execution", "evaluation"], "tender"),
    ],
)
def test_phases_and_current_phase(summary, slug, kinds, current):
    process = _process(slug)
    phases = list(process.phases.order_by("position"))
    assert [p.kind for p in phases] == kinds
    assert process.current_phase.kind == current
    assert process.current_phase.process_id == process.pk
    dates = [core.PhaseDates(p.title, p.start_date, p.end_date) for p in phases]
    assert core.check_phases(dates) == []  # ordered, no overlap
    assert phases[0].start_date >= date(2026, 1, 1)


@pytest.mark.django_db
def test_loading_twice_changes_nothing(summary):
    before = _model_counts()
    second = load_demo()
    assert _model_counts() == before
    assert not second.created_anything
    assert dict(second.existing) == dict(summary.created)


@pytest.mark.django_db
def test_what_exists_is_left_as_it_is(summary):
    Process.objects.filter(slug=OSS).update(title="Oss maken we samen (eigen titel)")
    resident = get_user_model().objects.get(email="inwoner@samenspraak.example")
    resident.set_password("een-eigen-wachtwoord")
    resident.save()

    load_demo()

    assert _process(OSS).title == "Oss maken we samen (eigen titel)"
    resident.refresh_from_db()
    assert resident.check_password("een-eigen-wachtwoord")
    assert not resident.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_a_removed_process_is_loaded_again(summary):
    Process.objects.filter(slug=OSS).delete()
    again = load_demo()
    assert dict(again.created) == {"processes": 1}
    assert _process(OSS).themes.count() == 2


@pytest.mark.django_db
def test_every_demo_account_can_log_in(summary):
    for account in DEMO_ACCOUNTS:
        user = authenticate(username=account.email, password=DEMO_PASSWORD)
        assert user is not None, account.email
        assert (user.full_name, user.role, user.organisation) == (
            account.full_name,
            account.role,
            account.organisation,
        )
        assert user.is_staff == user.is_superuser == (account.role == "admin")


@pytest.mark.django_db
def test_one_account_per_role(summary):
    assert {a.role for a in DEMO_ACCOUNTS} == set(Role.values)
    emails = [a.email for a in DEMO_ACCOUNTS]
    assert len(emails) == len(set(emails))
    assert all(e == e.lower() for e in emails)


@pytest.mark.django_db
def test_writes_go_through_the_audited_services_as_the_admin(summary):
    events = AuditEvent.objects.filter(action="process_create")
    assert events.count() == 4
    assert set(events.values_list("actor__email", flat=True)) == {"beheerder@samenspraak.example"}
    for action in (
        "framework_update",
        "phases_replace",
        "themes_replace",
        "process_set_current_phase",
    ):
        assert AuditEvent.objects.filter(action=action).count() == 4, action


def test_case_data_is_exact_and_fits_the_models():
    for case in CASES:
        assert len(case.summary) <= 300, case.slug
        assert case.current_phase_title in [p.title for p in case.phases], case.slug
        for year in case.years:
            for name in ("minimum", "maximum", "savings_structural", "savings_incidental"):
                value = getattr(year, name)
                assert value is None or isinstance(value, Decimal), (case.slug, name)


def test_months_after_keeps_the_day_or_clamps_to_the_month_end():
    assert months_after(date(2026, 10, 5), 5) == date(2027, 3, 5)
    assert months_after(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert months_after(date(2026, 1, 15), 12) == date(2027, 1, 15)
