"""Every write to consultations: setting them up (staff) and voting (residents).

Staff services check permission (``PermissionDenied``), validate everything before they
write (``ValidationError`` naming the field and row; nothing partial is stored), run in one
transaction and record an audit event. Names: ``consultation_create``,
``consultation_update``, ``items_replace``, ``poll_items_from_proposals``,
``simulator_prefill``, ``consultation_publish``, ``consultation_unpublish``,
``codes_generate``.

Voting has one service, ``ballot_submit``: it needs no account but a verified ``Voter``
(``verification``), checks that the consultation is open and the ballot keeps the rules
(``ballots.check_ballot``), and stores exactly one ballot per voter whatever races: the
unique constraint on (consultation, voter key) plus a locked update of the existing ballot,
whose choices are replaced in the same transaction and whose ``revision`` goes up. Ballots
are not in the audit trail: the trail is about what staff did, and a ballot row already
says when it was first cast and last changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samenspraak.common.audit import audit_record, model_changes
from samenspraak.consultations import ballots, verification
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
    Verification,
    VotingCode,
)
from samenspraak.core.pb.rules import APPROVAL_ONLY, RULES
from samenspraak.processes.models import District, Process
from samenspraak.proposals import budget as proposal_budget
from samenspraak.proposals import selectors as proposal_selectors
from samenspraak.proposals import services as proposal_services
from samenspraak.proposals.models import (
    TRANSITIONS,
    Proposal,
    ProposalKind,
    ProposalStatus,
)

SETTINGS_FIELDS = (
    "title",
    "description",
    "phase",
    "kind",
    "verification",
    "opens_at",
    "closes_at",
    "allow_changes",
    "ask_demographics",
    "ballot_type",
    "budget",
    "min_choices",
    "max_choices",
    "points",
    "rule",
)
# What may still change once residents can vote: texts, the phase and the closing time.
FIELDS_WHEN_PUBLISHED = ("title", "description", "phase", "closes_at")
# Proposals a consultation may be about: handed in, and not rejected or withdrawn.
CONSULTABLE_STATUSES = frozenset(
    {
        ProposalStatus.SUBMITTED,
        ProposalStatus.CHECKED,
        ProposalStatus.IN_CONSULTATION,
        ProposalStatus.TO_COUNCIL,
        ProposalStatus.ADOPTED,
        ProposalStatus.AMENDED,
    }
)
MAX_AMOUNT = Decimal("999999999999.99")
MAX_CODES = 200_000


def rule_names() -> tuple[str, ...]:
    """The counting rules a PB vote may use (``core.pb.rules.RULES``)."""
    return tuple(str(name) for name in RULES)


def _require(actor, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _audit(actor, action: str, consultation: Consultation, changes=None) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=consultation,
        process_id=consultation.process_id,
        changes=changes,
    )


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:70] or "raadpleging"
    slug, n = base, 2
    qs = Consultation.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def allowed_districts(process: Process) -> list[District]:
    """The districts a consultation of ``process`` may be limited to: the process's own
    districts, or every district of its municipality when the process names none."""
    own = list(process.districts.all())
    if own:
        return own
    return list(District.objects.filter(municipality_id=process.municipality_id))


# --- settings --------------------------------------------------------------------------------


def _amount(value: Any, *, label: str, errors: list[str], allow_negative=True) -> Decimal | None:
    """An amount with at most two decimals, or an error naming ``label``."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        errors.append(
            _("%(label)s: write the amount as text or Decimal, not as a float.") % {"label": label}
        )
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        errors.append(
            _("%(label)s: “%(value)s” is not an amount.")
            % {
                "label": label,
                "value": value,
            }
        )
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        errors.append(
            _("%(label)s: “%(value)s” is not an amount with at most two decimals.")
            % {"label": label, "value": value}
        )
        return None
    if abs(amount) > MAX_AMOUNT:
        errors.append(_("%(label)s: this amount is too large.") % {"label": label})
        return None
    if amount < 0 and not allow_negative:
        errors.append(_("%(label)s: the amount cannot be negative.") % {"label": label})
        return None
    return amount


