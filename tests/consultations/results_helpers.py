"""Helpers for the results tests: consultations, items and ballots written with the ORM
(ballots of tests are not voters; the voting services are tested elsewhere)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.utils import timezone

from samenspraak.consultations.models import (
    Ballot,
    BallotType,
    Choice,
    Consultation,
    ConsultationKind,
    ConsultationStatus,
    Item,
    ItemYearAmount,
    SimulatorGap,
)
from samenspraak.proposals.models import AuthorKind, Proposal


def make_consultation(process, kind=ConsultationKind.PB, *, slug=None, **fields) -> Consultation:
    """A published consultation, open from two days ago for another two days."""
    now = timezone.now()
    defaults = {
        "title": f"Raadpleging {kind}",
        "slug": slug or f"raadpleging-{kind.replace('_', '-')}",
        "opens_at": now - datetime.timedelta(days=2),
        "closes_at": now + datetime.timedelta(days=2),
        "status": ConsultationStatus.PUBLISHED,
    }
    if kind == ConsultationKind.PB:
        defaults.update({"ballot_type": BallotType.APPROVAL, "budget": Decimal("100000.00")})
    defaults.update(fields)
    return Consultation.objects.create(process=process, kind=kind, **defaults)


def add_items(consultation, rows: Iterable[Mapping]) -> dict[str, Item]:
    """Items from dicts with code and title and optional cost, proposal, amounts {year: €}."""
    items = {}
    for position, row in enumerate(rows):
        row = dict(row)
        amounts = row.pop("amounts", {})
        item = Item.objects.create(consultation=consultation, position=position, **row)
        for year, amount in amounts.items():
            ItemYearAmount.objects.create(item=item, year=year, amount=Decimal(amount))
        items[item.code] = item
    return items


def add_gaps(consultation, gaps: Mapping[int, str]) -> None:
    for year, amount in gaps.items():
        SimulatorGap.objects.create(consultation=consultation, year=year, amount=Decimal(amount))


def add_ballot(
    consultation,
    choices: Mapping[str, int | str],
    *,
    key: str,
    age_band: str = "",
    district=None,
) -> Ballot:
    """One ballot; a choice's value is an int (approval 1, points, rank) or a poll answer."""
    ballot = Ballot.objects.create(
        consultation=consultation, voter_key=key, age_band=age_band, district=district
    )
    items = {i.code: i for i in consultation.items.all()}
    for code, value in choices.items():
        if isinstance(value, str):
            Choice.objects.create(ballot=ballot, item=items[code], value=1, answer=value)
        else:
            Choice.objects.create(ballot=ballot, item=items[code], value=value)
    return ballot


def add_ballots(consultation, votes: Iterable[Mapping[str, int | str]], *, prefix="t") -> None:
    for number, choices in enumerate(votes, start=1):
        add_ballot(consultation, choices, key=f"{prefix}:{number}")


def make_proposal(process, title: str, *, slug: str) -> Proposal:
    return Proposal.objects.create(
        process=process,
        title=title,
        slug=slug,
        summary="Een voorstel.",
        author_kind=AuthorKind.PARTNER,
        author_organisation="Stichting Test",
        created_by=process.owner,
    )
