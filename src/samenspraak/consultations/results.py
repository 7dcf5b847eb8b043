"""Closing a consultation and counting it: services and selectors for results.

``consultation_close`` is the one write: in one transaction it locks the consultation,
sets it to closed, counts it (``results_compute``) and records an audit event. Counting
stores one ``Result`` row per rule, so the results page, the open data and the API read the
same numbers:

- every closed consultation has a ``count`` row: per item the votes (PB), the support /
  oppose / no opinion answers with the support share and its 95% Wilson interval (poll), or
  the simulator analysis; the number of ballots, the voting codes issued (turnout) and the
  voters' optional answers (age band, district) for the representativeness analysis;
- a PB vote has one more row per voting rule of ``core.pb.rules.RULES`` that applies to its
  ballot type (the consultation's own ``rule`` is "the outcome"), each with the fairness
  measures of ``core.pb.analysis.analyse``; an imported ``.pb`` file whose META names an
  official rule also gets the ``official`` row.

Support flows into the proposals (``Proposal.support``, used by the budget optimiser)
through ``proposals.services.proposal_assess``, so it is checked and audited like a
staff assessment: a poll gives the support share, a PB vote the share of voters who
approved the linked project.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samenspraak.common.audit import audit_record, register_action_labels
from samenspraak.consultations import adapters
from samenspraak.consultations.models import (
    Ballot,
    BallotType,
    Choice,
    Consultation,
    ConsultationKind,
    ConsultationStatus,
    PollAnswer,
    Result,
    VotingCode,
)
from samenspraak.consultations.services import lock_out_ballots
from samenspraak.consultations.simulator_analysis import simulator_analysis_for

COUNT = "count"  # Result.rule of the counts every closed consultation has
OFFICIAL = "official"
# z for a two-sided 95% interval.
Z95 = 1.959963984540054
SHARE = Decimal("0.0001")

register_action_labels(
    {
        "consultation_close": gettext_lazy("Consultation closed and counted"),
        "consultation_import_pb": gettext_lazy("Consultation imported from a .pb file"),
    }
)


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion ``successes / n`` (None when n is 0).

    centre = (p + z²/2n) / (1 + z²/n), half width = z·√(p(1-p)/n + z²/4n²) / (1 + z²/n).
    Unlike p ± z·√(p(1-p)/n) it stays within 0..1 and is sensible for small n and for
    shares near 0 or 1.
    """
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def share(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as an exact Decimal with four places (None when whole is 0)."""
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE, rounding=ROUND_HALF_UP)


def _require(actor, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


# --- counting ---------------------------------------------------------------------------------


def _demographics(consultation: Consultation) -> dict[str, dict[str, int]]:
    """Voters per age band and per district; the key "" counts those who did not say."""
    ballots = Ballot.objects.filter(consultation=consultation)
    ages = Counter(dict(_grouped(ballots, "age_band")))
    districts = Counter(dict(_grouped(ballots, "district__name")))
    return {
        "age_band": {str(k or ""): v for k, v in sorted(ages.items(), key=lambda kv: kv[0] or "~")},
        "district": {
            str(k or ""): v for k, v in sorted(districts.items(), key=lambda kv: kv[0] or "~")
        },
    }


def _grouped(queryset, field: str) -> list[tuple[Any, int]]:
    from django.db.models import Count

    return [
        (row[field], row["n"])
        for row in queryset.order_by().values(field).annotate(n=Count("id")).order_by(field)
    ]


def _base_count(consultation: Consultation) -> dict[str, Any]:
    ballots = Ballot.objects.filter(consultation=consultation).count()
    codes = VotingCode.objects.filter(consultation=consultation).count()
    return {
        "ballots": ballots,
        "codes": codes,
        "turnout": float(share(ballots, codes)) if codes else None,
        "demographics": _demographics(consultation),
    }


def poll_counts(consultation: Consultation) -> dict[str, Any]:
    """Per item: support / oppose / no opinion, the support share support ÷ (support +
    oppose) and its 95% Wilson interval. "No opinion" and unanswered items do not count
    in the share."""
    count = _base_count(consultation)
    answers: dict[int, Counter[str]] = {}
    from django.db.models import Count

    for row in (
        Choice.objects.filter(ballot__consultation=consultation)
        .order_by()
        .values("item_id", "answer")
        .annotate(n=Count("id"))
    ):
        answers.setdefault(row["item_id"], Counter())[row["answer"]] += row["n"]
    items = {}
    for item in consultation.items.order_by("position", "id"):
        tally = answers.get(item.pk, Counter())
        support = tally[PollAnswer.SUPPORT]
        oppose = tally[PollAnswer.OPPOSE]
        no_opinion = tally[PollAnswer.NO_OPINION]
        judged = support + oppose
        interval = wilson_interval(support, judged)
        items[item.code] = {
            "title": item.title,
            "proposal": item.proposal.slug if item.proposal_id else None,
            "support": support,
            "oppose": oppose,
            "no_opinion": no_opinion,
            "unanswered": max(0, count["ballots"] - support - oppose - no_opinion),
            "share": str(share(support, judged)) if judged else None,
            "ci": [round(interval[0], 6), round(interval[1], 6)] if interval else None,
        }
    count["items"] = items
    return count


def pb_counts(consultation: Consultation, rows: list[adapters.BallotRow]) -> dict[str, Any]:
    """Per project: how many voters chose it (and the points or mean rank where the ballot
    type has them), the share of all voters, and the project's cost."""
    count = _base_count(consultation)
    voters = len(rows)
    chosen: Counter[str] = Counter()
    points: Counter[str] = Counter()
    ranks: Counter[str] = Counter()
    for row in rows:
        for code, value in row.choices:
            if value == 0 and consultation.ballot_type == BallotType.CUMULATIVE:
                continue
            chosen[code] += 1
            points[code] += value
            ranks[code] += value
    count["empty"] = sum(1 for row in rows if not row.choices)
    count["vote_type"] = adapters.vote_type_of(consultation).value
    items = {}
    for item in consultation.items.order_by("position", "id"):
        entry: dict[str, Any] = {
            "title": item.title,
            "cost": f"{item.cost or Decimal(0):.2f}",
            "votes": chosen[item.code],
            "share": str(share(chosen[item.code], voters)) if voters else None,
            "proposal": item.proposal.slug if item.proposal_id else None,
        }
        if consultation.ballot_type == BallotType.CUMULATIVE:
            entry["points"] = points[item.code]
        if consultation.ballot_type == BallotType.ORDINAL and chosen[item.code]:
            entry["mean_rank"] = round(ranks[item.code] / chosen[item.code], 2)
        items[item.code] = entry
    count["items"] = items
    return count


# The rules every PB vote is counted with (when ``core.pb.rules`` knows them); the official
# greedy variants need META that only imported files have, and come in through ``official``.
COUNTED_RULES = ("greedy", "mes", "mes-add1", "phragmen", "max-utilitarian")


def rules_for(consultation: Consultation) -> list[str]:
    """The voting rules counted for a PB consultation: the consultation's own rule first,
    then the usual rules, and ``official`` when an imported file's META names a rule. A rule
    that does not apply to the ballot type is skipped when counting, with the reason."""
    from samenspraak.core.pb.rules import RULES

    names = [consultation.rule] if consultation.rule in RULES else []
    names += [name for name in COUNTED_RULES if name in RULES and name not in names]
    if (consultation.pb_meta or {}).get("rule") and OFFICIAL in RULES and OFFICIAL not in names:
        names.append(OFFICIAL)
    return names


def _count_pb(consultation: Consultation) -> list[Result]:
    from samenspraak.core.errors import InputError
    from samenspraak.core.pb.analysis import analyse
    from samenspraak.core.pb.rules import tally

    rows = adapters.ballot_rows(consultation)
    counts = pb_counts(consultation, rows)
    election = adapters.election_from_consultation(consultation, rows=rows)
    results = []
    skipped = {}
    for rule in rules_for(consultation):
        started = time.perf_counter()
        try:
            outcome = tally(election, rule)
        except (InputError, NotImplementedError, ValueError) as exc:
            # A rule that does not apply to this ballot type (e.g. max-utilitarian on
            # ordinal ballots) is named on the page with the reason.
            skipped[rule] = {
                "nl": getattr(exc, "message_nl", str(exc)),
                "en": getattr(exc, "message_en", str(exc)),
            }
            continue
        seconds = time.perf_counter() - started
        try:
            analysis = analyse(election, outcome)
            fairness = adapters.plain(
                analysis.to_dict() if hasattr(analysis, "to_dict") else analysis
            )
        except (InputError, NotImplementedError, ValueError) as exc:
            fairness = {"error": getattr(exc, "message_en", str(exc))}
        results.append(
            Result(
                consultation=consultation,
                rule=rule,
                selected=list(outcome.selected),
                total_cost=outcome.total_cost,
                details={
                    "budget": f"{outcome.budget:.2f}",
                    "rule_details": adapters.plain(outcome.details),
                    "analysis": fairness,
                    "seconds": round(seconds, 4),
                },
            )
        )
    counts["skipped_rules"] = skipped
    counts["rules"] = [r.rule for r in results]
    counts["outcome_rule"] = consultation.rule
    return [Result(consultation=consultation, rule=COUNT, details=counts), *results]


def results_count(consultation: Consultation) -> list[Result]:
    """Count the consultation as it stands, without storing anything: the ``count`` row
    first, then a row per rule (PB). Managers see this as running figures before closing."""
    started = time.perf_counter()
    if consultation.kind == ConsultationKind.PB:
        results = _count_pb(consultation)
    elif consultation.kind == ConsultationKind.POLL:
        results = [Result(consultation=consultation, rule=COUNT, details=poll_counts(consultation))]
    else:
        details = _base_count(consultation)
        details["simulator"] = simulator_analysis_for(consultation).as_json()
        results = [Result(consultation=consultation, rule=COUNT, details=details)]
    results[0].details["seconds"] = round(time.perf_counter() - started, 4)
    return results


def results_compute(consultation: Consultation) -> list[Result]:
    """Count the consultation and store its results (replacing earlier ones). No
    permission check: callers are ``consultation_close`` and the ``.pb`` import."""
    results = results_count(consultation)
    Result.objects.filter(consultation=consultation).delete()
    return Result.objects.bulk_create(results)


# --- support flowing into proposals -------------------------------------------------------------


def measured_support(consultation: Consultation, counts: Mapping[str, Any]) -> dict[int, Decimal]:
    """{proposal id: support share} from a closed consultation's counts: a poll's support
    share, a PB vote's share of voters who chose the linked project. The first item linked
    to a proposal decides; items without an answer give nothing."""
    support: dict[int, Decimal] = {}
    entries = counts.get("items", {})
    for item in consultation.items.filter(proposal__isnull=False).order_by("position", "id"):
        entry = entries.get(item.code) or {}
        value = entry.get("share")
        if value is None or item.proposal_id in support:
            continue
        support[item.proposal_id] = Decimal(value).quantize(SHARE)
    return support


def _flow_support(*, actor, consultation: Consultation, counts: Mapping[str, Any]) -> dict:
    from samenspraak.proposals import services as proposal_services
    from samenspraak.proposals.models import Proposal

    measured = measured_support(consultation, counts)
    changed = {}
    for proposal in Proposal.objects.filter(pk__in=measured):
        proposal_services.proposal_assess(
            actor=actor, proposal=proposal, data={"support": measured[proposal.pk]}
        )
        changed[proposal.slug] = str(measured[proposal.pk])
    return changed


# --- the service ------------------------------------------------------------------------------


def consultation_close(
    *, actor, consultation: Consultation, now=None, flow_support: bool = True
) -> list[Result]:
    """Close a published consultation and count it, in one transaction.

    Staff may close before ``closes_at`` (the page asks to confirm); the audit event says so.
    A draft cannot be closed (nobody could vote), nor a closed one again. The support
    measured flows into the linked proposals (``flow_support``)."""
    _require(actor, "consultations.change_consultation", consultation)
    moment = now or timezone.now()
    with transaction.atomic():
        # Wait for ballots in progress and keep new ones out until the count is stored.
        lock_out_ballots(consultation.pk)
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.status == ConsultationStatus.DRAFT:
            raise ValidationError(
                _("A draft consultation cannot be closed: nobody could vote yet. Publish it first.")
            )
        if locked.status == ConsultationStatus.CLOSED:
            raise ValidationError(_("This consultation is already closed."))
        old = locked.status
        locked.status = ConsultationStatus.CLOSED
        locked.save(update_fields=["status", "updated_at"])
        results = results_compute(locked)
        counts = results[0].details
        supported = (
            _flow_support(actor=actor, consultation=locked, counts=counts) if flow_support else {}
        )
        audit_record(
            actor=actor,
            action="consultation_close",
            obj=locked,
            process_id=locked.process_id,
            changes={
                "status": [old, locked.status],
                "early": moment < locked.closes_at,
                "ballots": counts.get("ballots", 0),
                "rules": [r.rule for r in results if r.rule != COUNT],
                "support": supported,
            },
        )
    consultation.status = locked.status
    return results


# --- selectors --------------------------------------------------------------------------------


def results_for(consultation: Consultation) -> dict[str, Result]:
    """The stored results of a consultation by rule (empty before it is counted)."""
    return {r.rule: r for r in Result.objects.filter(consultation=consultation)}


def rules_order(consultation: Consultation, stored: Mapping[str, Result]) -> list[str]:
    """The counted rules in the order they were counted (the outcome rule first)."""
    counts = stored[COUNT].details if COUNT in stored else {}
    order = [r for r in counts.get("rules", []) if r in stored]
    return order + sorted(r for r in stored if r != COUNT and r not in order)


def counts_for(consultation: Consultation) -> dict[str, Any] | None:
    row = Result.objects.filter(consultation=consultation, rule=COUNT).first()
    return row.details if row else None