def _clean_settings(process: Process, fields: dict[str, Any], districts) -> dict[str, Any]:
    """Validate the settings as a whole; returns them with the PB fields reset when the
    consultation is not a PB vote. Raises one ``ValidationError`` with every problem."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not str(fields.get("title") or "").strip():
        add("title", _("Give the consultation a title."))
    if fields.get("kind") not in ConsultationKind.values:
        add("kind", _("Choose the type of consultation."))
    method = fields.get("verification")
    if method not in Verification.values:
        add("verification", _("Choose how voters prove who they are."))
    elif method == Verification.OIDC and not verification.oidc_enabled():
        add(
            "verification",
            _("Logging in with OpenID Connect is not set up on this platform. Choose another way."),
        )
    phase = fields.get("phase")
    if phase is not None and phase.process_id != process.pk:
        add("phase", _("This phase belongs to another process."))
    opens, closes = fields.get("opens_at"), fields.get("closes_at")
    if opens is None:
        add("opens_at", _("Say when voting opens."))
    if closes is None:
        add("closes_at", _("Say when voting closes."))
    if opens is not None and closes is not None and closes <= opens:
        add("closes_at", _("Voting must close after it opens."))
    if districts is not None:
        allowed = {d.pk for d in allowed_districts(process)}
        foreign = [d.name for d in districts if d.pk not in allowed]
        if foreign:
            add(
                "districts",
                _("These districts are not part of this process: %(names)s")
                % {"names": ", ".join(foreign)},
            )

    if fields.get("kind") == ConsultationKind.PB:
        ballot_type = fields.get("ballot_type")
        if ballot_type not in BallotType.values:
            add("ballot_type", _("Choose the ballot type."))
        money_errors: list[str] = []
        budget = _amount(fields.get("budget"), label=_("Budget"), errors=money_errors)
        for message in money_errors:
            add("budget", message)
        if budget is None and not money_errors:
            add("budget", _("Give the budget the projects share."))
        elif budget is not None and budget <= 0:
            add("budget", _("The budget must be more than € 0."))
        fields["budget"] = budget
        low = fields.get("min_choices") or 0
        high = fields.get("max_choices")
        if low < 0:
            add("min_choices", _("This cannot be negative."))
        if high is not None and high < max(1, low):
            add("max_choices", _("The most projects must be at least the fewest, and at least 1."))
        if ballot_type == BallotType.CUMULATIVE:
            if not fields.get("points") or fields["points"] < 1:
                add("points", _("Give every voter at least 1 point to divide."))
        else:
            fields["points"] = None
        points_or_ranking = ballot_type in (BallotType.CUMULATIVE, BallotType.ORDINAL)
        rule = fields.get("rule") or ("greedy" if points_or_ranking else "mes-add1")
        if rule not in rule_names():
            add(
                "rule",
                _("Unknown counting rule. Choose one of: %(rules)s.")
                % {"rules": ", ".join(rule_names())},
            )
        elif rule in APPROVAL_ONLY and points_or_ranking:
            add(
                "rule",
                _(
                    "The rule %(rule)s counts only ballots on which voters choose projects. "
                    "For points or a ranking, choose greedy or max-utilitarian."
                )
                % {"rule": rule},
            )
        fields["rule"] = rule
        fields["min_choices"] = low
    else:
        fields.update(
            {
                "ballot_type": "",
                "budget": None,
                "min_choices": 0,
                "max_choices": None,
                "points": None,
                "rule": fields.get("rule") or "mes-add1",
            }
        )
    if errors:
        raise ValidationError(errors)
    return fields


def _set_settings(consultation: Consultation, fields: Mapping[str, Any]) -> None:
    texts = {"title", "description", "ballot_type", "rule"}
    for name, value in fields.items():
        if name in texts:
            value = str(value or "").strip()
        elif name == "min_choices":
            value = value or 0
        elif name in ("allow_changes", "ask_demographics"):
            value = bool(value)
        setattr(consultation, name, value)


@transaction.atomic
def consultation_create(
    *,
    actor,
    process: Process,
    data: Mapping[str, Any],
    districts: Sequence[District] = (),
    slug: str | None = None,
) -> Consultation:
    """A new consultation in ``process``, as a draft."""
    _require(actor, "consultations.add_consultation", process)
    fields = {name: data.get(name) for name in SETTINGS_FIELDS if name in data}
    fields.setdefault("verification", Verification.CODE)
    fields.setdefault("allow_changes", True)
    fields.setdefault("ask_demographics", True)
    fields = _clean_settings(process, fields, districts)
    consultation = Consultation(
        process=process,
        slug=slug or _unique_slug(fields["title"]),
        created_by=_user_or_none(actor),
        status=ConsultationStatus.DRAFT,
    )
    _set_settings(consultation, fields)
    consultation.full_clean()
    consultation.save()
    consultation.districts.set(districts)
    _audit(
        actor,
        "consultation_create",
        consultation,
        {"kind": consultation.kind, "verification": consultation.verification},
    )
    return consultation


@transaction.atomic
def consultation_update(
    *,
    actor,
    consultation: Consultation,
    data: Mapping[str, Any],
    districts: Sequence[District] | None = None,
) -> Consultation:
    """Change the settings. Once published only the title, explanation, phase and closing
    time may change: the ballot's rules and who may vote are fixed while people vote."""
    _require(actor, "consultations.change_consultation", consultation)
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.status == ConsultationStatus.CLOSED:
        raise ValidationError(_("This consultation is closed. It cannot change any more."))
    current = {name: getattr(locked, name) for name in SETTINGS_FIELDS}
    fields = {**current, **{k: v for k, v in data.items() if k in SETTINGS_FIELDS}}
    if locked.status != ConsultationStatus.DRAFT:
        changed = [
            name
            for name in SETTINGS_FIELDS
            if name not in FIELDS_WHEN_PUBLISHED and fields[name] != current[name]
        ]
        old_districts = {d.pk for d in locked.districts.all()}
        if districts is not None and {d.pk for d in districts} != old_districts:
            changed.append("districts")
        if changed:
            labels = [str(Consultation._meta.get_field(n).verbose_name) for n in changed]
            raise ValidationError(
                _(
                    "Residents can vote already, so this can no longer change: %(fields)s. "
                    "Only the title, explanation, phase and closing time can."
                )
                % {"fields": ", ".join(labels)}
            )
        if fields["closes_at"] != current["closes_at"] and fields["closes_at"] <= timezone.now():
            raise ValidationError({"closes_at": _("The new closing time must be in the future.")})
    fields = _clean_settings(locked.process, fields, districts)
    changes = model_changes(locked, fields)
    _set_settings(locked, fields)
    locked.full_clean()
    locked.save()
    if districts is not None:
        before = sorted(d.name for d in locked.districts.all())
        locked.districts.set(districts)
        after = sorted(d.name for d in districts)
        if before != after:
            changes["districts"] = [before, after]
    _audit(actor, "consultation_update", locked, changes)
    return locked


