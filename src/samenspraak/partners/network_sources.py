"""Links in the partner network that other apps know about (coalitions live in ``tenders``,
which sits above partners): an app registers a source in its ``AppConfig.ready`` and the
network page asks every source, so partners never imports the apps above it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

# A source takes a municipality and returns coalition name -> names of its partners.
CoalitionSource = Callable[[object], Mapping[str, Iterable[str]]]

_SOURCES: list[CoalitionSource] = []


def register_coalition_source(source: CoalitionSource) -> CoalitionSource:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def coalitions_in(municipality) -> dict[str, list[str]]:
    """Every registered source's coalitions of the municipality's partners, merged."""
    merged: dict[str, list[str]] = {}
    for source in _SOURCES:
        for name, members in source(municipality).items():
            merged.setdefault(name, []).extend(members)
    return merged
