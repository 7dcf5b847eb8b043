"""Reads of consultations, with their query shaping."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import Http404

from samenspraak.consultations.models import (
    Ballot,
    Consultation,
    ConsultationKind,
    ConsultationStatus,
    Item,
    ItemYearAmount,
    VotingCode,
)
from samenspraak.consultations.verification import CODE_PREFIX

ZERO = Decimal("0")


def consultation_get(*, slug: str, related: bool = True) -> Consultation:
    """The consultation with its process, municipality and phase (``related``), or only its
    own row (the ballot post, which needs nothing else)."""
    qs = Consultation.objects.filter(slug=slug)
    if related:
        qs = qs.select_related("process", "process__municipality", "phase")
    consultation = qs.first()
    if consultation is None:
        raise Http404
    return consultation


def consultation_get_for_user(*, slug: str, user, related: bool = True) -> Consultation:
    """The consultation, or 404 when it does not exist or the user may not see it (a draft
    is not given away)."""
    consultation = consultation_get(slug=slug, related=related)
    if not user.has_perm("consultations.view_consultation", consultation):
        raise Http404
    return consultation


def consultations_for_process(*, process, user) -> list[Consultation]:
    """The consultations of ``process`` the user may see, the newest first."""
    qs = Consultation.objects.filter(process=process).select_related("process")
    return [c for c in qs if user.has_perm("consultations.view_consultation", c)]


def consultations_public(*, process) -> QuerySet[Consultation]:
    return Consultation.objects.filter(process=process).exclude(status=ConsultationStatus.DRAFT)


def items_of(consultation: Consultation) -> list[Item]:
    return list(consultation.items.select_related("district", "proposal"))


@dataclass(frozen=True)
class BallotStats:
    count: int
    changed: int
    last_at: object


def ballot_stats(consultation: Consultation) -> BallotStats:
    """The running count staff see: ballots, how many were changed, the last change."""
    row = Ballot.objects.filter(consultation=consultation).aggregate(
        count=Count("pk"), changed=Count("pk", filter=Q(revision__gt=1)), last=Max("updated_at")
    )
    return BallotStats(count=row["count"], changed=row["changed"], last_at=row["last"])


def voter_ballot(consultation: Consultation, voter_key: str) -> Ballot | None:
    return (
        Ballot.objects.filter(consultation=consultation, voter_key=voter_key)
        .prefetch_related("choices__item")
        .first()
    )


@dataclass(frozen=True)
class CodeBatch:
    batch: int
    created_at: object
    count: int
    used: int


def code_batches(consultation: Consultation) -> list[CodeBatch]:
    """Per batch of voting codes: how many, and how many have voted."""
    voted = Ballot.objects.filter(
        consultation=consultation, voter_key=Concat(Value(CODE_PREFIX), OuterRef("code_hash"))
    )
    rows = (
        VotingCode.objects.filter(consultation=consultation)
        .annotate(voted=Exists(voted))
        .values("batch")
        .annotate(
            count=Count("pk"),
            used=Count("pk", filter=Q(voted=True)),
            created=Max("created_at"),
        )
        .order_by("batch")
    )
    return [
        CodeBatch(batch=r["batch"], created_at=r["created"], count=r["count"], used=r["used"])
        for r in rows
    ]


def year_amounts(consultation: Consultation) -> dict[int, dict[int, Decimal]]:
    """Simulator: {item id: {year: amount}}."""
    amounts: dict[int, dict[int, Decimal]] = {}
    for item_id, year, amount in ItemYearAmount.objects.filter(
        item__consultation=consultation
    ).values_list("item_id", "year", "amount"):
        amounts.setdefault(item_id, {})[year] = amount
    return amounts


@dataclass(frozen=True)
class SimulatorView:
    years: list[int]
    gaps: dict[int, Decimal]
    measures: list[tuple[Item, list[Decimal]]]  # (item, amount per year, in ``years`` order)

    @property
    def gap_rows(self) -> list[tuple[int, Decimal]]:
        return [(year, self.gaps.get(year, ZERO)) for year in self.years]


def simulator_view(consultation: Consultation) -> SimulatorView:
    gaps = dict(consultation.gaps.values_list("year", "amount"))
    amounts = year_amounts(consultation)
    years = sorted(gaps) or sorted({y for per in amounts.values() for y in per})
    measures = [
        (item, [amounts.get(item.pk, {}).get(year, ZERO) for year in years])
        for item in consultation.items.all()
    ]
    return SimulatorView(years=years, gaps=gaps, measures=measures)


def is_pb(consultation: Consultation) -> bool:
    return consultation.kind == ConsultationKind.PB


# --- what a ballot needs, read once per published consultation ----------------------------------


@dataclass(frozen=True)
class BallotContext:
    """The items, their plain values, the ballot's rules and the districts a voter may name.
    All of these are fixed once a consultation is published (the services refuse changes),
    so they are kept in memory per (consultation, last change) for the many ballots of a
    vote; a draft is read afresh every time. Whether the consultation is open is never taken
    from here: the ballot service asks the database inside its transaction."""

    items: list[Item]
    infos: list
    rules: object
    district_choices: list[tuple[int, str]]
    simulator: SimulatorView | None


_CONTEXTS: OrderedDict[tuple[int, object], BallotContext] = OrderedDict()
_CONTEXTS_LOCK = threading.Lock()
_CONTEXTS_MAX = 32


def _read_ballot_context(consultation: Consultation) -> BallotContext:
    from samenspraak.consultations import services

    districts = list(consultation.districts.all())
    pool = districts or services.allowed_districts(consultation.process)
    items = items_of(consultation)
    return BallotContext(
        items=items,
        infos=services.item_infos(consultation, items),
        rules=services.rules_for(consultation),
        district_choices=[(d.pk, d.name) for d in pool],
        simulator=simulator_view(consultation)
        if consultation.kind == ConsultationKind.SIMULATOR
        else None,
    )


def ballot_context(consultation: Consultation) -> BallotContext:
    if consultation.status == ConsultationStatus.DRAFT:
        return _read_ballot_context(consultation)
    key = (consultation.pk, consultation.updated_at)
    with _CONTEXTS_LOCK:
        found = _CONTEXTS.get(key)
        if found is not None:
            _CONTEXTS.move_to_end(key)
            return found
    context = _read_ballot_context(consultation)
    with _CONTEXTS_LOCK:
        _CONTEXTS[key] = context
        while len(_CONTEXTS) > _CONTEXTS_MAX:
            _CONTEXTS.popitem(last=False)
    return context
