"""The write services: permission first, validate before writing, one transaction, audited."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from samenspraak.accounts.models import Role
from samenspraak.common.models import AuditEvent
from samenspraak.processes import services
from samenspraak.processes.models import (
    BandwidthYear,
    Framework,
    MandatoryAspect,
    Phase,
    PhaseKind,
    Process,
    ProcessStatus,
    Theme,
)
from tests.factories import DistrictFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

JAN1, MAR1, JUN30 = datetime.date(2027, 1, 1), datetime.date(2027, 3, 1), datetime.date(2027, 6, 30)


def _create(actor, municipality, **kwargs):
    defaults = {
        "title": "Herinrichting Dorpsstraat",
        "summary": "Samen kiezen hoe de Dorpsstraat eruit komt te zien.",
        "challenge": "De straat is onveilig voor fietsers.",
        "municipality": municipality,
    }
    return services.process_create(actor=actor, **{**defaults, **kwargs})


def _years(process):
    return list(
        BandwidthYear.objects.filter(framework__process=process)
        .order_by("year")
        .values_list("year", "minimum", "maximum", "savings_structural", "savings_incidental")
    )


def _aspects(process):
    return list(
        MandatoryAspect.objects.filter(framework__process=process)
        .order_by("position")
        .values_list("name", flat=True)
    )


# --- process_create -----------------------------------------------------------------------


def test_process_create_makes_framework_and_audit_event(staff_user, municipality):
    process = _create(staff_user, municipality)
    assert process.owner == staff_user
    assert process.status == ProcessStatus.DRAFT
    assert Framework.objects.filter(process=process).count() == 1
    [event] = AuditEvent.objects.filter(process_id=process.pk)
    assert event.action == "process_create"
    assert event.actor == staff_user
    assert (event.object_type, event.object_id) == ("processes.process", str(process.pk))


def test_process_create_for_another_owner(staff_user, other_staff, municipality):
    process = _create(staff_user, municipality, owner=other_staff)
    assert process.owner == other_staff
    assert AuditEvent.objects.get(process_id=process.pk).actor == staff_user


def test_duplicate_titles_get_unique_slugs(staff_user, municipality):
    first = _create(staff_user, municipality, title="Bezuinigingsdialoog Zeist")
    second = _create(staff_user, municipality, title="Bezuinigingsdialoog Zeist")
    third = _create(staff_user, municipality, title="Bezuinigingsdialoog  zeist!")
    assert first.slug == "bezuinigingsdialoog-zeist"
    assert second.slug == "bezuinigingsdialoog-zeist-2"
    assert third.slug == "bezuinigingsdialoog-zeist-3"


def test_title_without_letters_still_gets_a_slug(staff_user, municipality):
    process = _create(staff_user, municipality, title="!!!")
    assert process.slug
    assert Process.objects.get(slug=process.slug) == process


def test_process_create_with_own_districts(staff_user, municipality):
    centrum = DistrictFactory(municipality=municipality, name="Centrum")
    process = _create(staff_user, municipality, districts=[centrum])
    assert list(process.districts.all()) == [centrum]


def test_districts_of_another_municipality_are_refused_and_nothing_stored(staff_user, municipality):
    elsewhere = DistrictFactory(municipality=MunicipalityFactory(name="Utrecht"), name="Lunetten")
    own = DistrictFactory(municipality=municipality, name="Centrum")
    with pytest.raises(ValidationError) as excinfo:
        _create(staff_user, municipality, districts=[own, elsewhere])
    assert "districts" in excinfo.value.error_dict
    assert "Lunetten" in str(excinfo.value.error_dict["districts"])
    assert "Centrum" not in str(excinfo.value.error_dict["districts"])
    assert Process.objects.count() == 0
    assert Framework.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_invalid_process_stores_nothing(staff_user, municipality):
    with pytest.raises(ValidationError):
        _create(staff_user, municipality, summary="")  # summary is required
    assert Process.objects.count() == 0
    assert AuditEvent.objects.count() == 0


# --- process_update -----------------------------------------------------------------------


def test_process_update_audits_only_changed_fields(process, staff_user):
    old_title = process.title
    services.process_update(
        actor=staff_user,
        process=process,
        data={
            "title": "Bezuinigingsdialoog Zeist 2027",
            "summary": process.summary,  # unchanged
            "status": process.status,  # unchanged
            "municipality": process.municipality,  # unchanged (same row)
            "not_a_field": "ignored",
        },
    )
    process.refresh_from_db()
    assert process.title == "Bezuinigingsdialoog Zeist 2027"
    event = AuditEvent.objects.filter(action="process_update").get()
    assert event.changes == {"title": [old_title, "Bezuinigingsdialoog Zeist 2027"]}


def test_process_update_records_district_changes(process, staff_user, municipality):
    a = DistrictFactory(municipality=municipality, name="Austerlitz")
    b = DistrictFactory(municipality=municipality, name="Bosch en Duin")
    services.process_update(actor=staff_user, process=process, data={}, districts=[b, a])
    event = AuditEvent.objects.filter(action="process_update").get()
    assert event.changes == {"districts": [[], ["Austerlitz", "Bosch en Duin"]]}


def test_process_update_refuses_foreign_districts(process, staff_user):
    foreign = DistrictFactory(name="Lunetten")
    with pytest.raises(ValidationError):
        services.process_update(
            actor=staff_user, process=process, data={"title": "Nieuw"}, districts=[foreign]
        )
    process.refresh_from_db()
    assert process.title == "Bezuinigingsdialoog Zeist"
    assert not AuditEvent.objects.filter(action="process_update").exists()


def test_set_status_refuses_unknown_status(process, staff_user):
    with pytest.raises(ValidationError):
        services.process_set_status(actor=staff_user, process=process, status="weg")
    services.process_set_status(actor=staff_user, process=process, status=ProcessStatus.CLOSED)
    process.refresh_from_db()
    assert process.status == ProcessStatus.CLOSED
    event = AuditEvent.objects.get(action="process_set_status")
    assert event.changes == {"status": ["active", "closed"]}


def test_current_phase_must_belong_to_the_process(process, staff_user, other_staff, municipality):
    other = _create(other_staff, municipality, title="Ander traject")
    services.phases_replace(
        actor=other_staff,
        process=other,
        phases=[{"kind": PhaseKind.INTAKE, "title": "X", "start_date": JAN1, "end_date": MAR1}],
    )
    foreign_phase = other.phases.get()
    with pytest.raises(ValidationError):
        services.process_set_current_phase(actor=staff_user, process=process, phase=foreign_phase)
    process.refresh_from_db()
    assert process.current_phase is None


# --- framework_update ---------------------------------------------------------------------


def test_framework_update_writes_fields_years_and_aspects(process, staff_user):
    warnings = services.framework_update(
        actor=staff_user,
        process=process,
        data={"bandwidth_subject": "Resultaat", "budget_areas": "8.1, 8.3", "unknown": "x"},
        years=[
            {"year": 2028, "minimum": Decimal("-500000.00"), "maximum": None},
            {"year": 2027, "minimum": Decimal("0.01"), "maximum": Decimal("1250000.50")},
        ],
        aspects=[{"name": "Bereikbaarheid"}, {"name": " Milieu ", "description": "Geluid"}],
        # (names are stored without surrounding blanks)
    )
    assert warnings == []
    assert _years(process) == [
        (2027, Decimal("0.01"), Decimal("1250000.50"), None, None),
        (2028, Decimal("-500000.00"), None, None, None),
    ]
    assert _aspects(process) == ["Bereikbaarheid", "Milieu"]
    framework = Framework.objects.get(process=process)
    assert (framework.bandwidth_subject, framework.budget_areas) == ("Resultaat", "8.1, 8.3")
    event = AuditEvent.objects.filter(action="framework_update").order_by("-id").first()
    assert event.actor == staff_user
    assert event.changes["bandwidth_subject"] == ["Resultaat grondexploitatie", "Resultaat"]
    assert "budget_areas" in event.changes
    assert "bandwidth_kind" not in event.changes  # not passed, so not changed
    assert [name.strip() for name in event.changes["aspects"]] == ["Bereikbaarheid", "Milieu"]
    years_before, years_after = event.changes["years"]
    assert [y["year"] for y in years_before] == ["2026"]
    assert sorted(y["year"] for y in years_after) == ["2027", "2028"]


def test_invalid_year_changes_nothing(process, staff_user):
    years_before, aspects_before = _years(process), _aspects(process)
    framework_before = Framework.objects.get(process=process)
    events_before = AuditEvent.objects.count()
    with translation.override("nl"), pytest.raises(ValidationError) as excinfo:
        services.framework_update(
            actor=staff_user,
            process=process,
            data={"bandwidth_subject": "Iets anders", "council_decision_reference": "RB-1"},
            years=[
                {"year": 2026, "minimum": Decimal("1"), "maximum": Decimal("2")},
                {"year": 2027, "minimum": Decimal("1500000"), "maximum": Decimal("200000")},
            ],
            aspects=[{"name": "Veiligheid"}],
        )
    assert excinfo.value.messages == ["Het minimum voor 2027 is hoger dan het maximum."]
    assert _years(process) == years_before
    assert _aspects(process) == aspects_before == ["Milieu"]
    framework = Framework.objects.get(process=process)
    assert framework.bandwidth_subject == framework_before.bandwidth_subject
    assert framework.council_decision_reference == ""
    assert AuditEvent.objects.count() == events_before


def test_framework_error_message_follows_the_language(process, staff_user):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.framework_update(
            actor=staff_user,
            process=process,
            data={},
            years=[{"year": 2027, "minimum": None, "maximum": None}],
            aspects=[],
        )
    assert excinfo.value.messages == ["Enter a minimum or a maximum for 2027."]


def test_duplicate_aspect_names_are_refused(process, staff_user):
    years_before = _years(process)
    with pytest.raises(ValidationError):
        services.framework_update(
            actor=staff_user,
            process=process,
            data={"bandwidth_subject": "Iets anders"},
            years=[{"year": 2030, "minimum": Decimal("1"), "maximum": None}],
            aspects=[{"name": "Milieu"}, {"name": " milieu "}],
        )
    assert _aspects(process) == ["Milieu"]
    assert _years(process) == years_before
    assert Framework.objects.get(process=process).bandwidth_subject == "Resultaat grondexploitatie"


def test_savings_framework_returns_the_decrease_warning(process, staff_user):
    warnings = services.framework_update(
        actor=staff_user,
        process=process,
        data={"bandwidth_kind": "savings"},
        years=[
            {"year": 2026, "savings_structural": Decimal("800000")},
            {"year": 2027, "savings_structural": Decimal("500000")},
        ],
        aspects=[],
    )
    assert [w.code for w in warnings] == ["structural_decreases"]
    assert Framework.objects.get(process=process).bandwidth_kind == "savings"
    assert [y[0] for y in _years(process)] == [2026, 2027]


def test_savings_rules_apply_when_the_kind_changes(process, staff_user):
    # The existing framework is a range; switching to savings checks the rows as savings.
    with pytest.raises(ValidationError):
        services.framework_update(
            actor=staff_user,
            process=process,
            data={"bandwidth_kind": "savings"},
            years=[{"year": 2026, "minimum": Decimal("1"), "maximum": Decimal("2")}],
            aspects=[],
        )
    assert Framework.objects.get(process=process).bandwidth_kind == "range"


# --- phases_replace -----------------------------------------------------------------------


def _phase_rows(process):
    return [
        {
            "id": p.pk,
            "kind": p.kind,
            "title": p.title,
            "start_date": p.start_date,
            "end_date": p.end_date,
        }
        for p in process.phases.order_by("position")
    ]


def test_phases_replace_keeps_current_phase_when_kept(process, staff_user):
    rows = _phase_rows(process)
    current = Phase.objects.get(pk=rows[1]["id"])
    services.process_set_current_phase(actor=staff_user, process=process, phase=current)
    rows[1]["title"] = "Dialoog met de stad"
    rows.append(
        {"kind": PhaseKind.COUNCIL, "title": "Raad", "start_date": JUN30, "end_date": JUN30}
    )
    services.phases_replace(actor=staff_user, process=process, phases=rows)
    process.refresh_from_db()
    assert process.current_phase_id == current.pk
    assert process.current_phase.title == "Dialoog met de stad"
    assert list(process.phases.order_by("position").values_list("title", flat=True)) == [
        "Verkennen",
        "Dialoog met de stad",
        "Raad",
    ]


def test_phases_replace_clears_current_phase_when_removed(process, staff_user):
    rows = _phase_rows(process)
    current = Phase.objects.get(pk=rows[1]["id"])
    services.process_set_current_phase(actor=staff_user, process=process, phase=current)
    services.phases_replace(actor=staff_user, process=process, phases=rows[:1])
    process.refresh_from_db()
    assert process.current_phase is None
    assert not Phase.objects.filter(pk=current.pk).exists()
    event = AuditEvent.objects.filter(action="phases_replace").order_by("-id").first()
    assert event.changes == {"phases": ["Verkennen"], "removed": ["Dialoog"]}


def test_phases_replace_refuses_end_before_start(process, staff_user):
    before = _phase_rows(process)
    rows = [
        *before,
        {"kind": PhaseKind.COUNCIL, "title": "Raad", "start_date": JUN30, "end_date": MAR1},
    ]
    with translation.override("nl"), pytest.raises(ValidationError) as excinfo:
        services.phases_replace(actor=staff_user, process=process, phases=rows)
    assert excinfo.value.messages == ["De fase 'Raad' eindigt voordat hij begint."]
    assert _phase_rows(process) == before


def test_phases_replace_returns_overlap_warning_and_saves(process, staff_user):
    rows = [
        {"kind": PhaseKind.INTAKE, "title": "Ophalen", "start_date": JAN1, "end_date": JUN30},
        {"kind": PhaseKind.DIALOGUE, "title": "Gesprek", "start_date": MAR1, "end_date": JUN30},
    ]
    warnings = services.phases_replace(actor=staff_user, process=process, phases=rows)
    assert [(w.code, w.index) for w in warnings] == [("phases_overlap", 1)]
    assert list(process.phases.order_by("position").values_list("title", flat=True)) == [
        "Ophalen",
        "Gesprek",
    ]


# --- themes_replace -----------------------------------------------------------------------


def test_themes_replace_can_swap_two_names(process, staff_user):
    services.themes_replace(
        actor=staff_user, process=process, themes=[{"name": "Zorg"}, {"name": "Wonen"}]
    )
    zorg, wonen = process.themes.order_by("position")
    services.themes_replace(
        actor=staff_user,
        process=process,
        themes=[{"id": zorg.pk, "name": "Wonen"}, {"id": wonen.pk, "name": "Zorg"}],
    )
    assert dict(Theme.objects.filter(process=process).values_list("pk", "name")) == {
        zorg.pk: "Wonen",
        wonen.pk: "Zorg",
    }


def test_themes_replace_removes_missing_and_refuses_duplicates(process, staff_user):
    services.themes_replace(
        actor=staff_user, process=process, themes=[{"name": "Zorg"}, {"name": "Wonen"}]
    )
    zorg = process.themes.get(name="Zorg")
    with pytest.raises(ValidationError):
        services.themes_replace(
            actor=staff_user, process=process, themes=[{"name": "Sport"}, {"name": " sport"}]
        )
    assert set(process.themes.values_list("name", flat=True)) == {"Zorg", "Wonen"}
    services.themes_replace(
        actor=staff_user, process=process, themes=[{"id": zorg.pk, "name": "Zorg en welzijn"}]
    )
    assert list(process.themes.values_list("pk", "name")) == [(zorg.pk, "Zorg en welzijn")]


# --- permission -----------------------------------------------------------------------------

WRITES = {
    "process_update": lambda actor, p: services.process_update(
        actor=actor, process=p, data={"title": "Gekaapt"}
    ),
    "process_set_status": lambda actor, p: services.process_set_status(
        actor=actor, process=p, status=ProcessStatus.CLOSED
    ),
    "process_set_current_phase": lambda actor, p: services.process_set_current_phase(
        actor=actor, process=p, phase=p.phases.first()
    ),
    "phases_replace": lambda actor, p: services.phases_replace(actor=actor, process=p, phases=[]),
    "themes_replace": lambda actor, p: services.themes_replace(
        actor=actor, process=p, themes=[{"name": "Gekaapt"}]
    ),
    "framework_update": lambda actor, p: services.framework_update(
        actor=actor, process=p, data={"bandwidth_subject": "Gekaapt"}, years=[], aspects=[]
    ),
}


@pytest.mark.parametrize("service", sorted(WRITES))
@pytest.mark.parametrize(
    "role", [Role.STAFF, Role.RESIDENT, Role.FACILITATOR, Role.CLERK, Role.COUNCIL_MEMBER]
)
def test_only_owner_or_admin_may_write(service, role, process, user_of_role):
    intruder = user_of_role(role)  # for STAFF: a colleague who does not own the process
    events_before = AuditEvent.objects.count()
    phases_before = _phase_rows(process)
    with pytest.raises(PermissionDenied):
        WRITES[service](intruder, process)
    process.refresh_from_db()
    assert process.title == "Bezuinigingsdialoog Zeist"
    assert process.status == ProcessStatus.ACTIVE
    assert process.current_phase is None
    assert _phase_rows(process) == phases_before
    assert not process.themes.exists()
    assert _aspects(process) == ["Milieu"]
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("service", sorted(WRITES))
def test_admin_may_write(service, process, admin_user):
    WRITES[service](admin_user, process)
    assert AuditEvent.objects.filter(action=service, actor=admin_user).count() == 1


def test_inactive_owner_may_not_write(process, staff_user):
    staff_user.is_active = False
    staff_user.save()
    with pytest.raises(PermissionDenied):
        WRITES["process_update"](staff_user, process)


@pytest.mark.parametrize("role", [r for r in Role.values if r not in (Role.STAFF, Role.ADMIN)])
def test_only_staff_and_admin_may_create(role, user_of_role, municipality):
    with pytest.raises(PermissionDenied):
        _create(user_of_role(role), municipality)
    assert Process.objects.count() == 0


def test_admin_may_create(admin_user, municipality):
    assert _create(admin_user, municipality).owner == admin_user