# --- items ------------------------------------------------------------------------------------


def _require_draft(consultation: Consultation) -> Consultation:
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.status != ConsultationStatus.DRAFT:
        raise ValidationError(_("Residents can vote already, so the items can no longer change."))
    return locked


@dataclass(frozen=True)
class CleanItem:
    code: str
    title: str
    description: str
    cost: Decimal | None
    district: District | None
    category: str
    proposal: Proposal | None
    amounts: dict[int, Decimal]
    extra: dict[str, Any]


def _clean_items(consultation: Consultation, rows: Sequence[Mapping[str, Any]]) -> list[CleanItem]:
    errors: list[str] = []
    cleaned: list[CleanItem] = []
    districts = {d.pk: d for d in allowed_districts(consultation.process)}
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        where = _("Item %(n)s") % {"n": number}
        title = str(row.get("title") or "").strip()
        code = str(row.get("code") or "").strip() or str(number)
        if not title:
            errors.append(_("%(where)s: give a title.") % {"where": where})
        if len(title) > 300:
            errors.append(
                _("%(where)s: the title is too long (at most 300 characters).") % {"where": where}
            )
        if len(code) > 64 or any(ch.isspace() for ch in code):
            errors.append(
                _("%(where)s: the project id “%(code)s” is too long or has spaces.")
                % {"where": where, "code": code}
            )
        if code in seen:
            errors.append(
                _("%(where)s: the project id “%(code)s” is also used by item %(other)s.")
                % {"where": where, "code": code, "other": seen[code]}
            )
        seen[code] = number
        cost = _amount(
            row.get("cost"),
            label=f"{where}, {_('cost')}",
            errors=errors,
            allow_negative=False,
        )
        if (
            consultation.kind == ConsultationKind.PB
            and cost is None
            and row.get("cost")
            in (
                None,
                "",
            )
        ):
            errors.append(_("%(where)s: give the cost of the project.") % {"where": where})
        district = row.get("district")
        if isinstance(district, int):
            district_id = district
            district = districts.get(district_id)
            if district is None:
                errors.append(
                    _("%(where)s: the district %(name)s is not part of this process.")
                    % {"where": where, "name": district_id}
                )
        elif district is not None and district.pk not in districts:
            errors.append(
                _("%(where)s: the district %(name)s is not part of this process.")
                % {"where": where, "name": district.name}
            )
            district = None
        proposal = row.get("proposal")
        if proposal is not None:
            if proposal.process_id != consultation.process_id:
                errors.append(
                    _("%(where)s: this proposal belongs to another process.") % {"where": where}
                )
            elif proposal.status not in CONSULTABLE_STATUSES:
                errors.append(
                    _(
                        "%(where)s: the proposal “%(title)s” is “%(status)s”; only proposals "
                        "that are handed in can be put to residents."
                    )
                    % {
                        "where": where,
                        "title": proposal.title,
                        "status": proposal.get_status_display(),
                    }
                )
        amounts: dict[int, Decimal] = {}
        for year, raw in (row.get("amounts") or {}).items():
            amount = _amount(raw, label=f"{where}, {year}", errors=errors)
            if amount is not None:
                amounts[int(year)] = amount
        if consultation.kind == ConsultationKind.POLL and proposal is None:
            errors.append(_("%(where)s: choose the proposal it is about.") % {"where": where})
        cleaned.append(
            CleanItem(
                code=code,
                title=title,
                description=str(row.get("description") or "").strip(),
                cost=cost,
                district=district,
                category=str(row.get("category") or "").strip()[:120],
                proposal=proposal,
                amounts=amounts,
                extra=dict(row.get("extra") or {}),
            )
        )
    if errors:
        raise ValidationError({"items": errors})
    return cleaned


def _write_items(consultation: Consultation, cleaned: Sequence[CleanItem]) -> list[str]:
    before = list(consultation.items.values_list("code", flat=True))
    consultation.items.all().delete()
    created = Item.objects.bulk_create(
        [
            Item(
                consultation=consultation,
                position=position,
                code=item.code,
                title=item.title,
                description=item.description,
                cost=item.cost,
                district=item.district,
                category=item.category,
                proposal=item.proposal,
                extra=item.extra,
            )
            for position, item in enumerate(cleaned)
        ]
    )
    if not all(row.pk for row in created):  # backends without RETURNING on bulk insert
        created = list(consultation.items.order_by("position"))
    ItemYearAmount.objects.bulk_create(
        [
            ItemYearAmount(item=row, year=year, amount=amount)
            for row, item in zip(created, cleaned, strict=True)
            for year, amount in sorted(item.amounts.items())
        ]
    )
    return before


