"""factory_boy factories for committees. Small on purpose: tests say what matters to them."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from django.utils.text import slugify

from samenspraak.committees.models import (
    Application,
    ApplicationSource,
    Committee,
    Meeting,
    MemberRole,
    Membership,
    MembershipSource,
    Message,
    Quota,
)
from tests.factories import ProcessFactory, UserFactory


def _today():
    return timezone.localdate()


class CommitteeFactory(factory.django.DjangoModelFactory):
    """A committee that accepts applications today (open a week ago, closes in a week)."""

    class Meta:
        model = Committee

    process = factory.SubFactory(ProcessFactory)
    name = factory.Sequence(lambda n: f"Comité {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    size = 4
    mandate = "Bedenk voorstellen binnen de kaders."
    draw_seed = 123456
    applications_open = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=7))
    applications_close = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=7))


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quota

    committee = factory.SubFactory(CommitteeFactory)
    feature = "rol"
    value = factory.Sequence(lambda n: f"waarde{n}")
    minimum = 0
    maximum = 4


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    committee = factory.SubFactory(CommitteeFactory)
    number = factory.Sequence(lambda n: n + 1)
    full_name = factory.Sequence(lambda n: f"Aanmelder {n}")
    email = factory.Sequence(lambda n: f"aanmelder{n}@example.org")
    consent = True
    answers = factory.LazyFunction(dict)
    source = ApplicationSource.FORM


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    committee = factory.SubFactory(CommitteeFactory)
    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda o: o.user.full_name if o.user else "Lid")
    role = MemberRole.MEMBER
    source = MembershipSource.INVITED


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    title = factory.Sequence(lambda n: f"Bijeenkomst {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    location = "Gemeentehuis"
    agenda = "1. Opening"


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    committee = factory.SubFactory(CommitteeFactory)
    author = factory.SubFactory(UserFactory)
    body = "Een bericht."
