"""The participatory-budgeting voting rules: ``tally(election, rule)`` gives an ``Outcome``.

Rules (``RULES``), each equal in outcome to the reference library pabutools 1.2.3 with its
default lexicographic tie-breaking (see docs/methods/pb-rules.md for definitions, tie-breaking
and how this was cross-checked):

- ``greedy``: ``greedy_utilitarian_welfare`` with cost satisfaction (by approvals, points or
  Borda score; ties by project id; skip what does not fit);
- ``mes``: ``method_of_equal_shares(sat_class=Cost_Sat)``, no completion (approval ballots);
- ``mes-add1``: MES completed as on equalshares.net: every voter's budget raised by
  ``increment`` (default 1 currency unit) per step while the outcome stays within the budget,
  then filled up by ``greedy`` (approval ballots);
- ``phragmen``: ``sequential_phragmen`` (approval ballots);
- ``max-utilitarian``: the largest total cost satisfaction (HiGHS; ties may differ);
- ``greedy-threshold``, ``greedy-no-skip``, ``greedy-neighborhood``: the official greedy
  variants of Pabulib files (META ``min_project_score_threshold``; stop at the first project
  that does not fit; META ``neighborhoods`` with ``budget_per_neighborhood``);
- ``official``: the rule the file's META ``rule`` names.

Unknown rules and elections that cannot be counted raise ``core.errors.InputError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from samenspraak.core.errors import InputError, Location
from samenspraak.core.pb.model import Election, Outcome, VoteType
from samenspraak.core.pb.rules._profile import Profile, build_profile, election_budget, parse_amount
from samenspraak.core.pb.rules.greedy import greedy_welfare, ranked_greedy
from samenspraak.core.pb.rules.maxwelfare import max_utilitarian, welfare_weights
from samenspraak.core.pb.rules.mes import MesData, equal_shares_add_one, method_of_equal_shares
from samenspraak.core.pb.rules.phragmen import sequential_phragmen

__all__ = ["APPROVAL_ONLY", "OFFICIAL_RULES", "RULES", "tally"]

RULES: tuple[str, ...] = (
    "greedy",
    "mes",
    "mes-add1",
    "phragmen",
    "max-utilitarian",
    "greedy-threshold",
    "greedy-no-skip",
    "greedy-neighborhood",
    "official",
)
"""Every rule ``tally`` knows, by the name the CLI uses."""

APPROVAL_ONLY: frozenset[str] = frozenset({"mes", "mes-add1", "phragmen"})
"""Rules defined here for approval ballots only."""

OFFICIAL_RULES: Mapping[str, str] = {
    "greedy": "greedy",
    "greedy-threshold": "greedy-threshold",
    "greedy-no-skip": "greedy-no-skip",
    "equalshares": "mes",
    "equalshares/add1": "mes-add1",
}
"""META ``rule`` values ``official`` reproduces, and the rule it then applies (the greedy ones
also apply a META score threshold and per-neighbourhood budgets when the file has them)."""

_THRESHOLD = "min_project_score_threshold"
_NEIGHBOURHOODS = ("neighborhoods", "neighbourhoods")
_NEIGHBOURHOOD_BUDGETS = ("budget_per_neighborhood", "budget_per_neighbourhood")
_NEIGHBOURHOOD_COLUMNS = ("neighborhood", "neighbourhood")
_SHOWN = Decimal("0.0001")


def _error(code: str, nl: str, en: str, field: str | None = None) -> InputError:
    return InputError(
        code=code, message_nl=nl, message_en=en, location=Location(field=field) if field else None
    )


@dataclass(frozen=True)
class _Plan:
    """What to compute: ``kind`` is ``greedy``, ``ranked`` (the official greedy family),
    ``mes``, ``mes-add1``, ``phragmen`` or ``max-utilitarian``."""

    kind: str
    threshold: Decimal | None = None
    no_skip: bool = False
    groups: dict[str, Decimal] | None = None


def tally(election: Election, rule: str, *, increment: Decimal | None = None) -> Outcome:
    """The outcome of ``rule`` on ``election`` (``increment``: the ``mes-add1`` step per
    voter in currency units, default 1)."""
    if rule not in RULES:
        raise _error(
            "pb_unknown_rule",
            f"De regel '{rule}' bestaat niet. Kies uit: {', '.join(RULES)}.",
            f"The rule '{rule}' does not exist. Choose from: {', '.join(RULES)}.",
        )
    if increment is not None and (not increment.is_finite() or increment <= 0):
        raise _error(
            "pb_bad_increment",
            f"De stap moet een bedrag groter dan 0 zijn, niet {increment}.",
            f"The increment must be an amount above 0, not {increment}.",
            "increment",
        )
    step = Decimal(1) if increment is None else increment
    details: dict[str, str] = {}
    plan = _plan(election, rule, details)
    if plan.kind in APPROVAL_ONLY and election.vote_type is not VoteType.APPROVAL:
        raise _error(
            "pb_rule_needs_approval",
            f"De regel '{plan.kind}' werkt alleen met goedkeuringsstemmen (approval), "
            f"niet met '{election.vote_type.value}'.",
            f"The rule '{plan.kind}' works with approval ballots only, "
            f"not with '{election.vote_type.value}'.",
            "vote_type",
        )
    amounts = [step, *(plan.groups.values() if plan.groups else ())]
    profile = build_profile(election, amounts)
    selected = _apply(election, profile, plan, step, details)
    total = sum((election.projects[p].cost for p in selected), Decimal(0))
    return Outcome(
        rule=rule,
        selected=tuple(profile.ids[p] for p in selected),
        total_cost=total,
        budget=election_budget(election),
        details=details,
    )


def _plan(election: Election, rule: str, details: dict[str, str]) -> _Plan:
    if rule == "greedy-threshold":
        return _Plan("ranked", threshold=_threshold(election, required=True))
    if rule == "greedy-no-skip":
        return _Plan("ranked", no_skip=True)
    if rule == "greedy-neighborhood":
        return _Plan("ranked", groups=_neighbourhood_budgets(election, required=True))
    if rule != "official":
        return _Plan(rule)
    text = election.meta.get("rule", "").strip()
    if not text:
        raise _error(
            "pb_no_official_rule",
            "META noemt geen regel (rule), dus de officiële uitkomst is niet na te rekenen.",
            "META names no rule, so the official outcome cannot be recounted.",
            "rule",
        )
    if text not in OFFICIAL_RULES:
        raise _error(
            "pb_official_rule_unsupported",
            f"De officiële regel '{text}' kunnen we niet narekenen. "
            f"Dat kan wel met: {', '.join(OFFICIAL_RULES)}.",
            f"We cannot recount the official rule '{text}'. "
            f"These we can: {', '.join(OFFICIAL_RULES)}.",
            "rule",
        )
    details["official_rule"] = text
    mapped = OFFICIAL_RULES[text]
    if not mapped.startswith("greedy"):
        details["applied"] = mapped
        return _Plan(mapped)
    plan = _Plan(
        "ranked",
        threshold=_threshold(election, required=mapped == "greedy-threshold"),
        no_skip=mapped == "greedy-no-skip",
        groups=_neighbourhood_budgets(election, required=False),
    )
    applied = "greedy-no-skip" if plan.no_skip else "greedy"
    if plan.threshold is not None:
        applied += "-threshold" if not plan.no_skip else ", threshold"
    if plan.groups is not None:
        applied += ", per-neighbourhood budgets"
    details["applied"] = applied
    return plan


def _apply(
    election: Election, profile: Profile, plan: _Plan, step: Decimal, details: dict[str, str]
) -> list[int]:
    kind = plan.kind
    if kind == "greedy":
        return greedy_welfare(profile)
    if kind == "ranked":
        groups: list[int] | None = None
        caps: list[int] = []
        if plan.groups is not None:
            names = list(plan.groups)
            groups = [
                names.index(_neighbourhood(election, p, names)) for p in range(profile.n_projects)
            ]
            caps = [profile.scale_amount(plan.groups[name]) for name in names]
            details["neighbourhood_budgets"] = "; ".join(
                f"{name}: {amount}" for name, amount in plan.groups.items()
            )
        if plan.threshold is not None:
            details["threshold"] = str(plan.threshold)
        return ranked_greedy(
            profile,
            threshold=plan.threshold,
            no_skip=plan.no_skip,
            groups=groups,
            group_budgets=caps,
        )
    if kind == "mes":
        voter_budget = Fraction(profile.budget, max(profile.n_voters, 1))
        details["voter_budget"] = _shown(profile, voter_budget)
        return method_of_equal_shares(MesData(profile), voter_budget)
    if kind == "mes-add1":
        result = equal_shares_add_one(MesData(profile), profile.scale_amount(step))
        completion = greedy_welfare(profile, result.selected)
        details["increment"] = str(step)
        details["voter_budget"] = _shown(profile, result.voter_budget)
        details["steps"] = str(result.steps)
        details["mes_selected"] = str(len(result.selected))
        return [*result.selected, *completion]
    if kind == "phragmen":
        return sequential_phragmen(profile)
    if kind == "max-utilitarian":
        chosen = max_utilitarian(profile)
        weights = welfare_weights(profile)
        details["welfare"] = str(profile.money(sum(weights[p] for p in chosen)))
        return chosen
    raise AssertionError(kind)  # pragma: no cover - tally checked the name


def _shown(profile: Profile, amount: Fraction) -> str:
    return str(profile.money(amount).quantize(_SHOWN, rounding=ROUND_HALF_EVEN))


def _threshold(election: Election, *, required: bool) -> Decimal | None:
    text = election.meta.get(_THRESHOLD)
    if text is None:
        if required:
            raise _error(
                "pb_no_threshold",
                f"Deze regel vraagt om een drempel: META noemt geen {_THRESHOLD}.",
                f"This rule needs a threshold: META has no {_THRESHOLD}.",
                _THRESHOLD,
            )
        return None
    return parse_amount(text, _THRESHOLD)


def _neighbourhood_budgets(election: Election, *, required: bool) -> dict[str, Decimal] | None:
    meta = election.meta
    names_text = next((meta[k] for k in _NEIGHBOURHOODS if k in meta), None)
    budgets_text = next((meta[k] for k in _NEIGHBOURHOOD_BUDGETS if k in meta), None)
    if budgets_text is None:
        if required:
            raise _error(
                "pb_no_neighbourhood_budgets",
                "Deze regel vraagt om een budget per buurt: META noemt geen "
                "budget_per_neighborhood.",
                "This rule needs a budget per neighbourhood: META has no budget_per_neighborhood.",
                "budget_per_neighborhood",
            )
        return None
    names = [name.strip() for name in (names_text or "").split(",")]
    amounts = [part.strip() for part in budgets_text.split(",")]
    if names_text is None or len(names) != len(amounts) or len(set(names)) != len(names):
        raise _error(
            "pb_bad_neighbourhood_budgets",
            "META moet evenveel buurten (neighborhoods, elk één keer) als buurtbudgetten "
            "(budget_per_neighborhood) noemen, in dezelfde volgorde.",
            "META must name as many neighbourhoods (neighborhoods, each once) as neighbourhood "
            "budgets (budget_per_neighborhood), in the same order.",
            "budget_per_neighborhood",
        )
    return {
        name: parse_amount(amount, "budget_per_neighborhood")
        for name, amount in zip(names, amounts, strict=True)
    }


def _neighbourhood(election: Election, project: int, names: list[str]) -> str:
    item = election.projects[project]
    value = next((item.extra[c] for c in _NEIGHBOURHOOD_COLUMNS if c in item.extra), None)
    if value is None or value.strip() not in names:
        raise _error(
            "pb_project_without_neighbourhood",
            f"Project '{item.id}' hoort bij geen van de buurten met een eigen budget "
            f"({', '.join(names)}).",
            f"Project '{item.id}' belongs to none of the neighbourhoods with a budget "
            f"({', '.join(names)}).",
            "neighborhood",
        )
    return value.strip()