@transaction.atomic
def items_replace(
    *, actor, consultation: Consultation, items: Sequence[Mapping[str, Any]]
) -> list[Item]:
    """Replace the items (projects, proposals or measures) of a draft consultation.

    Each row: ``code`` (the project id; 1, 2, … when empty), ``title``, ``description``,
    ``cost`` (PB), ``district``, ``category``, ``proposal`` and ``amounts`` ({year: amount},
    simulator; savings positive, costs negative).
    """
    _require(actor, "consultations.change_consultation", consultation)
    locked = _require_draft(consultation)
    cleaned = _clean_items(locked, items)
    before = _write_items(locked, cleaned)
    _audit(
        actor,
        "consultation_items",
        locked,
        {"items": [before, [item.code for item in cleaned]]},
    )
    return list(locked.items.all())


def pve_chapters(proposal: Proposal) -> list[tuple[str, list[str]]]:
    """The chapters (aspects) of a Programme of Requirements, each with its requirements'
    titles, in the order of the PvE document."""
    document = proposal_selectors.pve_document(proposal)
    return [
        (group.aspect, [r.title for r in group.requirements])
        for group in document.groups
        if group.requirements
    ]


def poll_options(process: Process) -> list[tuple[str, str, Proposal]]:
    """What a poll may ask about: each proposal handed in, and each chapter of a Programme of
    Requirements on its own. Values: ``<proposal id>`` or ``<proposal id>:<chapter>``."""
    options: list[tuple[str, str, Proposal]] = []
    proposals = Proposal.objects.filter(process=process, status__in=CONSULTABLE_STATUSES).order_by(
        "title", "pk"
    )
    for proposal in proposals:
        options.append((str(proposal.pk), proposal.title, proposal))
        if proposal.kind == ProposalKind.PROGRAMME:
            for aspect, _titles in pve_chapters(proposal):
                options.append((f"{proposal.pk}:{aspect}", f"{proposal.title}: {aspect}", proposal))
    return options


@transaction.atomic
def poll_items_from_proposals(
    *, actor, consultation: Consultation, selections: Sequence[str]
) -> list[Item]:
    """Make the items of a poll from chosen proposals: ``selections`` holds values of
    ``poll_options`` (a whole proposal, or one chapter of a Programme of Requirements)."""
    _require(actor, "consultations.change_consultation", consultation)
    if consultation.kind != ConsultationKind.POLL:
        raise ValidationError(_("Only a poll is about proposals in this way."))
    options = {
        value: (label, proposal) for value, label, proposal in poll_options(consultation.process)
    }
    rows = []
    for value in selections:
        if value not in options:
            raise ValidationError(
                {
                    "items": [
                        _("This proposal cannot be chosen for this poll: %(value)s")
                        % {"value": value}
                    ]
                }
            )
        label, proposal = options[value]
        if ":" in value:
            aspect = value.split(":", 1)[1]
            chapters = dict(pve_chapters(proposal))
            rows.append(
                {
                    "code": f"{proposal.pk}-{slugify(aspect)[:40] or 'hoofdstuk'}",
                    "title": label,
                    "description": "\n".join(chapters.get(aspect, [])),
                    "proposal": proposal,
                    "extra": {"chapter": aspect},
                }
            )
        else:
            rows.append(
                {
                    "code": str(proposal.pk),
                    "title": proposal.title,
                    "description": proposal.summary,
                    "proposal": proposal,
                }
            )
    return items_replace(actor=actor, consultation=consultation, items=rows)


@transaction.atomic
def gaps_replace(
    *, actor, consultation: Consultation, gaps: Sequence[Mapping[str, Any]]
) -> list[SimulatorGap]:
    """Replace the budget simulator's gap per year (``{year, amount}``; amount to find)."""
    _require(actor, "consultations.change_consultation", consultation)
    locked = _require_draft(consultation)
    errors: list[str] = []
    years: dict[int, Decimal] = {}
    for number, row in enumerate(gaps, start=1):
        where = _("Year %(n)s") % {"n": number}
        try:
            year = int(row.get("year"))
        except (TypeError, ValueError):
            errors.append(_("%(where)s: give the budget year.") % {"where": where})
            continue
        if not 2000 <= year <= 2100:
            errors.append(
                _("%(where)s: %(year)s is not a budget year.")
                % {
                    "where": where,
                    "year": year,
                }
            )
            continue
        if year in years:
            errors.append(
                _("%(where)s: the year %(year)s is already in the list.")
                % {
                    "where": where,
                    "year": year,
                }
            )
            continue
        amount = _amount(row.get("amount"), label=where, errors=errors, allow_negative=False)
        if amount is None and row.get("amount") in (None, ""):
            errors.append(_("%(where)s: give the gap.") % {"where": where})
        if amount is not None:
            years[year] = amount
    if errors:
        raise ValidationError({"gaps": errors})
    before = {str(g.year): str(g.amount) for g in locked.gaps.all()}
    locked.gaps.all().delete()
    rows = SimulatorGap.objects.bulk_create(
        [SimulatorGap(consultation=locked, year=y, amount=a) for y, a in sorted(years.items())]
    )
    _audit(
        actor,
        "consultation_gaps",
        locked,
        {"gaps": [before, {str(y): str(a) for y, a in sorted(years.items())}]},
    )
    return rows


