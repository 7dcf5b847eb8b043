"""Fixtures for committees: a committee of the shared ``process`` with a composition rule."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samenspraak.accounts.models import Role
from samenspraak.committees import services
from samenspraak.processes import services as process_services

ROLE_QUOTAS = [
    {"feature": "rol", "value": "inwoner", "minimum": 2, "maximum": 3},
    {"feature": "rol", "value": "ondernemer", "minimum": 1, "maximum": 2},
    {"feature": "leeftijd", "value": "jong", "minimum": 1, "maximum": 3},
    {"feature": "leeftijd", "value": "oud", "minimum": 1, "maximum": 3},
]


@pytest.fixture
def theme(process, staff_user):
    process_services.themes_replace(
        actor=staff_user,
        process=process,
        themes=[
            {"name": "Zorg", "owning_department": "Maatschappelijke Ontwikkeling"},
            {"name": "Groen", "owning_department": "Ruimte"},
        ],
    )
    return process.themes.get(name="Zorg")


@pytest.fixture
def committee(process, staff_user, theme):
    """Four seats; quotas on rol (inwoner/ondernemer) and leeftijd (jong/oud); open today."""
    today = timezone.localdate()
    return services.committee_create(
        actor=staff_user,
        process=process,
        data={
            "name": "Comité Zorg",
            "theme": theme,
            "size": 4,
            "mandate": "Bedenk vier voorstellen voor de zorg.",
            "applications_open": today - datetime.timedelta(days=3),
            "applications_close": today + datetime.timedelta(days=10),
        },
        quotas=ROLE_QUOTAS,
    )


@pytest.fixture
def facilitator(user_of_role):
    return user_of_role(
        Role.FACILITATOR, full_name="Fenna Begeleider", organisation="Gemeente, afdeling Financiën"
    )


def add_applicants(committee, rows):
    """``rows``: (name, rol, leeftijd[, household]) tuples, applied through the service."""
    made = []
    for number, row in enumerate(rows):
        name, rol, leeftijd, *rest = row
        made.append(
            services.application_submit(
                committee=committee,
                full_name=name,
                email=f"persoon{number}@example.org",
                answers={"rol": rol, "leeftijd": leeftijd},
                consent=True,
                household_key=rest[0] if rest else "",
            )
        )
    return made


POOL = [
    ("Anna", "inwoner", "jong"),
    ("Bas", "inwoner", "oud"),
    ("Cor", "inwoner", "oud"),
    ("Dewi", "ondernemer", "jong"),
    ("Emre", "ondernemer", "oud"),
    ("Fenna", "inwoner", "jong"),
    ("Gijs", "ondernemer", "jong"),
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded documents go to a fresh folder per test, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
