"""Rows <-> core value objects for processes (the only place that translates between them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from samenspraak.core import frameworks as core


def bandwidth_rows(rows: Iterable[Mapping[str, Any]]) -> list[core.BandwidthYear]:
    return [
        core.BandwidthYear(
            year=int(row["year"]),
            minimum=row.get("minimum"),
            maximum=row.get("maximum"),
            savings_structural=row.get("savings_structural"),
            savings_incidental=row.get("savings_incidental"),
        )
        for row in rows
    ]


def phase_rows(rows: Iterable[Mapping[str, Any]]) -> list[core.PhaseDates]:
    return [
        core.PhaseDates(
            title=row.get("title") or "", start=row.get("start_date"), end=row.get("end_date")
        )
        for row in rows
    ]


def check_bandwidth(kind: str, rows: Iterable[Mapping[str, Any]]) -> list[core.Finding]:
    return core.check_bandwidth(core.BandwidthKind(kind), bandwidth_rows(rows))


def check_phases(rows: Iterable[Mapping[str, Any]]) -> list[core.Finding]:
    return core.check_phases(phase_rows(rows))


def current_phase_index(phases: Iterable[Any], today: date) -> int | None:
    """Index of the phase ``today`` falls in, for phases as rows or model instances."""
    return core.current_phase_index(
        [core.PhaseDates(title=p.title, start=p.start_date, end=p.end_date) for p in phases],
        today,
    )