@transaction.atomic
def simulator_replace(
    *,
    actor,
    consultation: Consultation,
    gaps: Sequence[Mapping[str, Any]],
    items: Sequence[Mapping[str, Any]],
) -> None:
    """The simulator's gap per year and its measures, in one go (both or neither)."""
    errors: dict[str, list[str]] = {}
    for write in (
        lambda: gaps_replace(actor=actor, consultation=consultation, gaps=gaps),
        lambda: items_replace(actor=actor, consultation=consultation, items=items),
    ):
        try:
            write()
        except ValidationError as exc:
            found = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            for key, messages in found.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def simulator_prefill(*, actor, consultation: Consultation) -> tuple[int, int]:
    """Fill a draft simulator from its process: the gap per year from the savings target of
    the frameworks (structural plus incidental), and the measures handed in with their
    yearly effects (structural plus incidental; savings positive). Returns (years, measures).
    """
    _require(actor, "consultations.change_consultation", consultation)
    if consultation.kind != ConsultationKind.SIMULATOR:
        raise ValidationError(_("Only a budget simulator can be filled from the process."))
    process = consultation.process
    gaps = proposal_budget.gap_rows(process) or []
    candidates = proposal_selectors.budget_candidates(process)
    if not gaps and not candidates:
        raise ValidationError(
            _(
                "The process has no savings target and no measures yet. Fill in the gap and "
                "the measures yourself."
            )
        )
    if gaps:
        gaps_replace(
            actor=actor,
            consultation=consultation,
            gaps=[{"year": g.year, "amount": max(g.total, Decimal("0"))} for g in gaps],
        )
    if candidates:
        proposals = {p.pk: p for p in Proposal.objects.filter(pk__in=[c.id for c in candidates])}
        items_replace(
            actor=actor,
            consultation=consultation,
            items=[
                {
                    "code": str(c.id),
                    "title": c.title,
                    "description": proposals[c.id].summary,
                    "proposal": proposals[c.id],
                    "amounts": {
                        year: structural + incidental
                        for year, (structural, incidental) in c.effects.items()
                    },
                }
                for c in candidates
            ],
        )
    return len(gaps), len(candidates)


# --- publishing -------------------------------------------------------------------------------


def publish_problems(consultation: Consultation, now=None) -> list[str]:
    """What must be fixed before residents can vote (empty: ready to publish)."""
    now = now or timezone.now()
    problems: list[str] = []
    items = list(consultation.items.all())
    if consultation.closes_at <= now:
        problems.append(_("The closing time has passed. Choose a closing time in the future."))
    if consultation.kind == ConsultationKind.POLL:
        if not items:
            problems.append(_("Choose at least one proposal for the poll."))
    elif consultation.kind == ConsultationKind.PB:
        if consultation.ballot_type not in BallotType.values:
            problems.append(_("Choose the ballot type."))
        if consultation.budget is None:
            problems.append(_("Give the budget."))
        if len(items) < 2:
            problems.append(_("Add at least two projects."))
        if any(item.cost is None for item in items):
            problems.append(_("Every project needs a cost."))
        low, _high = ballots.selection_size_rule(_rules_of(consultation))
        if items and low > len(items):
            problems.append(
                _("Voters must choose at least %(n)s projects, but there are only %(count)s.")
                % {"n": low, "count": len(items)}
            )
        if consultation.ballot_type == BallotType.KNAPSACK and consultation.budget is not None:
            too_dear = [
                i.code for i in items if i.cost is not None and i.cost > consultation.budget
            ]
            if too_dear and len(too_dear) == len(items):
                problems.append(_("Every project costs more than the budget."))
        if consultation.ballot_type == BallotType.CUMULATIVE and not consultation.points:
            problems.append(_("Give the points every voter may divide."))
        if consultation.rule not in rule_names():
            problems.append(_("Choose a known counting rule."))
    elif consultation.kind == ConsultationKind.SIMULATOR:
        if not consultation.gaps.exists():
            problems.append(_("Give the gap for at least one year."))
        if not items:
            problems.append(_("Add the measures residents can choose from."))
    if consultation.verification == Verification.CODE:
        if not consultation.voting_codes.exists():
            problems.append(_("Make the voting codes first: without codes nobody can vote."))
    elif consultation.verification == Verification.OIDC and not verification.oidc_enabled():
        problems.append(_("Logging in with OpenID Connect is not set up on this platform."))
    return problems


@dataclass(frozen=True)
class Published:
    consultation: Consultation
    moved: list[Proposal]
    not_moved: list[tuple[Proposal, str]]


