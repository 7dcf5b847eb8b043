"""Open data of a closed consultation: CSV (one row per item), JSON (everything counted) and,
for a PB vote, the ballots as a Pabulib ``.pb`` file.

All three read the stored ``Result`` rows (``results.results_for``), so they give exactly the
numbers of the results page. No voter key, code or e-mail address is ever written: in the
``.pb`` file voters are numbered 1, 2, ... and only the optional age band and district
(``age_band``, ``neighborhood``) are given when voters answered them. Amounts are strings
with two decimals (a dot), never floating-point numbers.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from samenspraak.consultations import adapters, results
from samenspraak.consultations.models import Consultation, ConsultationKind, ItemYearAmount


def _filename(consultation: Consultation, extension: str) -> str:
    return f"{consultation.slug}.{extension}"


def csv_filename(consultation: Consultation) -> str:
    return _filename(consultation, "csv")


def json_filename(consultation: Consultation) -> str:
    return _filename(consultation, "json")


def pb_filename(consultation: Consultation) -> str:
    return _filename(consultation, "pb")


def pb_rules(stored: dict) -> list[str]:
    return [rule for rule in stored if rule != results.COUNT]


def results_csv(consultation: Consultation) -> str:
    """One row per item, with what was counted for it."""
    stored = results.results_for(consultation)
    counts = stored[results.COUNT].details if results.COUNT in stored else {}
    entries = counts.get("items", {})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    items = list(consultation.items.select_related("proposal").order_by("position", "id"))
    if consultation.kind == ConsultationKind.POLL:
        writer.writerow(
            [
                "item",
                "title",
                "proposal",
                "support",
                "oppose",
                "no_opinion",
                "unanswered",
                "support_share",
                "ci95_low",
                "ci95_high",
            ]
        )
        for item in items:
            e = entries.get(item.code, {})
            ci = e.get("ci") or ["", ""]
            writer.writerow(
                [
                    item.code,
                    item.title,
                    item.proposal.slug if item.proposal else "",
                    e.get("support", 0),
                    e.get("oppose", 0),
                    e.get("no_opinion", 0),
                    e.get("unanswered", 0),
                    e.get("share") or "",
                    ci[0],
                    ci[1],
                ]
            )
    elif consultation.kind == ConsultationKind.PB:
        rules = pb_rules(stored)
        extra = [k for k in ("points", "mean_rank") if any(k in e for e in entries.values())]
        writer.writerow(
            ["project_id", "title", "cost", "votes", "share", *extra, "proposal"]
            + [f"selected_{rule}" for rule in rules]
        )
        for item in items:
            e = entries.get(item.code, {})
            writer.writerow(
                [
                    item.code,
                    item.title,
                    f"{item.cost or 0:.2f}",
                    e.get("votes", 0),
                    e.get("share") or "",
                    *[e.get(k, "") for k in extra],
                    item.proposal.slug if item.proposal else "",
                ]
                + [1 if item.code in stored[rule].selected else 0 for rule in rules]
            )
    else:
        years = sorted(
            set(
                ItemYearAmount.objects.filter(item__consultation=consultation).values_list(
                    "year", flat=True
                )
            )
        )
        amounts = {
            (item_id, year): amount
            for item_id, year, amount in ItemYearAmount.objects.filter(
                item__consultation=consultation
            ).values_list("item_id", "year", "amount")
        }
        chosen = {m["code"]: m for m in counts.get("simulator", {}).get("measures", [])}
        writer.writerow(
            ["measure", "title", "proposal", *[f"amount_{y}" for y in years], "chosen", "share"]
        )
        for item in items:
            m = chosen.get(item.code, {})
            writer.writerow(
                [
                    item.code,
                    item.title,
                    item.proposal.slug if item.proposal else "",
                    *[f"{amounts.get((item.pk, y), 0):.2f}" for y in years],
                    m.get("chosen", 0),
                    f"{m.get('share', 0):.4f}",
                ]
            )
    return out.getvalue()


def results_json(consultation: Consultation) -> dict[str, Any]:
    """Everything counted: the consultation, its items, the counts and every rule's result."""
    stored = results.results_for(consultation)
    process = consultation.process
    items = []
    for item in consultation.items.select_related("proposal", "district").prefetch_related(
        "year_amounts"
    ):
        entry: dict[str, Any] = {
            "code": item.code,
            "title": item.title,
            "proposal": item.proposal.slug if item.proposal else None,
        }
        if consultation.kind == ConsultationKind.PB:
            entry["cost"] = f"{item.cost or 0:.2f}"
            entry["category"] = item.category
            entry["district"] = item.district.name if item.district else None
        if consultation.kind == ConsultationKind.SIMULATOR:
            entry["amounts"] = {str(a.year): f"{a.amount:.2f}" for a in item.year_amounts.all()}
        items.append(entry)
    data: dict[str, Any] = {
        "consultation": {
            "slug": consultation.slug,
            "title": consultation.title,
            "kind": consultation.kind,
            "process": process.slug,
            "municipality": process.municipality.name,
            "opens_at": consultation.opens_at.isoformat(),
            "closes_at": consultation.closes_at.isoformat(),
            "status": consultation.status,
            "districts": [d.name for d in consultation.districts.all()],
        },
        "items": items,
        "counts": stored[results.COUNT].details if results.COUNT in stored else None,
        "results": {
            rule: {
                "selected": r.selected,
                "total_cost": f"{r.total_cost:.2f}" if r.total_cost is not None else None,
                "details": r.details,
                "computed_at": r.computed_at.isoformat(),
            }
            for rule, r in stored.items()
            if rule != results.COUNT
        },
    }
    if consultation.kind == ConsultationKind.PB:
        data["consultation"].update(
            {
                "ballot_type": consultation.ballot_type,
                "budget": f"{consultation.budget or 0:.2f}",
                "rule": consultation.rule,
                "pb_meta": consultation.pb_meta,
            }
        )
    if consultation.kind == ConsultationKind.SIMULATOR:
        data["consultation"]["gaps"] = {
            str(g.year): f"{g.amount:.2f}" for g in consultation.gaps.all()
        }
    return data


def results_pb(consultation: Consultation) -> str:
    """The PB vote as a Pabulib file: META, PROJECTS (with ``votes`` and ``selected`` of the
    outcome rule), VOTES (voters numbered, optional age band and district)."""
    from samenspraak.core.pb.pabulib import write_pb

    stored = results.results_for(consultation)
    counts = stored[results.COUNT].details if results.COUNT in stored else {}
    outcome = stored.get(consultation.rule)
    election = adapters.election_from_consultation(
        consultation,
        selected=outcome.selected if outcome else None,
        votes_per_item={code: e.get("votes", 0) for code, e in counts.get("items", {}).items()},
    )
    return write_pb(election)
