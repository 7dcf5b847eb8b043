"""factory_boy factories for the apps. Small on purpose: tests say what matters to them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils.text import slugify

from samenspraak.accounts.models import Role, User
from samenspraak.processes.models import (
    BandwidthYear,
    District,
    Framework,
    Municipality,
    Phase,
    PhaseKind,
    Process,
    ProcessStatus,
)

PASSWORD = "pw-test-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Gebruiker {n} de Vries")
    role = Role.RESIDENT
    password = factory.django.Password(PASSWORD)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    cbs_code = factory.Sequence(lambda n: f"GM{n % 10000:04d}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Wijk {n}")


class FrameworkFactory(factory.django.DjangoModelFactory):
    """Needs a process without one: ``FrameworkFactory(process=ProcessFactory(framework=None))``."""

    class Meta:
        model = Framework

    process = factory.SubFactory("tests.factories.ProcessFactory", framework=None)


class ProcessFactory(factory.django.DjangoModelFactory):
    """A process with its (empty) framework, like ``services.process_create`` makes it.

    Pass ``framework=None`` to skip the framework.
    """

    class Meta:
        model = Process
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Traject {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Een korte samenvatting."
    challenge = "De opgave van dit traject."
    municipality = factory.SubFactory(MunicipalityFactory)
    owner = factory.SubFactory(UserFactory, role=Role.STAFF)
    status = ProcessStatus.ACTIVE
    framework = factory.RelatedFactory(FrameworkFactory, factory_related_name="process")


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    process = factory.SubFactory(ProcessFactory)
    position = factory.Sequence(lambda n: n)
    kind = PhaseKind.DIALOGUE
    title = factory.Sequence(lambda n: f"Fase {n}")
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2026, 3, 31)


class BandwidthYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BandwidthYear

    framework = factory.SubFactory(FrameworkFactory)
    year = factory.Sequence(lambda n: 2026 + n)
    minimum = Decimal("-500000.00")
    maximum = Decimal("1500000.00")