@transaction.atomic
def consultation_publish(*, actor, consultation: Consultation) -> Published:
    """Publish a complete and valid draft: residents can vote from its opening time. Linked
    proposals whose status allows it move to "in consultation" through the proposals
    service (with its framework check); the others are named in the result."""
    _require(actor, "consultations.change_consultation", consultation)
    locked = _require_draft(consultation)
    problems = publish_problems(locked)
    if problems:
        raise ValidationError(problems)
    locked.status = ConsultationStatus.PUBLISHED
    locked.save(update_fields=["status", "updated_at"])
    moved: list[Proposal] = []
    not_moved: list[tuple[Proposal, str]] = []
    proposal_ids = sorted({i.proposal_id for i in locked.items.all() if i.proposal_id})
    for proposal in Proposal.objects.filter(pk__in=proposal_ids).order_by("title"):
        if proposal.status == ProposalStatus.IN_CONSULTATION:
            continue
        if ProposalStatus.IN_CONSULTATION not in TRANSITIONS.get(proposal.status, ()):
            continue
        try:
            proposal_services.proposal_transition(
                actor=actor, proposal=proposal, to_status=ProposalStatus.IN_CONSULTATION
            )
        except (ValidationError, PermissionDenied) as exc:
            reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            not_moved.append((proposal, reason))
        else:
            moved.append(proposal)
    _audit(
        actor,
        "consultation_publish",
        locked,
        {
            "status": [ConsultationStatus.DRAFT, ConsultationStatus.PUBLISHED],
            "proposals_in_consultation": [p.slug for p in moved],
        },
    )
    return Published(consultation=locked, moved=moved, not_moved=not_moved)


@transaction.atomic
def consultation_unpublish(*, actor, consultation: Consultation) -> Consultation:
    """Back to draft, as long as nobody has voted (to fix a mistake before letters go out)."""
    _require(actor, "consultations.change_consultation", consultation)
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.status != ConsultationStatus.PUBLISHED:
        raise ValidationError(_("Only a published consultation can go back to draft."))
    if locked.ballots.exists():
        raise ValidationError(
            _("People have voted already, so the consultation cannot go back to draft.")
        )
    locked.status = ConsultationStatus.DRAFT
    locked.save(update_fields=["status", "updated_at"])
    _audit(
        actor,
        "consultation_unpublish",
        locked,
        {"status": [ConsultationStatus.PUBLISHED, ConsultationStatus.DRAFT]},
    )
    return locked


# --- voting codes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCode:
    """A generated code with the address line it belongs to (for the mail merge only)."""

    code: str
    district: District | None
    row: verification.AddressRow | None


def _district_by_name(consultation: Consultation) -> dict[str, District]:
    chosen = list(consultation.districts.all())
    pool = chosen or allowed_districts(consultation.process)
    return {d.name.strip().lower(): d for d in pool}


@transaction.atomic
def codes_generate(
    *,
    actor,
    consultation: Consultation,
    addresses: Sequence[verification.AddressRow] | None = None,
    count: int | None = None,
    filename: str = "",
) -> list[NewCode]:
    """Make one voting code per address (``addresses``, from ``parse_address_list``) or
    ``count`` codes without addresses. Only the codes' keyed hashes are stored; the returned
    codes are the only copy, for the one download. With an address list the district of
    each code comes from it (it must be a district that may take part)."""
    _require(actor, "consultations.change_consultation", consultation)
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.verification != Verification.CODE:
        raise ValidationError(_("This consultation does not use voting codes."))
    if locked.status == ConsultationStatus.CLOSED:
        raise ValidationError(_("This consultation is closed."))
    if addresses is None:
        if count is None or count < 1:
            raise ValidationError({"count": _("Give the number of codes: 1 or more.")})
        if count > MAX_CODES:
            raise ValidationError(
                {"count": _("At most %(n)s codes at a time.") % {"n": f"{MAX_CODES:,}"}}
            )
        rows: list[verification.AddressRow | None] = [None] * count
    else:
        if len(addresses) > MAX_CODES:
            raise ValidationError(
                {"addresses": _("At most %(n)s addresses at a time.") % {"n": f"{MAX_CODES:,}"}}
            )
        rows = list(addresses)
    districts = _district_by_name(locked)
    restricted = locked.districts.exists()
    errors = []
    row_districts: list[District | None] = []
    for row in rows:
        if row is None or not row.district:
            if row is not None and restricted:
                errors.append(
                    _(
                        "Line %(line)s of %(file)s: the district is empty, but only residents "
                        "of some districts may vote."
                    )
                    % {"line": row.line, "file": filename}
                )
            row_districts.append(None)
            continue
        district = districts.get(row.district.strip().lower())
        if district is None:
            errors.append(
                _(
                    "Line %(line)s of %(file)s: the district “%(name)s” is not one of the "
                    "districts that may vote (%(names)s)."
                )
                % {
                    "line": row.line,
                    "file": filename,
                    "name": row.district,
                    "names": ", ".join(sorted(d.name for d in districts.values())),
                }
            )
        row_districts.append(district)
        if len(errors) >= 20:
            break
    if errors:
        raise ValidationError([*errors, _("Nothing was imported.")])
    batch = (locked.voting_codes.aggregate(m=Max("batch"))["m"] or 0) + 1
    existing = set()  # collisions are practically impossible, but never reuse a code
    codes: list[NewCode] = []
    for row, district in zip(rows, row_districts, strict=True):
        code = verification.new_code()
        while code in existing:
            code = verification.new_code()
        existing.add(code)
        codes.append(NewCode(code=code, district=district, row=row))
    try:
        with transaction.atomic():
            VotingCode.objects.bulk_create(
                [
                    VotingCode(
                        consultation=locked,
                        code_hash=verification.code_hash(locked.pk, c.code),
                        batch=batch,
                        district=c.district,
                    )
                    for c in codes
                ],
                batch_size=2000,
            )
    except IntegrityError as exc:  # a code that already exists: ask to try again
        raise ValidationError(_("Making the codes failed. Please try again.")) from exc
    _audit(
        actor,
        "codes_generate",
        locked,
        {"batch": batch, "count": len(codes), "from_address_list": addresses is not None},
    )
    return codes


