"""Shared fixtures: users per role and one running process built through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from samenspraak.accounts.models import Role
from samenspraak.processes import services
from samenspraak.processes.models import PhaseKind, ProcessStatus
from tests.factories import MunicipalityFactory, UserFactory


@pytest.fixture(autouse=True)
def _dutch_by_default():
    """Every test starts in the default language, Dutch. The locale middleware activates the
    visitor's language for the thread and a request with the English cookie would otherwise
    leave English active for whatever test runs next."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def user_of_role(db):
    """Make a user with the given role: ``user_of_role(Role.CLERK)``."""

    def make(role: str, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def staff_user(user_of_role):
    return user_of_role(Role.STAFF, full_name="Sanne Ambtenaar")


@pytest.fixture
def other_staff(user_of_role):
    return user_of_role(Role.STAFF, full_name="Omar Collega")


@pytest.fixture
def admin_user(user_of_role):
    """An administrator by role (not a Django superuser, so the rules decide)."""
    return user_of_role(Role.ADMIN, full_name="Ada Beheerder")


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Zeist", cbs_code="GM0355")


@pytest.fixture
def process(staff_user, municipality):
    """A running process owned by ``staff_user``: two phases, a range framework for 2026."""
    process = services.process_create(
        actor=staff_user,
        title="Bezuinigingsdialoog Zeist",
        summary="Samen kiezen waar de gemeente bespaart.",
        challenge="De gemeente moet structureel besparen op het sociaal domein.",
        municipality=municipality,
        status=ProcessStatus.ACTIVE,
    )
    services.phases_replace(
        actor=staff_user,
        process=process,
        phases=[
            {
                "kind": PhaseKind.INTAKE,
                "title": "Verkennen",
                "start_date": datetime.date(2026, 1, 1),
                "end_date": datetime.date(2026, 2, 28),
            },
            {
                "kind": PhaseKind.DIALOGUE,
                "title": "Dialoog",
                "start_date": datetime.date(2026, 3, 1),
                "end_date": datetime.date(2026, 6, 30),
            },
        ],
    )
    services.framework_update(
        actor=staff_user,
        process=process,
        data={"bandwidth_kind": "range", "bandwidth_subject": "Resultaat grondexploitatie"},
        years=[{"year": 2026, "minimum": Decimal("-500000.00"), "maximum": Decimal("1500000.00")}],
        aspects=[{"name": "Milieu"}],
    )
    process.refresh_from_db()
    return process
