"""Load the demo: municipalities, districts, the demo accounts and the four reference cases.

Processes are written through the services of ``samenspraak.processes`` (acting as the demo
administrator), so the demo passes the same checks and leaves the same audit trail as work
done in the browser. Loading is idempotent: what already exists (by natural key: CBS code,
municipality + district name, e-mail, process slug) is left exactly as it is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Protocol

from django.contrib.auth import get_user_model
from django.db import transaction

from samenspraak.demo.accounts import (
    ADMIN_EMAIL,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    PROCESS_OWNER_EMAIL,
    DemoAccount,
)
from samenspraak.demo.cases import CASES, MUNICIPALITIES, CaseData
from samenspraak.demo.committees import load_committees
from samenspraak.demo.consultations import load_consultations
from samenspraak.demo.partners import load_partners
from samenspraak.demo.proposals import load_proposals
from samenspraak.demo.tenders import load_tenders
from samenspraak.processes import services
from samenspraak.processes.models import District, Municipality, Process

KINDS = ("municipalities", "districts", "accounts", "processes")
COMMITTEE_KINDS = ("committees", "facilitators", "network")


class _Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


@dataclass
class DemoSummary:
    """What one load created and what was already there, per kind of object."""

    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)
    # Warnings the services returned (e.g. overlapping phases); the demo data should have none.
    warnings: list[str] = field(default_factory=list)
    # Committees, their facilitators and the knowledge network (demo/committees.py).
    committees_created: Counter[str] = field(default_factory=Counter)
    committees_existing: Counter[str] = field(default_factory=Counter)
    # Proposals and the Programme of Requirements (demo/proposals.py).
    proposals_created: Counter[str] = field(default_factory=Counter)
    proposals_existing: Counter[str] = field(default_factory=Counter)
    # Consultations with their ballots and results (demo/consultations.py).
    consultations_created: Counter[str] = field(default_factory=Counter)
    consultations_existing: Counter[str] = field(default_factory=Counter)
    # Partners and their offering (demo/partners.py).
    partners_created: Counter[str] = field(default_factory=Counter)
    partners_existing: Counter[str] = field(default_factory=Counter)
    # Social tenders, coalitions, bids and scores (demo/tenders.py).
    tenders_created: Counter[str] = field(default_factory=Counter)
    tenders_existing: Counter[str] = field(default_factory=Counter)

    @property
    def created_anything(self) -> bool:
        return (
            any(self.created.values())
            or any(self.committees_created.values())
            or any(self.proposals_created.values())
            or any(self.consultations_created.values())
            or any(self.partners_created.values())
            or any(self.tenders_created.values())
        )

    def describe(self) -> str:
        parts = [
            f"{kind}: {self.created[kind]} created, {self.existing[kind]} already there"
            for kind in KINDS
        ]
        parts += [
            f"{kind}: {self.committees_created[kind]} created, "
            f"{self.committees_existing[kind]} already there"
            for kind in COMMITTEE_KINDS
        ]
        parts.append(
            f"proposals: {self.proposals_created['proposals']} created, "
            f"{self.proposals_existing['proposals']} already there"
        )
        # The tenders demo adds a few partners of its own (the other coalition members).
        partners_created = self.partners_created + self.tenders_created
        partners_existing = self.partners_existing + self.tenders_existing
        for kind, created, existing in (
            ("consultations", self.consultations_created, self.consultations_existing),
            ("partners", partners_created, partners_existing),
            ("tenders", self.tenders_created, self.tenders_existing),
            ("agreements", self.tenders_created, self.tenders_existing),
        ):
            parts.append(f"{kind}: {created[kind]} created, {existing[kind]} already there")
        return "Demo data loaded. " + "; ".join(parts) + "."


def _say(stdout: _Writer | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _load_places(summary: DemoSummary) -> dict[tuple[str, str], District]:
    districts: dict[tuple[str, str], District] = {}
    for data in MUNICIPALITIES:
        municipality, created = Municipality.objects.get_or_create(
            cbs_code=data.cbs_code, defaults={"name": data.name}
        )
        (summary.created if created else summary.existing)["municipalities"] += 1
        for d in data.districts:
            district, created = District.objects.get_or_create(
                municipality=municipality,
                name=d.name,
                defaults={"kind": d.kind, "cbs_code": d.cbs_code},
            )
            (summary.created if created else summary.existing)["districts"] += 1
            districts[(data.cbs_code, d.name)] = district
    return districts


def _load_account(account: DemoAccount, summary: DemoSummary):
    user = get_user_model().objects.filter(email=account.email).first()
    if user is not None:
        summary.existing["accounts"] += 1
        return user
    summary.created["accounts"] += 1
    return get_user_model().objects.create_user(
        account.email,
        DEMO_PASSWORD,
        full_name=account.full_name,
        role=account.role,
        organisation=account.organisation,
        is_staff=account.is_superuser,
        is_superuser=account.is_superuser,
    )


def _load_case(
    case: CaseData,
    *,
    actor,
    owner,
    districts: dict[tuple[str, str], District],
    summary: DemoSummary,
    stdout: _Writer | None,
) -> None:
    if Process.objects.filter(slug=case.slug).exists():
        summary.existing["processes"] += 1
        _say(stdout, f"Process '{case.slug}' already exists; left as it is.")
        return
    municipality = Municipality.objects.get(cbs_code=case.municipality_cbs_code)
    process = services.process_create(
        actor=actor,
        title=case.title,
        summary=case.summary,
        challenge=case.challenge,
        municipality=municipality,
        owner=owner,
        districts=[districts[(case.municipality_cbs_code, name)] for name in case.district_names],
        status=case.status,
        slug=case.slug,
    )
    findings = services.framework_update(
        actor=actor,
        process=process,
        data={
            "bandwidth_kind": case.bandwidth_kind,
            "bandwidth_subject": case.bandwidth_subject,
            "budget_areas": case.budget_areas,
            "conditions": case.conditions,
            "decision_deadline": case.decision_deadline,
            "council_decision_reference": case.council_decision_reference,
        },
        years=[asdict(year) for year in case.years],
        aspects=[asdict(aspect) for aspect in case.aspects],
    )
    findings += services.phases_replace(
        actor=actor, process=process, phases=[asdict(phase) for phase in case.phases]
    )
    services.themes_replace(
        actor=actor, process=process, themes=[asdict(theme) for theme in case.themes]
    )
    current = process.phases.get(title=case.current_phase_title)
    services.process_set_current_phase(actor=actor, process=process, phase=current)
    summary.warnings += [f"{case.slug}: {finding.message_en}" for finding in findings]
    summary.created["processes"] += 1
    _say(stdout, f"Process '{case.slug}' created.")


def load_demo(*, stdout: _Writer | None = None) -> DemoSummary:
    """Create what the demo needs and is missing, in one transaction; report the counts.

    ``stdout`` (a command's ``self.stdout`` or any text stream) receives a line per process.
    """
    summary = DemoSummary()
    with transaction.atomic():
        districts = _load_places(summary)
        users = {account.email: _load_account(account, summary) for account in DEMO_ACCOUNTS}
        for case in CASES:
            _load_case(
                case,
                actor=users[ADMIN_EMAIL],
                owner=users[PROCESS_OWNER_EMAIL],
                districts=districts,
                summary=summary,
                stdout=stdout,
            )
        created, existing = load_committees(admin=users[ADMIN_EMAIL], stdout=stdout)
        summary.committees_created.update(created)
        summary.committees_existing.update(existing)
        created, existing = load_proposals(stdout=stdout)
        summary.proposals_created.update(created)
        summary.proposals_existing.update(existing)
        created, existing = load_consultations(stdout=stdout)
        summary.consultations_created.update(created)
        summary.consultations_existing.update(existing)
        created, existing = load_partners(admin=users[ADMIN_EMAIL], stdout=stdout)
        summary.partners_created.update(created)
        summary.partners_existing.update(existing)
        created, existing = load_tenders(admin=users[ADMIN_EMAIL], stdout=stdout)
        summary.tenders_created.update(created)
        summary.tenders_existing.update(existing)
    return summary