# --- voting -----------------------------------------------------------------------------------


def _rules_of(consultation: Consultation, gaps: Mapping[int, Decimal] | None = None):
    # ``.all()`` so that a caller's prefetch_related("districts") saves the query.
    district_ids = frozenset(d.pk for d in consultation.districts.all())
    return ballots.Rules(
        kind=consultation.kind,
        ballot_type=consultation.ballot_type,
        budget=consultation.budget,
        min_choices=consultation.min_choices,
        max_choices=consultation.max_choices,
        points=consultation.points,
        gaps=gaps or {},
        district_ids=district_ids,
        district_required=bool(district_ids) and consultation.verification != Verification.CODE,
    )


def rules_for(consultation: Consultation) -> ballots.Rules:
    gaps = {}
    if consultation.kind == ConsultationKind.SIMULATOR:
        gaps = dict(consultation.gaps.values_list("year", "amount"))
    return _rules_of(consultation, gaps)


def item_infos(consultation: Consultation, items=None) -> list[ballots.ItemInfo]:
    """The items as plain values for ``ballots.check_ballot`` (``items``: already read)."""
    items = list(consultation.items.all()) if items is None else items
    amounts: dict[int, dict[int, Decimal]] = {}
    if consultation.kind == ConsultationKind.SIMULATOR:
        for item_id, year, amount in ItemYearAmount.objects.filter(
            item__consultation=consultation
        ).values_list("item_id", "year", "amount"):
            amounts.setdefault(item_id, {})[year] = amount
    return [
        ballots.ItemInfo(
            id=item.pk,
            code=item.code,
            title=item.title,
            cost=item.cost,
            amounts=amounts.get(item.pk, {}),
        )
        for item in items
    ]


def closed_message(consultation: Consultation, now=None) -> str | None:
    """Why nobody can vote now, in words; None when the consultation is open."""
    now = now or timezone.now()
    if consultation.is_open(now):
        return None
    if consultation.status == ConsultationStatus.DRAFT:
        return _("This consultation is not published yet. You cannot vote yet.")
    if consultation.status == ConsultationStatus.CLOSED or now >= consultation.closes_at:
        return _("Voting has closed. You can no longer vote or change your vote.")
    return _("Voting has not started yet. You can vote from %(when)s.") % {
        "when": timezone.localtime(consultation.opens_at).strftime("%d-%m-%Y %H:%M")
    }


ADVISORY_NAMESPACE = 0x5EC0  # the first key of the advisory lock: "consultation ballots"


def _lock_shared(consultation_id: int) -> None:
    """A ballot's shared advisory lock on its consultation (PostgreSQL; SQLite locks the whole
    database for a write anyway). Ballots never wait for each other, but closing, which
    takes the same lock exclusively (``lock_out_ballots``), waits for ballots in progress,
    and a ballot that starts after the closing sees it: every later statement of the ballot's
    transaction reads after the lock was granted. (A ``FOR SHARE`` row lock would do the same
    but deadlocks under load: the ballot rows' foreign-key checks lock the same row.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock_shared(%s::integer, %s::integer)",
                [ADVISORY_NAMESPACE, consultation_id],
            )


def lock_out_ballots(consultation_id: int) -> None:
    """Inside a transaction that closes a consultation: wait for ballots in progress and keep
    new ones out until the transaction ends (exclusive advisory lock on PostgreSQL; SQLite
    serialises writes by itself). Call it before changing the status."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s::integer, %s::integer)",
                [ADVISORY_NAMESPACE, consultation_id],
            )


def _closed_error() -> ValidationError:
    return ValidationError(
        _("Voting has closed. You can no longer vote or change your vote."), code="closed"
    )


def _used_error() -> ValidationError:
    return ValidationError(
        _(
            "You have already voted with this code, e-mail address or log-in. In this vote "
            "you cannot change your vote."
        ),
        code="used",
    )


def _is_open_now(consultation_id: int, moment) -> bool:
    return Consultation.objects.filter(
        pk=consultation_id,
        status=ConsultationStatus.PUBLISHED,
        opens_at__lte=moment,
        closes_at__gt=moment,
    ).exists()


