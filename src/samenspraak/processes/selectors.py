"""Reads of processes: what a user may see, shaped for the pages that show it."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from samenspraak.common.audit import action_label
from samenspraak.common.models import AuditEvent
from samenspraak.processes import adapters
from samenspraak.processes.models import (
    BandwidthYear,
    Municipality,
    Phase,
    Process,
    ProcessStatus,
)


def _base() -> QuerySet[Process]:
    return Process.objects.select_related("municipality", "owner", "current_phase", "framework")


def process_list_public(
    *, municipality: str | None = None, status: str | None = None, query: str | None = None
) -> QuerySet[Process]:
    """Processes the public sees: all but drafts, filterable for the overview page."""
    qs = _base().exclude(status=ProcessStatus.DRAFT).prefetch_related("districts")
    if municipality:
        qs = qs.filter(municipality__cbs_code=municipality)
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    return qs.order_by("title")


def process_list_for_dashboard(*, user) -> QuerySet[Process]:
    """Every process, drafts included, the user's own first."""
    return _base().prefetch_related("phases").order_by("title")


def process_get_for_user(*, slug: str, user) -> Process:
    """The process with its phases, themes and frameworks, or 404 when the user may not see it."""
    process = (
        _base()
        .prefetch_related(
            "districts",
            "themes",
            Prefetch("phases", queryset=Phase.objects.order_by("position", "start_date")),
            Prefetch("framework__years", queryset=BandwidthYear.objects.order_by("year")),
            "framework__aspects",
        )
        .filter(slug=slug)
        .first()
    )
    if process is None or not user.has_perm("processes.view_process", process):
        raise Http404
    return process


def municipalities_with_public_processes() -> QuerySet[Municipality]:
    return Municipality.objects.filter(
        processes__status__in=[s for s in ProcessStatus.values if s != ProcessStatus.DRAFT]
    ).distinct()


def audit_events_for_process(*, process: Process, limit: int = 200) -> list[AuditEvent]:
    """The newest events of a process, each with a readable ``label``."""
    events = list(AuditEvent.objects.filter(process_id=process.pk).select_related("actor")[:limit])
    for event in events:
        event.label = action_label(event.action)
    return events


def phase_states(process: Process, *, today: date | None = None) -> list[tuple[Phase, str]]:
    """Each phase with its state for the timeline: done, current or upcoming.

    The current phase is the one staff set; until they set one, it follows the dates
    (the last phase that has started by ``today``).
    """
    phases = list(process.phases.all())
    current = process.current_phase_id
    index = next((i for i, p in enumerate(phases) if p.pk == current), None)
    if index is None and today is not None:
        index = adapters.current_phase_index(phases, today)
    states = []
    for i, phase in enumerate(phases):
        if index is None:
            state = "upcoming"
        elif i < index:
            state = "done"
        elif i == index:
            state = "current"
        else:
            state = "upcoming"
        states.append((phase, state))
    return states
