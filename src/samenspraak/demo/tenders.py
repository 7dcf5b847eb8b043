"""Demo social tenders (issue 6) for "Oss maken we samen".

- Dichtersbuurt: a tender led by BrabantWonen's coalition (with ONS welzijn, GGZ Oost Brabant
  and two residents). Two bids: BrabantWonen's coalition and a coalition led by ONS welzijn.
  Two staff members score both; BrabantWonen's bid ranks first and is awarded.
- Megen: the second pilot learns from the first: it is created from the Dichtersbuurt tender
  (``based_on``), with the same criteria and weights, price method and eligibility, and two of
  the Dichtersbuurt agreement's indicators among its outcomes (REUSED_INDICATORS); unlike
  Dichtersbuurt, residents may sit on its panel. Two bids: Mooiland Maasland's coalition
  "Megen Thuis" (Thuiszorg Maasland, ONS welzijn and two residents) and ONS welzijn's
  "Zorgzaam Megen". A staff member and a resident score both; "Megen Thuis" ranks first and
  is awarded. Its agreement has four indicators, all on track, and a year of reports.
- The Dichtersbuurt agreement with BrabantWonen's coalition: five indicators (four of the
  coalition, one district figure: the municipality's own spending) and a year of reports.
  "Vrijwilligersuren" lags (about a third of the way the line asks); "Verbindingen tussen
  partners" misses the report of the last-but-one quarter (late). Second shortcut: so that a
  year of monitoring has passed, the agreement starts four quarters before the current one
  (not in the tender's first year); the reports follow from that date.

Written through the tenders services as the people who would do it (staff, the lead parties'
representatives). One shortcut: to evaluate, each tender's deadline is moved into the past
after the bids were submitted (bids are refused after the deadline; scoring starts after it).
Idempotent: a tender that already exists (process + title) is left as it is.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import Protocol

from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from samenspraak.accounts.models import Role
from samenspraak.core import monitoring as core_monitoring
from samenspraak.partners import services as partner_services
from samenspraak.partners.models import Partner, PartnerKind
from samenspraak.processes.models import Process
from samenspraak.tenders import agreements, selectors, services
from samenspraak.tenders.models import Agreement, MemberStatus, Tender

SLUG = "oss-maken-we-samen"
DICHTERSBUURT = "Samen sterker in de Dichtersbuurt"
MEGEN = "Langer thuis in Megen"
PARTNER_EMAIL = "partner@samenspraak.example"
RESIDENT_EMAIL = "inwoner@samenspraak.example"
SCORERS = ("medewerker.oss@samenspraak.example", "medewerker@samenspraak.example")
ONS_CONTACT = "ons.welzijn@samenspraak.example"
MOOILAND_CONTACT = "mooiland@samenspraak.example"
ONS_WELZIJN = "ONS welzijn"
GGZ = "GGZ Oost Brabant"
# What the second pilot (Megen) takes over from the first's agreement.
REUSED_INDICATORS = ("Actieve bewoners", "Vrijwilligersuren")

CRITERIA = [
    ("Samenhang van de oplossingen", Decimal(30), "quality"),
    ("Betrokkenheid van bewoners", Decimal(30), "quality"),
    ("Haalbaarheid", Decimal(10), "quality"),
    ("Prijs", Decimal(30), "price"),
]
# Scores per scorer per bid (coalition name) per criterion, in the order of CRITERIA.
SCORES = {
    "Dichtersbuurt Samen": ((8, 9, 7), (7, 8, 8)),
    "Welzijn Dichterbij": ((6, 5, 8), (7, 4, 7)),
}

# Megen: the panel is a staff member and a resident (the tender allows residents on it).
MEGEN_PANEL = ("medewerker.oss@samenspraak.example", RESIDENT_EMAIL)
MEGEN_SCORES = {
    "Megen Thuis": ((8, 8, 7), (9, 9, 7)),
    "Zorgzaam Megen": ((6, 6, 7), (6, 5, 8)),
}
MEGEN_PRICES = {"Megen Thuis": 330000, "Zorgzaam Megen": 280000}
THUISZORG = "Thuiszorg Maasland"


class _Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


def _partner(municipality, name: str, kind: str, admin, created: Counter[str]) -> Partner:
    partner = Partner.objects.filter(municipality=municipality, name=name).first()
    if partner is None:
        partner = partner_services.partner_create(
            actor=admin, data={"municipality": municipality, "name": name, "kind": kind}
        )
        created["partners"] += 1
    return partner


def _contact(email: str, name: str, organisation: str, created: Counter[str]):
    user_model = get_user_model()
    user = user_model.objects.filter(email=email).first()
    if user is None:
        user = user_model.objects.create_user(
            email=email, password=None, full_name=name, role=Role.PARTNER, organisation=organisation
        )
        created["users"] += 1
    return user


def _tender(
    staff,
    process,
    title: str,
    challenge: str,
    outcomes: str,
    budget: int,
    districts,
    based_on: Tender | None = None,
    residents_on_panel: bool | None = None,
):
    """A published tender. With ``based_on`` (the second pilot learns from the first, issue 6)
    the criteria and weights, price method and ceiling, eligibility and resident panel setting
    are copied from that tender, as the "start from an earlier tender" form does."""
    settings = {
        "eligibility": "Een coalitie met één penvoerder: een partner uit Oss.",
        "residents_on_panel": False,
        "price_method": "relative",
        "price_ceiling": None,
    }
    criteria = CRITERIA
    if based_on is not None:
        settings = {key: getattr(based_on, key) for key in settings}
        criteria = selectors.criteria_of(based_on)
    if residents_on_panel is not None:
        settings["residents_on_panel"] = residents_on_panel
    tender = services.tender_create(
        actor=staff,
        process=process,
        data={
            "title": title,
            "challenge": challenge,
            "outcomes": outcomes,
            "budget_per_year": Decimal(budget),
            "first_year": 2027,
            "last_year": 2029,
            "deadline": timezone.now() + timedelta(days=30),
            **settings,
        },
        criteria=criteria,
        districts=districts,
        based_on=based_on,
    )
    return services.tender_publish(actor=staff, tender=tender)


def _reused_indicators(source: Tender | None) -> list[str]:
    """The Dichtersbuurt indicators that Megen takes over, as outcome lines (in Dutch, as the
    "start from an earlier tender" form offers them to Dutch staff)."""
    if source is None:
        return []
    with translation.override("nl"):
        lines = selectors.indicator_lines(source)
    return [line for line in lines if line.split(" | ", 1)[0] in REUSED_INDICATORS]


def _bid(actor, coalition, plan: str, price: int, submit: bool):
    bid = services.bid_save(
        actor=actor,
        coalition=coalition,
        data={
            "plan": plan,
            "price": Decimal(price),
            "committed_outcomes": "Minder bewoners voelen zich eenzaam. "
            "Meer bewoners kennen hun buren.",
            "resident_involvement": "Bewoners zitten in de stuurgroep. "
            "Zij organiseren zelf activiteiten.",
        },
        years={year: Decimal(price) / 3 for year in (2027, 2028, 2029)},
    )
    if submit:
        services.bid_submit(actor=actor, bid=bid)
    return bid


def _megen_pilot(tender: Tender, staff, mooiland, mooiland_rep, admin, created) -> None:
    """Megen, the second pilot, complete: Mooiland Maasland's coalition "Megen Thuis" (a care
    partner, the welfare partner and two residents, all accepted) and ONS welzijn's coalition
    "Zorgzaam Megen" bid; a staff member and a resident score; staff award."""
    town = tender.process.municipality
    ons = _partner(town, ONS_WELZIJN, PartnerKind.WELFARE, admin, created)
    thuiszorg = _partner(town, THUISZORG, PartnerKind.CARE, admin, created)
    ons_rep = _contact(ONS_CONTACT, "Yvonne Peters", ONS_WELZIJN, created)
    ours = services.coalition_create(
        actor=mooiland_rep, lead=mooiland, name="Megen Thuis", tender=tender
    )
    members = [
        {
            "partner": thuiszorg,
            "role": "Zorg aan huis en de dorpsondersteuner",
            "contribution_kind": "hours",
            "contribution_amount": Decimal(400),
        },
        {
            "partner": ons,
            "role": "Ontmoetingstafel en vrijwilligers",
            "contribution_kind": "hours",
            "contribution_amount": Decimal(250),
        },
        {
            "person_name": "Kees Jansen",
            "email": RESIDENT_EMAIL,
            "role": "Bewoner in de stuurgroep",
            "contribution_kind": "in_kind",
            "contribution_note": "Praat mee over de aanpassingen in huizen",
        },
        {
            "person_name": "Dorpsraad Megen",
            "role": "Stem van het dorp",
            "contribution_kind": "in_kind",
            "contribution_note": "Ruimte in het dorpshuis",
        },
    ]
    for data in members:
        member = services.coalition_add_member(actor=mooiland_rep, coalition=ours, data=data)
        if member.partner == ons:
            services.coalition_member_respond(actor=ons_rep, member=member, accept=True)
        elif member.invitation_token:
            services.coalition_member_respond_by_token(token=member.invitation_token, accept=True)
    # Thuiszorg Maasland has no representative in the demo: its yes was given on paper.
    ours.members.filter(status=MemberStatus.INVITED).update(status=MemberStatus.ACCEPTED)
    theirs = services.coalition_create(
        actor=ons_rep, lead=ons, name="Zorgzaam Megen", tender=tender
    )
    created["coalitions"] += 2
    bids = {
        "Megen Thuis": _bid(
            mooiland_rep,
            ours,
            "Aanpassingen in huizen, een dorpsondersteuner en een ontmoetingstafel.",
            MEGEN_PRICES["Megen Thuis"],
            True,
        ),
        "Zorgzaam Megen": _bid(
            ons_rep,
            theirs,
            "Een wekelijkse ontmoetingstafel en vrijwilligers die ouderen bezoeken.",
            MEGEN_PRICES["Zorgzaam Megen"],
            True,
        ),
    }
    created["bids"] += 2
    users = get_user_model().objects
    panel = [users.get(email=email) for email in MEGEN_PANEL]
    _evaluate_and_award(
        staff,
        tender,
        bids,
        panel,
        MEGEN_SCORES,
        "Wonen, zorg en ontmoeting in één plan. Het dorp praat mee.",
        created,
    )


def _evaluate_and_award(staff, tender, bids, panel, marks_by_bid, reasoning, created) -> None:
    """The panel declares no conflict and scores every bid (``marks_by_bid[name][scorer]``),
    after the deadline (moved into the past, see the module docstring); staff award the bid
    the ranking puts first."""
    for member in panel:
        services.panel_add(actor=staff, tender=tender, user=member)
    tender.deadline = timezone.now() - timedelta(days=1)
    tender.save(update_fields=["deadline"])
    quality = selectors.quality_criteria(tender)
    for index, scorer in enumerate(panel):
        for name, bid in bids.items():
            bid.tender = tender
            services.declare(actor=scorer, bid=bid, has_conflict=False)
            marks = marks_by_bid[name][index]
            services.score_bid(
                actor=scorer,
                bid=bid,
                scores={c.pk: Decimal(m) for c, m in zip(quality, marks, strict=True)},
            )
            created["scores"] += len(marks)
    result = selectors.result_of(tender)
    winner = next(b for b in bids.values() if b.key == result.ranking[0].bid)
    services.award(actor=staff, tender=tender, bid=winner, reasoning=reasoning)


def load_tenders(*, admin, stdout: _Writer | None = None) -> tuple[Counter[str], Counter[str]]:
    """Create the demo tenders that are missing; (created, existing)."""
    created: Counter[str] = Counter()
    existing: Counter[str] = Counter()
    process = Process.objects.filter(slug=SLUG).select_related("municipality").first()
    users = get_user_model().objects
    lead_rep = users.filter(email=PARTNER_EMAIL).first()
    scorers = [users.filter(email=e).first() for e in SCORERS]
    if process is None or lead_rep is None or None in scorers:
        return created, existing
    town = process.municipality
    brabantwonen = Partner.objects.filter(municipality=town, name="BrabantWonen").first()
    mooiland = Partner.objects.filter(municipality=town, name="Mooiland Maasland").first()
    if brabantwonen is None or mooiland is None:
        return created, existing
    staff = scorers[0]
    districts = {d.name: d for d in process.districts.all()}

    if Tender.objects.filter(process=process, title=DICHTERSBUURT).exists():
        existing["tenders"] += 1
    else:
        ons = _partner(town, ONS_WELZIJN, PartnerKind.WELFARE, admin, created)
        ggz = _partner(town, GGZ, PartnerKind.CARE, admin, created)
        ons_rep = _contact(ONS_CONTACT, "Yvonne Peters", ONS_WELZIJN, created)
        tender = _tender(
            staff,
            process,
            DICHTERSBUURT,
            "In de Dichtersbuurt voelen veel bewoners zich alleen. Er is weinig contact tussen "
            "buren. Wij zoeken een coalitie die dit samen met bewoners aanpakt.",
            "Minder eenzaamheid | aandeel eenzame inwoners (GGD-monitor)\n"
            "Meer contact tussen buren | aantal bewoners dat meedoet aan activiteiten",
            250000,
            [districts["Dichtersbuurt"]] if "Dichtersbuurt" in districts else [],
        )
        created["tenders"] += 1
        ours = services.coalition_create(
            actor=lead_rep, lead=brabantwonen, name="Dichtersbuurt Samen", tender=tender
        )
        members = [
            {
                "partner": ons,
                "role": "Buurtwerk en vrijwilligers",
                "contribution_kind": "hours",
                "contribution_amount": Decimal(800),
            },
            {
                "partner": ggz,
                "role": "Steun bij psychische klachten",
                "contribution_kind": "hours",
                "contribution_amount": Decimal(300),
            },
            {
                "person_name": "Kees Jansen",
                "email": RESIDENT_EMAIL,
                "role": "Bewoner in de stuurgroep",
                "contribution_kind": "in_kind",
                "contribution_note": "Organiseert de buurtmaaltijd",
            },
            {
                "person_name": "Bewonerscommissie Dichtersbuurt",
                "role": "Stem van de huurders",
                "contribution_kind": "in_kind",
                "contribution_note": "Ruimte in het buurthuis",
            },
        ]
        for data in members:
            member = services.coalition_add_member(actor=lead_rep, coalition=ours, data=data)
            if member.partner == ons:
                services.coalition_member_respond(actor=ons_rep, member=member, accept=True)
            elif member.invitation_token:
                services.coalition_member_respond_by_token(
                    token=member.invitation_token, accept=True
                )
        # GGZ has no representative in the demo: its yes was given on paper.
        ours.members.filter(status=MemberStatus.INVITED).update(status=MemberStatus.ACCEPTED)
        theirs = services.coalition_create(
            actor=ons_rep, lead=ons, name="Welzijn Dichterbij", tender=tender
        )
        created["coalitions"] += 2
        bids = {
            "Dichtersbuurt Samen": _bid(
                lead_rep,
                ours,
                "Een huiskamer in elke straat, een buurtconciërge en hulp bij geldzaken: "
                "één team, één aanspreekpunt.",
                240000,
                True,
            ),
            "Welzijn Dichterbij": _bid(
                ons_rep,
                theirs,
                "Extra ouderenwerk en een wekelijkse inloop in het buurthuis.",
                210000,
                True,
            ),
        }
        created["bids"] += 2
        _evaluate_and_award(
            staff,
            tender,
            bids,
            scorers,
            SCORES,
            "Het plan met de meeste samenhang en de sterkste rol voor bewoners.",
            created,
        )

    # The agreement first: Megen (below) reuses some of its indicators.
    dichtersbuurt = Tender.objects.filter(process=process, title=DICHTERSBUURT).first()
    if dichtersbuurt is not None and dichtersbuurt.winner_id is not None:
        if Agreement.objects.filter(tender=dichtersbuurt).exists():
            existing["agreements"] += 1
        else:
            _agreement(dichtersbuurt, staff, lead_rep, created)
    if Tender.objects.filter(process=process, title=MEGEN).exists():
        existing["tenders"] += 1
    else:
        mooiland_rep = _contact(MOOILAND_CONTACT, "Bram Willems", "Mooiland Maasland", created)
        tender = _tender(
            staff,
            process,
            MEGEN,
            "Ouderen in Megen willen langer thuis wonen. Wij zoeken een coalitie die wonen, zorg "
            "en ontmoeting in het dorp samenbrengt.",
            "\n".join(
                [
                    "Langer thuis wonen | aantal ouderen dat verhuist naar een verpleeghuis",
                    "Meer ontmoeting | bezoekers van het dorpshuis per week",
                    *_reused_indicators(dichtersbuurt),
                ]
            ),
            120000,
            [districts["Megen"]] if "Megen" in districts else [],
            based_on=dichtersbuurt,
            residents_on_panel=True,
        )
        created["tenders"] += 1
        _megen_pilot(tender, staff, mooiland, mooiland_rep, admin, created)
    megen = Tender.objects.filter(process=process, title=MEGEN).first()
    if megen is not None and megen.winner_id is not None:
        if Agreement.objects.filter(tender=megen).exists():
            existing["agreements"] += 1
        else:
            _agreement(
                megen,
                staff,
                users.filter(email=MOOILAND_CONTACT).first() or lead_rep,
                created,
                MEGEN_INDICATORS,
            )
    if stdout is not None:
        stdout.write(
            f"Tenders: {created['tenders']} created with {created['bids']} bids, "
            f"{existing['tenders']} already there.\n"
        )
    return created, existing


# (name, unit, baseline, target after the first full year, final target, direction,
#  frequency, responsible partner or None for a district figure, story)
INDICATORS = [
    ("Actieve bewoners", "bewoners", 40, 70, 100, "higher", "quarterly", ONS_WELZIJN, "on"),
    (
        "Vrijwilligersuren",
        "uren per kwartaal",
        300,
        450,
        600,
        "higher",
        "quarterly",
        ONS_WELZIJN,
        "lag",
    ),
    (
        "Verbindingen tussen partners",
        "samenwerkingen",
        6,
        10,
        14,
        "higher",
        "quarterly",
        "BrabantWonen",
        "late",
    ),
    ("Eenzame bewoners (GGD-monitor)", "procent", 48, 44, 38, "lower", "yearly", GGZ, "on"),
    (
        "Eigen uitgaven gemeente in de wijk",
        "euro per kwartaal",
        125000,
        115000,
        100000,
        "lower",
        "quarterly",
        None,
        "on",
    ),
]
# Megen: four indicators, all on track (the Dichtersbuurt agreement tells the warnings).
MEGEN_INDICATORS = [
    ("Actieve bewoners", "bewoners", 20, 35, 50, "higher", "quarterly", ONS_WELZIJN, "on"),
    (
        "Aangepaste woningen",
        "woningen",
        0,
        20,
        60,
        "higher",
        "quarterly",
        "Mooiland Maasland",
        "on",
    ),
    (
        "Bezoekers dorpshuis",
        "bezoekers per week",
        30,
        45,
        60,
        "higher",
        "quarterly",
        THUISZORG,
        "on",
    ),
    (
        "Verhuizingen naar verpleeghuis",
        "ouderen per jaar",
        12,
        10,
        8,
        "lower",
        "yearly",
        None,
        "on",
    ),
]
LAGGING = "Vrijwilligersuren"
LATE = "Verbindingen tussen partners"


def _quarter_start(day):
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def _agreement(
    tender: Tender, staff, lead_rep, created: Counter[str], indicators=None
) -> Agreement:
    """An agreement with four ended quarters of reports (see the module docstring); the
    Dichtersbuurt INDICATORS unless others are given."""
    today = timezone.localdate()
    current = _quarter_start(today)
    start = current.replace(year=current.year - 1)
    end = start.replace(year=start.year + 3) - timedelta(days=1)
    agreement = agreements.agreement_create(
        actor=staff, tender=tender, start_date=start, end_date=end
    )
    created["agreements"] += 1
    coalition = tender.winner.coalition
    partners = {m.partner.name: m.partner for m in coalition.members.filter(partner__isnull=False)}
    users = get_user_model().objects
    reporters = {ONS_WELZIJN: users.filter(email=ONS_CONTACT).first()}
    for row in INDICATORS if indicators is None else indicators:
        name, unit, base, first, final, direction, frequency, responsible, story = row
        indicator = agreements.indicator_add(
            actor=staff,
            agreement=agreement,
            data={
                "name": name,
                "unit": unit,
                "baseline": Decimal(base),
                "direction": direction,
                "frequency": frequency,
                "responsible": partners[responsible] if responsible else None,
            },
            targets={start.year + 1: Decimal(first), end.year: Decimal(final)},
        )
        created["indicators"] += 1
        reporter = staff if responsible is None else (reporters.get(responsible) or lead_rep)
        plan = core_monitoring.periods(start, end, core_monitoring.Frequency(frequency))
        targets = {start.year + 1: Decimal(first), end.year: Decimal(final)}
        line = core_monitoring.expected_values(Decimal(base), targets, plan)
        ended = [(p, v) for p, v in zip(plan, line, strict=True) if p.end < today]
        for index, (period, expected) in enumerate(ended):
            if story == "late" and index == len(ended) - 2:
                continue  # the missing report
            if story == "lag":
                value = Decimal(base) + (expected - Decimal(base)) * Decimal("0.3")
            else:
                value = expected
            agreements.report_save(
                actor=reporter,
                indicator=indicator,
                period_start=period.start,
                value=value.quantize(Decimal(1)),
                note="Minder vrijwilligers na de zomer." if story == "lag" and index else "",
                today=today,
            )
            created["reports"] += 1
    return agreement