def _upsert_postgresql(
    consultation: Consultation, voter_key: str, fields: Mapping[str, Any], moment
) -> tuple[int, int] | None:
    """One statement: insert the voter's ballot, or raise the revision of the existing one
    (which locks its row until the transaction ends), provided the consultation is open at
    ``moment``; with changes not allowed an existing ballot is left alone. Returns (id,
    revision), or None when nothing was written (closed, or voted already)."""
    ballot_table = Ballot._meta.db_table
    consultation_table = Consultation._meta.db_table
    update = (
        "DO UPDATE SET revision = b.revision + 1, updated_at = EXCLUDED.updated_at, "
        "age_band = EXCLUDED.age_band, district_id = EXCLUDED.district_id, "
        "closes_gap = EXCLUDED.closes_gap"
        if consultation.allow_changes
        else "DO NOTHING"
    )
    sql = (
        f"INSERT INTO {ballot_table} AS b (consultation_id, voter_key, submitted_at, "  # noqa: S608
        "updated_at, revision, age_band, district_id, closes_gap) "
        "SELECT c.id, %s, %s, %s, 1, %s, %s, %s "
        f"FROM {consultation_table} c "
        "WHERE c.id = %s AND c.status = %s AND c.opens_at <= %s AND c.closes_at > %s "
        f"ON CONFLICT (consultation_id, voter_key) {update} "
        "RETURNING b.id, b.revision"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                voter_key,
                moment,
                moment,
                fields["age_band"],
                fields["district_id"],
                fields["closes_gap"],
                consultation.pk,
                ConsultationStatus.PUBLISHED,
                moment,
                moment,
            ],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def _upsert_orm(
    consultation: Consultation, voter_key: str, fields: Mapping[str, Any], moment
) -> tuple[int, int]:
    """The same as ``_upsert_postgresql`` with the ORM, for other databases (SQLite, where a
    write locks the whole database, so the steps cannot interleave)."""
    if not _is_open_now(consultation.pk, moment):
        raise _closed_error()
    ballot = (
        Ballot.objects.select_for_update()
        .filter(consultation_id=consultation.pk, voter_key=voter_key)
        .first()
    )
    if ballot is None:
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(
                    consultation_id=consultation.pk, voter_key=voter_key, **fields
                )
            return ballot.pk, 1
        except IntegrityError:
            ballot = Ballot.objects.select_for_update().get(
                consultation_id=consultation.pk, voter_key=voter_key
            )
    if not consultation.allow_changes:
        raise _used_error()
    Ballot.objects.filter(pk=ballot.pk).update(
        revision=F("revision") + 1, updated_at=moment, **fields
    )
    return ballot.pk, ballot.revision + 1


def _write_choices(ballot_id: int, lines: Sequence[ballots.Line], *, replace: bool) -> None:
    """The ballot's choices: one DELETE (when replacing) and one INSERT of all lines."""
    table = Choice._meta.db_table
    with connection.cursor() as cursor:
        if replace:
            cursor.execute(f"DELETE FROM {table} WHERE ballot_id = %s", [ballot_id])  # noqa: S608
        if lines:
            rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(lines))
            params: list[Any] = []
            for line in lines:
                params += [ballot_id, line.item_id, line.value, line.answer, line.reason]
            cursor.execute(
                f"INSERT INTO {table} (ballot_id, item_id, value, answer, reason) "  # noqa: S608
                f"VALUES {rows}",
                params,
            )


@dataclass(frozen=True)
class Submitted:
    ballot_id: int
    revision: int
    created: bool  # False: an earlier ballot was replaced

    @property
    def ballot(self) -> Ballot:
        return Ballot.objects.get(pk=self.ballot_id)


def ballot_submit(
    *,
    consultation: Consultation,
    voter: verification.Voter,
    choices: Mapping[str, Any],
    age_band: str = "",
    district_id: int | None = None,
    confirm_unbalanced: bool = False,
    items: Sequence[ballots.ItemInfo] | None = None,
    rules: ballots.Rules | None = None,
    now=None,
) -> Submitted:
    """Store the voter's one ballot (a new one, or replacing their earlier one).

    Refused with a ``ValidationError`` when the consultation is not open (code ``closed``),
    the voter was verified for another method, changes are not allowed and the voter has
    voted (code ``used``), or the ballot breaks its rules (see ``ballots.check_ballot``).
    Nothing partial is stored: the ballot row and its choices are written in one
    transaction, under the ballot row's lock, so of parallel submissions of one voter each
    replaces the whole ballot in turn. ``items`` and ``rules`` may be passed by a caller that
    has them already.
    """
    message = closed_message(consultation, now)
    if message:
        raise ValidationError(message, code="closed")
    if voter.method != consultation.verification:
        raise ValidationError(_("Please prove again who you are for this vote."), code="voter")
    if voter.method == Verification.CODE and voter.district_id is not None:
        district_id = voter.district_id  # the address list decides
    items = item_infos(consultation) if items is None else items
    rules = rules_for(consultation) if rules is None else rules
    checked = ballots.check_ballot(
        rules,
        items,
        choices,
        district_id=district_id,
        age_band=age_band,
        confirm_unbalanced=confirm_unbalanced,
    )
    fields = {
        "age_band": checked.age_band,
        "district_id": checked.district_id,
        "closes_gap": checked.closes_gap,
    }
    with transaction.atomic():
        _lock_shared(consultation.pk)
        moment = now or timezone.now()
        if connection.vendor == "postgresql":
            written = _upsert_postgresql(consultation, voter.key, fields, moment)
            if written is None:
                raise _used_error() if _is_open_now(consultation.pk, moment) else _closed_error()
        else:
            written = _upsert_orm(consultation, voter.key, fields, moment)
        ballot_id, revision = written
        _write_choices(ballot_id, checked.lines, replace=revision > 1)
    return Submitted(ballot_id=ballot_id, revision=revision, created=revision == 1)
