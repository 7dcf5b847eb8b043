"""Demo proposals (issue 4): the Huis ter Heide Programme of Requirements, the proposals of
the eight Zeist expert committees and the Purmerend partners' scenarios for the social domain.

Everything is written through ``samenspraak.proposals.services`` by demo accounts (the
process owner, the demo committee member, a council member, a colleague, a resident), so the
demo has real versions, amendments, comments, framework checks and audit events. Loading is
idempotent: a proposal whose slug exists is left exactly as it is.

Amounts are in euros (``Decimal``): savings positive, costs negative. They are sized to the
municipalities: Zeist (about 66,000 inhabitants, a budget of about 170 million) has a gap of
2.1 million structural in 2027 rising to 4.2 million from 2029; Purmerend (about 93,000
inhabitants) must save 1.2 million in 2027 rising to 3.5 million structural from 2029 in the
social domain. The Zeist proposals together offer clearly more than the gap, so the budget
page has a real choice; the Purmerend partners offer alternative scenarios (exclusive groups).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.contrib.auth import get_user_model

from samenspraak.committees import selectors as committee_selectors
from samenspraak.committees.models import Committee
from samenspraak.demo.accounts import PROCESS_OWNER_EMAIL
from samenspraak.processes.models import Process
from samenspraak.proposals import budget, packages, services
from samenspraak.proposals.models import (
    AuthorKind,
    BudgetPackage,
    ConditionMet,
    PackageStatus,
    Proposal,
    ProposalKind,
    ProposalStatus,
)

HTH_SLUG = "huis-ter-heide-pve"
ZEIST_SLUG = "bezuinigingsdialoog-zeist"
PURMEREND_SLUG = "purmerend-sociaal-domein"
YEARS = (2027, 2028, 2029, 2030)

MEMBER_EMAIL = "comitelid@samenspraak.example"
COUNCIL_EMAIL = "raadslid@samenspraak.example"
COLLEAGUE_EMAIL = "collega@samenspraak.example"
RESIDENT_EMAIL = "inwoner@samenspraak.example"

S = ProposalStatus
# The steps from draft to each status, in order (each one a proposal_transition).
STATUS_PATHS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (),
    S.SUBMITTED: (S.SUBMITTED,),
    S.CHECKED: (S.SUBMITTED, S.CHECKED),
    S.IN_CONSULTATION: (S.SUBMITTED, S.CHECKED, S.IN_CONSULTATION),
    S.TO_COUNCIL: (S.SUBMITTED, S.CHECKED, S.IN_CONSULTATION, S.TO_COUNCIL),
    S.ADOPTED: (S.SUBMITTED, S.CHECKED, S.IN_CONSULTATION, S.TO_COUNCIL, S.ADOPTED),
    S.AMENDED: (S.SUBMITTED, S.CHECKED, S.IN_CONSULTATION, S.TO_COUNCIL, S.AMENDED),
    S.REJECTED: (S.SUBMITTED, S.CHECKED, S.TO_COUNCIL, S.REJECTED),
}
# One measure never reaches a whole savings target on its own, so the check of a single
# measure fails on the bandwidth; staff move it on with this reason (kept in the audit trail).
OVERRIDE_REASON = (
    "Eén los voorstel sluit de besparingsopgave niet. De gemeente toetst het pakket als geheel "
    "op de begrotingspagina. De voorwaarden beoordelen we per pakket."
)


class _Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


def _euros(thousands: int) -> Decimal:
    return Decimal(thousands * 1000).quantize(Decimal("0.01"))


def effects(structural: Sequence[int], incidental: Sequence[int] = (0, 0, 0, 0)) -> list[dict]:
    """Effect rows for 2027-2030 from amounts in thousands of euros (whole, so exact)."""
    return [
        {"year": year, "structural": _euros(s), "incidental": _euros(i)}
        for year, s, i in zip(YEARS, structural, incidental, strict=True)
    ]


# --- shapes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureData:
    """One measure of the Zeist dialogue or the Purmerend process, and where it stands."""

    slug: str
    title: str
    summary: str
    body: str
    budget_area: str
    structural: tuple[int, int, int, int]  # thousands of euros per year 2027-2030
    incidental: tuple[int, int, int, int]
    target_groups: str
    expected_reach: int
    risks: str
    support: str  # share of the population that backs it, "0.71"
    impact: str  # staff's harm score, 1 (little) to 10 (much)
    people: int  # people affected
    status: str
    group: str = ""
    committee: str = ""  # slug of the authoring committee (Zeist)
    organisation: str = ""  # the authoring partner (Purmerend)
    theme: str = ""
    # (version note, new structural, new incidental): a second version after the first check.
    revision: tuple[str, tuple[int, int, int, int], tuple[int, int, int, int]] | None = None
    comments: tuple[tuple[str, str], ...] = ()  # (e-mail, text); the next one replies
    amendment: tuple[str, str, str, str] | None = None  # (section, new text, reason, decision)


@dataclass(frozen=True)
class RequirementData:
    aspect: str
    title: str
    priority: str
    description: str = ""
    cost: int | None = None  # euros
    norm: tuple[str, str, str, str] | None = None  # (quantity, operator, value, unit)

    def row(self) -> dict:
        row: dict = {
            "aspect": self.aspect,
            "title": self.title,
            "priority": self.priority,
            "description": self.description,
            "cost_estimate": Decimal(self.cost).quantize(Decimal("0.01"))
            if self.cost is not None
            else None,
        }
        if self.norm:
            quantity, operator, value, unit = self.norm
            row.update(
                norm_quantity=quantity,
                norm_operator=operator,
                norm_value=Decimal(value),
                norm_unit=unit,
            )
        return row


@dataclass
class _Actors:
    owner: object
    member: object | None
    council: object | None
    colleague: object | None
    resident: object | None
    by_email: dict[str, object] = field(default_factory=dict)


# --- 1. Huis ter Heide: the lead group's Programme of Requirements -------------------------

PVE_SLUG = "programma-van-eisen-huis-ter-heide"
PVE_COMMITTEE = "kopgroep-huis-ter-heide"

PVE_TITLE = "Programma van Eisen nieuwe woonwijk Huis ter Heide"
PVE_SUMMARY = (
    "Dit is het Programma van Eisen van de kopgroep. Het zegt waaraan de nieuwe woonwijk in "
    "Huis ter Heide moet voldoen. Per onderwerp staat wat moet, wat zou moeten en wat kan. "
    "Zo blijft de wijk groen, dorps en betaalbaar."
)
PVE_BODY = (
    "De kopgroep bestaat uit elf inwoners van Huis ter Heide en Bosch en Duin. Zij zijn "
    "gekozen door loting. Vijf maanden lang hebben zij met elkaar, met buren en met "
    "deskundigen van de gemeente gepraat.\n\n"
    "De wijk krijgt ongeveer 170 woningen op het terrein aan de Amersfoortseweg. Het gebied "
    "ligt vlak bij bos en heide. Daarom staan groen en natuur voorop.\n\n"
    "Bij elke eis staat hoe belangrijk die is. 'Moet' is een harde eis. 'Zou moeten' is "
    "belangrijk, maar er is ruimte voor overleg. 'Kan' is een wens. Waar dat kan, staat er een "
    "meetbare norm bij. Bij eisen die extra geld kosten, staat een schatting van de kosten.\n\n"
    "De gemeente verwacht op de grondexploitatie een positief resultaat van ongeveer "
    "€ 380.000. Dat past binnen de bandbreedte van de raad (van € 500.000 tekort tot "
    "€ 1.500.000 over)."
)
PVE_EFFECTS = [{"year": 2027, "structural": Decimal("0.00"), "incidental": Decimal("380000.00")}]

_MUST, _SHOULD, _COULD = "must", "should", "could"
PVE_REQUIREMENTS: tuple[RequirementData, ...] = (
    RequirementData(
        "Milieu",
        "Alle woningen zijn aardgasvrij en energieneutraal",
        _MUST,
        "De woningen wekken over een jaar zelf evenveel energie op als zij gebruiken.",
        norm=("aandeel energieneutrale woningen", "at_least", "100", "%"),
    ),
    RequirementData(
        "Milieu",
        "Geluid van de Amersfoortseweg blijft binnen de voorkeursgrens",
        _MUST,
        "Woningen langs de weg krijgen een dove gevel of liggen verder van de weg.",
        norm=("geluidsbelasting op de gevel", "at_most", "48", "dB"),
    ),
    RequirementData(
        "Milieu",
        "Regenwater blijft in de wijk",
        _SHOULD,
        "Wadi's en groene daken vangen regen op, zodat de wijk niet onderloopt bij hevige regen.",
        cost=95000,
        norm=("waterberging per m² verhard oppervlak", "at_least", "60", "liter"),
    ),
    RequirementData(
        "Bereikbaarheid",
        "Auto's rijden de wijk alleen in via de Amersfoortseweg",
        _MUST,
        "Geen extra autoverkeer door de bestaande straten van Huis ter Heide.",
    ),
    RequirementData(
        "Bereikbaarheid",
        "Een veilige fietsroute naar het dorp en naar Utrecht Science Park",
        _SHOULD,
        "Een vrijliggend fietspad sluit aan op de bestaande route langs de Amersfoortseweg.",
        cost=140000,
    ),
    RequirementData(
        "Bereikbaarheid",
        "Een bushalte dichtbij elke woning",
        _SHOULD,
        norm=("loopafstand tot een bushalte", "at_most", "400", "meter"),
    ),
    RequirementData(
        "Voorzieningen",
        "Een speelplek voor kinderen van 0 tot 12 jaar",
        _MUST,
        "Met natuurlijk spelen: boomstammen, zand en water.",
        cost=85000,
        norm=("loopafstand tot een speelplek", "at_most", "300", "meter"),
    ),
    RequirementData(
        "Voorzieningen",
        "Een buurtkamer waar bewoners elkaar ontmoeten",
        _COULD,
        "In de plint van een van de appartementengebouwen; bewoners beheren de ruimte zelf.",
        cost=60000,
    ),
    RequirementData(
        "Groen",
        "Veel groen in de wijk",
        _MUST,
        "Tuinen tellen niet mee; het gaat om openbaar groen en water.",
        norm=("aandeel groen in het plangebied", "at_least", "40", "%"),
    ),
    RequirementData(
        "Groen",
        "Waardevolle bomen en houtwallen blijven staan",
        _MUST,
        "Een bomeninventarisatie wijst aan welke bomen waardevol zijn.",
    ),
    RequirementData(
        "Groen",
        "Een groene verbinding voor dieren naar de heide",
        _SHOULD,
        "Egels, vleermuizen en reeën kunnen door de wijk naar de heide.",
        cost=45000,
        norm=("breedte van de ecologische zone", "at_least", "25", "meter"),
    ),
    RequirementData(
        "Parkeren",
        "Genoeg parkeerplaatsen, bezoekers inbegrepen",
        _MUST,
        "Volgens de parkeernorm van Zeist voor deze plek.",
        norm=("parkeerplaatsen per woning", "at_least", "1.3", "plaatsen"),
    ),
    RequirementData(
        "Parkeren",
        "Niet meer parkeerplaatsen dan nodig",
        _SHOULD,
        "Zo blijft er ruimte voor groen. Parkeren gebundeld aan de rand van de wijk.",
        norm=("parkeerplaatsen per woning", "at_most", "1.6", "plaatsen"),
    ),
    RequirementData(
        "Parkeren",
        "Laadpalen voor elektrische auto's",
        _SHOULD,
        cost=40000,
        norm=("aandeel parkeerplaatsen met laadpaal", "at_least", "25", "%"),
    ),
    RequirementData(
        "Woontypen",
        "Minstens 30% sociale huur",
        _MUST,
        "Afspraak met de woningcorporatie, verspreid over de wijk.",
        norm=("aandeel sociale huur", "at_least", "30", "%"),
    ),
    RequirementData(
        "Woontypen",
        "Woningen voor starters in de middenhuur",
        _SHOULD,
        norm=("aandeel middenhuur", "at_least", "20", "%"),
    ),
    RequirementData(
        "Woontypen",
        "Levensloopbestendige woningen voor ouderen",
        _SHOULD,
        "Met slaapkamer en badkamer op de begane grond, vlak bij de bushalte.",
        norm=("aandeel levensloopbestendige woningen", "at_least", "20", "%"),
    ),
    RequirementData(
        "Woontypen",
        "Niet meer dan 180 woningen",
        _MUST,
        norm=("aantal woningen", "at_most", "180", "woningen"),
    ),
)
# Appearance is what the lead group still missed in its first version (the check said so).
PVE_LATER: tuple[RequirementData, ...] = (
    RequirementData(
        "Uitstraling",
        "Een dorpse bouwhoogte",
        _MUST,
        "Langs de bosrand twee bouwlagen met een kap.",
        norm=("bouwhoogte", "at_most", "3", "bouwlagen"),
    ),
    RequirementData(
        "Uitstraling",
        "Gevels in natuurlijke kleuren en materialen",
        _SHOULD,
        "Baksteen en hout in aardetinten, zoals in de rest van Huis ter Heide.",
    ),
    RequirementData(
        "Uitstraling",
        "Hagen in plaats van schuttingen",
        _COULD,
        "Groene erfafscheidingen aan de straatkant.",
    ),
)
PVE_AMENDMENT = (
    "summary",
    PVE_SUMMARY + " Bewoners van de wijk beheren samen een deel van het groen.",
    "In de werksessie van 12 januari wilde de kopgroep het beheer van het groen door bewoners "
    "in de samenvatting noemen. Dit stelt de gemeente namens de werkgroep groen voor.",
    "De kopgroep neemt dit over: bewonersbeheer van groen is een belangrijk punt uit de "
    "buurtavond.",
)
PVE_COMMENTS = (
    (
        COUNCIL_EMAIL,
        "Mooi en compleet stuk. Hoe zeker is de schatting van € 380.000 voor de "
        "grondexploitatie als de bouwkosten verder stijgen?",
    ),
    (
        PROCESS_OWNER_EMAIL,
        "De schatting rekent met de bouwkosten van dit najaar. Bij 5% hogere kosten blijft het "
        "resultaat nog binnen de bandbreedte. Dat staat in de bijlage van het raadsvoorstel.",
    ),
    (
        COLLEAGUE_EMAIL,
        "Vanuit verkeer: de bushalte op 400 meter kan alleen als lijn 56 blijft rijden. Dat "
        "bespreken we met de provincie.",
    ),
)

# --- 2. Zeist budget dialogue: the proposals of the eight expert committees -----------------

_Z, _J, _SC, _O = (
    "zeist-zorg-en-welzijn",
    "zeist-jeugd-en-onderwijs",
    "zeist-sport-en-cultuur",
    "zeist-openbare-ruimte-en-groen",
)
_E, _W, _V, _D = (
    "zeist-economie-en-toerisme",
    "zeist-wonen",
    "zeist-veiligheid",
    "zeist-dienstverlening-en-bedrijfsvoering",
)

ZEIST_MEASURES: tuple[MeasureData, ...] = (
    # Zorg en welzijn
    MeasureData(
        slug="zeist-een-toegang-zorg-en-welzijn",
        committee=_Z,
        title="Eén toegang voor zorg en welzijn in elke wijk",
        summary="Het sociaal wijkteam en het welzijnsloket werken samen vanuit één plek per wijk. "
        "U hoeft uw verhaal maar één keer te vertellen.",
        body="Nu zijn er in Zeist twee loketten: het sociaal wijkteam en het welzijnsloket. "
        "Inwoners worden vaak doorverwezen. We voegen beide samen tot één toegang per wijk.\n\n"
        "Dat scheelt overleg en dubbel werk. In 2027 kost de verhuizing eenmalig geld.",
        budget_area="6.21",
        structural=(200, 350, 450, 450),
        incidental=(-120, 0, 0, 0),
        target_groups="Inwoners die hulp zoeken bij zorg, geld of opvoeden",
        expected_reach=2500,
        risks="Tijdens de overgang kan het even drukker zijn bij het loket.",
        support="0.71",
        impact="3",
        people=2500,
        status=S.AMENDED,
        amendment=(
            "summary",
            "Het sociaal wijkteam en het welzijnsloket werken samen vanuit één plek per wijk. "
            "U hoeft uw verhaal maar één keer te vertellen. In Den Dolder en Austerlitz blijft "
            "er een spreekuur in het dorp.",
            "Inwoners van de dorpen moeten het loket ook lopend of met de fiets kunnen bereiken.",
            "Het comité neemt dit over: de dorpen houden een spreekuur in de bibliotheek.",
        ),
    ),
    MeasureData(
        slug="zeist-huishoudelijke-hulp-algemene-voorziening",
        committee=_Z,
        group="Huishoudelijke hulp",
        title="Huishoudelijke hulp als algemene voorziening",
        summary="Huishoudelijke hulp wordt een algemene voorziening met een vaste eigen bijdrage. "
        "U heeft geen indicatie meer nodig.",
        body="Wie hulp in huis nodig heeft, kan die straks direct aanvragen bij een aanbieder. "
        "Er is geen keukentafelgesprek en geen indicatie meer nodig. U betaalt een vaste eigen "
        "bijdrage per uur. Voor inwoners met een laag inkomen is er een korting.",
        budget_area="6.711",
        structural=(250, 450, 500, 500),
        incidental=(0, 0, 0, 0),
        target_groups="Ouderen en inwoners met een beperking die hulp in huis krijgen",
        expected_reach=1800,
        risks="Inwoners met een laag inkomen kunnen afzien van hulp die zij wel nodig hebben.",
        support="0.38",
        impact="7",
        people=1800,
        status=S.IN_CONSULTATION,
        comments=(
            (
                RESIDENT_EMAIL,
                "Mijn moeder krijgt nu drie uur hulp per week. Wat gaat zij straks betalen?",
            ),
            (
                MEMBER_EMAIL,
                "Het comité rekent met een eigen bijdrage van ongeveer € 5 per uur. Met een laag "
                "inkomen betaalt u minder.",
            ),
        ),
    ),
    MeasureData(
        slug="zeist-huishoudelijke-hulp-herindicatie",
        committee=_Z,
        group="Huishoudelijke hulp",
        title="Huishoudelijke hulp: elke twee jaar opnieuw bekijken",
        summary="De gemeente bekijkt elke twee jaar of de huishoudelijke hulp nog past bij wat "
        "iemand nodig heeft.",
        body="Nu loopt een indicatie voor huishoudelijke hulp vaak jaren door. Soms heeft iemand "
        "meer hulp nodig, soms minder. Een gesprek om de twee jaar zorgt dat de hulp blijft "
        "passen. Dit voorstel is een alternatief voor de algemene voorziening.",
        budget_area="6.711",
        structural=(120, 220, 260, 260),
        incidental=(0, 0, 0, 0),
        target_groups="Ouderen en inwoners met een beperking die hulp in huis krijgen",
        expected_reach=1800,
        risks="Extra gesprekken kosten tijd van de consulenten.",
        support="0.55",
        impact="5",
        people=1800,
        status=S.IN_CONSULTATION,
    ),
    MeasureData(
        slug="zeist-vrijwilligersvervoer",
        committee=_Z,
        title="Vrijwilligers rijden ouderen naar de dokter",
        summary="Vrijwillige chauffeurs rijden ouderen voor korte ritten in Zeist. Het dure "
        "taxivervoer is dan minder vaak nodig.",
        body="Veel ritten met de Regiotaxi zijn kort: naar de huisarts, de kapper of de markt. "
        "Vrijwilligers kunnen die ritten rijden, zoals ANWB AutoMaatje in andere gemeenten. "
        "In 2027 is er eenmalig geld nodig om de vrijwilligers te werven en op te leiden.",
        budget_area="6.60",
        structural=(60, 110, 130, 130),
        incidental=(-40, 0, 0, 0),
        target_groups="Ouderen die niet zelf kunnen rijden",
        expected_reach=900,
        risks="Er moeten genoeg vrijwilligers zijn.",
        support="0.62",
        impact="4",
        people=900,
        status=S.CHECKED,
    ),
    # Jeugd en onderwijs
    MeasureData(
        slug="zeist-praktijkondersteuner-jeugd",
        committee=_J,
        title="Een praktijkondersteuner jeugd bij elke huisarts",
        summary="Bij elke huisarts werkt een praktijkondersteuner jeugd. Kinderen krijgen sneller "
        "lichte hulp en minder vaak dure jeugdzorg.",
        body="Huisartsen verwijzen veel kinderen door naar jeugdzorg. Een praktijkondersteuner "
        "jeugd (POH-jeugd) kan veel vragen zelf oppakken. In het eerste jaar kost dat geld. "
        "Daarna zijn er minder verwijzingen en dalen de kosten van jeugdzorg.",
        budget_area="6.751",
        structural=(-80, 150, 320, 380),
        incidental=(0, 0, 0, 0),
        target_groups="Kinderen en jongeren met lichte psychische klachten en hun ouders",
        expected_reach=1200,
        risks="Het effect op de verwijzingen is pas na twee jaar goed te meten.",
        support="0.78",
        impact="2",
        people=1200,
        status=S.TO_COUNCIL,
        revision=(
            "Effect aangepast na de cijfers van de huisartsen",
            (-80, 150, 320, 380),
            (-25, 0, 0, 0),
        ),
    ),
    MeasureData(
        slug="zeist-leerlingenvervoer-zelfstandig",
        committee=_J,
        title="Leerlingenvervoer: zelf leren reizen",
        summary="Leerlingen die dat kunnen, leren zelf met de fiets of de bus naar school te "
        "gaan. Zij hebben dan geen taxi meer nodig.",
        body="Een reistrainer oefent met de leerling de route naar school. Dat maakt jongeren "
        "zelfstandiger en het is goedkoper dan de taxi. In 2027 is er eenmalig geld nodig "
        "voor de reistrainers.",
        budget_area="4.3",
        structural=(90, 160, 180, 180),
        incidental=(-30, 0, 0, 0),
        target_groups="Leerlingen in het speciaal onderwijs",
        expected_reach=140,
        risks="Niet elke leerling kan zelf reizen; voor hen blijft de taxi.",
        support="0.60",
        impact="4",
        people=140,
        status=S.CHECKED,
    ),
    MeasureData(
        slug="zeist-jongerenwerk-en-buurtsport",
        committee=_J,
        title="Jongerenwerk en buurtsportcoaches in één team",
        summary="Jongerenwerkers en buurtsportcoaches gaan samen in één team werken. Zo bereiken "
        "zij meer jongeren met minder overleg.",
        body="Beide groepen werken nu met dezelfde jongeren, maar vanuit verschillende "
        "organisaties. Eén team met één leiding bespaart op overhead.",
        budget_area="6.1",
        structural=(70, 120, 120, 120),
        incidental=(0, 0, 0, 0),
        target_groups="Jongeren van 10 tot 23 jaar",
        expected_reach=3000,
        risks="Twee werkwijzen samenvoegen kost tijd.",
        support="0.57",
        impact="3",
        people=3000,
        status=S.SUBMITTED,
    ),
    # Sport en cultuur
    MeasureData(
        slug="zeist-bibliotheek-in-wijkcentrum",
        committee=_SC,
        group="Bibliotheek",
        title="Bibliotheek en wijkcentrum onder één dak",
        summary="De bibliotheekvestigingen in Zeist-West en Zeist-Noord trekken in bij het "
        "wijkcentrum. U kunt er langer terecht.",
        body="Twee gebouwen worden er één. Dat scheelt huur en energie. In 2028 is er eenmalig "
        "geld nodig om het wijkcentrum aan te passen.",
        budget_area="5.3",
        structural=(0, 180, 240, 240),
        incidental=(0, -150, 0, 0),
        target_groups="Leden van de bibliotheek en bezoekers van de wijkcentra",
        expected_reach=6000,
        risks="Minder ruimte voor de collectie.",
        support="0.52",
        impact="4",
        people=6000,
        status=S.IN_CONSULTATION,
    ),
    MeasureData(
        slug="zeist-bibliotheek-kortere-openingstijden",
        committee=_SC,
        group="Bibliotheek",
        title="Bibliotheek: kortere openingstijden",
        summary="Alle vestigingen van de bibliotheek gaan minder uren open. Dit is het "
        "alternatief als de vestigingen niet verhuizen.",
        body="De bibliotheek gaat op maandag en op zaterdagmiddag dicht. Met een pas kunt u wel "
        "boeken lenen en terugbrengen.",
        budget_area="5.3",
        structural=(100, 120, 120, 120),
        incidental=(0, 0, 0, 0),
        target_groups="Leden van de bibliotheek",
        expected_reach=9000,
        risks="Minder bezoekers, vooral ouderen en kinderen.",
        support="0.35",
        impact="5",
        people=9000,
        status=S.IN_CONSULTATION,
    ),
    MeasureData(
        slug="zeist-sporttarieven-regio",
        committee=_SC,
        title="Sporttarieven gelijk aan de regio",
        summary="Sportverenigingen betalen voor velden en zalen hetzelfde als in de gemeenten "
        "om Zeist heen.",
        body="De tarieven in Zeist zijn lager dan in de regio. We verhogen ze in twee stappen. "
        "Voor kinderen met weinig geld is er het Jeugdfonds Sport.",
        budget_area="5.2",
        structural=(140, 220, 220, 220),
        incidental=(0, 0, 0, 0),
        target_groups="Leden van sportverenigingen",
        expected_reach=7500,
        risks="Verenigingen verhogen de contributie.",
        support="0.49",
        impact="3",
        people=7500,
        status=S.CHECKED,
    ),
    MeasureData(
        slug="zeist-sportvelden-onderhoud-clubs",
        committee=_SC,
        title="Clubs onderhouden hun eigen sportvelden",
        summary="Sportclubs doen zelf het dagelijks onderhoud van hun velden. Zij krijgen daar "
        "een vergoeding voor.",
        body="Clubs die dat willen, nemen het maaien en het belijnen over. De vergoeding is "
        "lager dan wat de gemeente nu kwijt is.",
        budget_area="5.2",
        structural=(90, 150, 180, 180),
        incidental=(0, 0, 0, 0),
        target_groups="Sportclubs met eigen velden",
        expected_reach=4000,
        risks="Niet elke club heeft genoeg vrijwilligers.",
        support="0.50",
        impact="3",
        people=4000,
        status=S.SUBMITTED,
    ),
    MeasureData(
        slug="zeist-zwembad-winter-dicht",
        committee=_SC,
        title="Het binnenbad gaat in de winter dicht",
        summary="Het binnenbad sluit van november tot en met februari. Dat scheelt veel energie.",
        body="In de wintermaanden is het binnenbad het duurst. Zwemles en ouderenzwemmen gaan "
        "dan naar een bad in de buurt.",
        budget_area="5.2",
        structural=(180, 180, 180, 180),
        incidental=(0, 0, 0, 0),
        target_groups="Zwemmers, zwemclubs en kinderen op zwemles",
        expected_reach=5000,
        risks="Kinderen halen later hun zwemdiploma.",
        support="0.18",
        impact="8",
        people=5000,
        status=S.REJECTED,
    ),
    # Openbare ruimte en groen
    MeasureData(
        slug="zeist-groen-bedrijventerreinen",
        committee=_O,
        title="Minder maaien op bedrijventerreinen",
        summary="Op bedrijventerreinen maait de gemeente minder vaak. In woonwijken blijft het "
        "groen zoals het is.",
        body="We verlagen het onderhoud op bedrijventerreinen van niveau B naar niveau C. Dat is "
        "goed voor bloemen en insecten en het scheelt geld.",
        budget_area="5.7",
        structural=(180, 240, 240, 240),
        incidental=(0, 0, 0, 0),
        target_groups="Ondernemers en werknemers op bedrijventerreinen",
        expected_reach=1500,
        risks="Klachten over een rommelig beeld.",
        support="0.64",
        impact="2",
        people=1500,
        status=S.CHECKED,
    ),
    MeasureData(
        slug="zeist-bewoners-adopteren-groen",
        committee=_O,
        title="Bewoners adopteren een plantsoen",
        summary="Buurtbewoners kunnen een plantsoen adopteren en zelf onderhouden. De gemeente "
        "geeft gereedschap en planten.",
        body="In Zeist zorgen al 40 groepen voor hun eigen stukje groen. We willen er 150. In 2027 "
        "is er eenmalig geld nodig voor gereedschap en begeleiding.",
        budget_area="5.7",
        structural=(30, 80, 120, 120),
        incidental=(-25, 0, 0, 0),
        target_groups="Buurtbewoners",
        expected_reach=800,
        risks="Groepen stoppen na een paar jaar.",
        support="0.81",
        impact="1",
        people=800,
        status=S.ADOPTED,
    ),
    MeasureData(
        slug="zeist-straatverlichting-led",
        committee=_O,
        title="Ledlampen en minder licht na middernacht",
        summary="Alle straatlantaarns krijgen ledlampen. Na middernacht branden ze zachter.",
        body="Ledlampen gebruiken veel minder stroom. Het vervangen gaat mee met het gewone "
        "onderhoud. In 2027 is er eenmalig geld nodig voor het project.",
        budget_area="2.1",
        structural=(40, 140, 210, 210),
        incidental=(-60, 0, 0, 0),
        target_groups="Alle inwoners",
        expected_reach=66000,
        risks="Sommige inwoners voelen zich minder veilig als het donkerder is.",
        support="0.74",
        impact="1",
        people=4000,
        status=S.TO_COUNCIL,
    ),
    # Economie en toerisme
    MeasureData(
        slug="zeist-toeristenbelasting",
        committee=_E,
        title="Toeristenbelasting van € 2,10 naar € 2,90 per nacht",
        summary="Gasten van hotels en conferentieoorden betalen iets meer toeristenbelasting. "
        "Inwoners van Zeist merken er niets van.",
        body="Zeist heeft veel hotels en conferentieoorden. De toeristenbelasting is lager dan in "
        "de gemeenten in de buurt. Een deel van de opbrengst gaat naar de promotie van Zeist.",
        budget_area="0.64",
        structural=(220, 230, 240, 240),
        incidental=(0, 0, 0, 0),
        target_groups="Hotels, conferentieoorden en hun gasten",
        expected_reach=150,
        risks="Congressen kiezen voor een andere plek.",
        support="0.69",
        impact="2",
        people=150,
        status=S.ADOPTED,
    ),
    MeasureData(
        slug="zeist-markt-en-terrassen-kostendekkend",
        committee=_E,
        title="Marktgeld en precario dekken de kosten",
        summary="Marktkooplieden en terrassen betalen wat hun plek de gemeente kost.",
        body="Nu betaalt de gemeente mee aan de markt en de terrassen. We verhogen de tarieven in "
        "drie jaar tot ze de kosten dekken.",
        budget_area="3.4",
        structural=(60, 90, 90, 90),
        incidental=(0, 0, 0, 0),
        target_groups="Marktkooplieden en horeca",
        expected_reach=400,
        risks="Minder kramen op de markt.",
        support="0.58",
        impact="3",
        people=400,
        status=S.CHECKED,
    ),
    MeasureData(
        slug="zeist-ondernemersfonds-centrummanagement",
        committee=_E,
        title="Het ondernemersfonds betaalt het centrummanagement",
        summary="De ondernemers in het centrum nemen de kosten van het centrummanagement over "
        "via hun eigen fonds.",
        body="Het ondernemersfonds is groot genoeg. De gemeente blijft meedenken, maar betaalt "
        "niet meer mee.",
        budget_area="3.1",
        structural=(120, 120, 120, 120),
        incidental=(0, 0, 0, 0),
        target_groups="Ondernemers in het centrum",
        expected_reach=600,
        risks="Minder evenementen in het centrum.",
        support="0.61",
        impact="2",
        people=600,
        status=S.SUBMITTED,
    ),
    # Wonen
    MeasureData(
        slug="zeist-leges-kostendekkend",
        committee=_W,
        title="Leges voor vergunningen dekken de kosten",
        summary="Wie een omgevingsvergunning aanvraagt, betaalt wat de behandeling kost.",
        body="De leges voor een omgevingsvergunning zijn nu lager dan de kosten. Voor kleine "
        "verbouwingen blijft het tarief laag.",
        budget_area="8.3",
        structural=(180, 180, 180, 180),
        incidental=(0, 0, 0, 0),
        target_groups="Aanvragers van een omgevingsvergunning",
        expected_reach=1100,
        risks="Minder aanvragen voor verduurzaming.",
        support="0.54",
        impact="2",
        people=1100,
        status=S.TO_COUNCIL,
    ),
    MeasureData(
        slug="zeist-duurzaamheidslening",
        committee=_W,
        title="Een lening voor verduurzamen in plaats van subsidie",
        summary="Wie zijn huis verduurzaamt, krijgt een lening met lage rente in plaats van "
        "een subsidie.",
        body="Het geld komt terug in een fonds. Zo kunnen meer inwoners er gebruik van maken. "
        "Voor inwoners met een laag inkomen blijft er een subsidie.",
        budget_area="8.3",
        structural=(250, 300, 300, 300),
        incidental=(0, 0, 0, 0),
        target_groups="Huiseigenaren",
        expected_reach=700,
        risks="Minder inwoners verduurzamen hun huis.",
        support="0.46",
        impact="4",
        people=700,
        status=S.CHECKED,
        revision=(
            "Bedragen bijgesteld na overleg met het Stimuleringsfonds",
            (220, 300, 300, 300),
            (0, 0, 0, 0),
        ),
    ),
    MeasureData(
        slug="zeist-leegstaande-panden-verkopen",
        committee=_W,
        title="Leegstaande gemeentelijke panden verkopen voor woningbouw",
        summary="De gemeente verkoopt drie leegstaande panden. Er komen woningen voor starters "
        "en ouderen.",
        body="De verkoop levert eenmalig geld op. Daarna bespaart de gemeente op onderhoud.",
        budget_area="0.3",
        structural=(40, 40, 40, 40),
        incidental=(600, 350, 0, 0),
        target_groups="Woningzoekenden",
        expected_reach=50,
        risks="De opbrengst hangt af van de woningmarkt.",
        support="0.72",
        impact="1",
        people=50,
        status=S.SUBMITTED,
    ),
    # Veiligheid
    MeasureData(
        slug="zeist-boas-wijkrooster",
        committee=_V,
        title="Boa's werken met een rooster per wijk",
        summary="Boa's werken gericht in de wijken waar de meeste meldingen zijn.",
        body="Met een rooster per wijk zijn er minder uren nodig. De boa's zijn wel vaker op de "
        "plekken waar overlast is.",
        budget_area="1.2",
        structural=(80, 120, 120, 120),
        incidental=(0, 0, 0, 0),
        target_groups="Inwoners van wijken met overlast",
        expected_reach=2000,
        risks="Minder toezicht in rustige wijken.",
        support="0.55",
        impact="3",
        people=2000,
        status=S.CHECKED,
    ),
    MeasureData(
        slug="zeist-cameratoezicht-afbouwen",
        committee=_V,
        title="Cameratoezicht alleen nog op twee plekken",
        summary="De camera's in het centrum blijven alleen hangen op de twee plekken waar de "
        "meeste incidenten zijn.",
        body="Uit de cijfers blijkt dat de meeste camera's weinig opleveren. Twee plekken "
        "houden camera's.",
        budget_area="1.2",
        structural=(60, 60, 60, 60),
        incidental=(0, 0, 0, 0),
        target_groups="Bezoekers en ondernemers in het centrum",
        expected_reach=5000,
        risks="Inwoners voelen zich minder veilig.",
        support="0.41",
        impact="4",
        people=5000,
        status=S.IN_CONSULTATION,
    ),
    MeasureData(
        slug="zeist-buurtpreventie-app",
        committee=_V,
        title="Buurtpreventie met buurtapps",
        summary="De gemeente steunt buurtapp-groepen in plaats van dure campagnes tegen inbraak.",
        body="Buurtapp-groepen werken goed tegen inbraak. De gemeente helpt nieuwe groepen op "
        "weg en stopt met grote campagnes.",
        budget_area="1.2",
        structural=(30, 40, 40, 40),
        incidental=(0, 0, 0, 0),
        target_groups="Buurtbewoners",
        expected_reach=3000,
        risks="Niet iedereen zit in een buurtapp.",
        support="0.66",
        impact="1",
        people=3000,
        status=S.SUBMITTED,
    ),
    # Dienstverlening en bedrijfsvoering
    MeasureData(
        slug="zeist-gemeentehuis-verhuren",
        committee=_D,
        title="Twee verdiepingen van het gemeentehuis verhuren",
        summary="Medewerkers werken vaker thuis. Twee verdiepingen van het gemeentehuis kunnen "
        "worden verhuurd.",
        body="Maatschappelijke organisaties huren de ruimte. In 2027 is er eenmalig geld nodig "
        "om de verdiepingen aan te passen.",
        budget_area="0.4",
        structural=(0, 220, 300, 300),
        incidental=(-120, 0, 0, 0),
        target_groups="Medewerkers van de gemeente",
        expected_reach=400,
        risks="Er zijn niet direct huurders.",
        support="0.83",
        impact="1",
        people=400,
        status=S.SUBMITTED,
    ),
    MeasureData(
        slug="zeist-balie-op-afspraak",
        committee=_D,
        title="Digitaal eerst: de balie alleen op afspraak",
        summary="De balie in het gemeentehuis werkt alleen nog op afspraak. Wie hulp nodig heeft "
        "met digitale zaken, krijgt die in de bibliotheek.",
        body="Veel zaken regelt u al online. Zonder inloop is er minder personeel aan de balie "
        "nodig.",
        budget_area="0.2",
        structural=(150, 260, 260, 260),
        incidental=(0, 0, 0, 0),
        target_groups="Inwoners die naar het gemeentehuis komen",
        expected_reach=8000,
        risks="Inwoners die niet digitaal zijn, haken af.",
        support="0.44",
        impact="4",
        people=8000,
        status=S.IN_CONSULTATION,
    ),
    MeasureData(
        slug="zeist-reserve-huisvesting",
        committee=_D,
        title="Eenmalig geld uit de reserve huisvesting",
        summary="De reserve voor de huisvesting van de gemeente is groter dan nodig. Een deel "
        "kan eenmalig naar de begroting.",
        body="Dit dekt alleen een incidenteel tekort. Een structureel tekort lossen we er niet "
        "mee op.",
        budget_area="0.10",
        structural=(0, 0, 0, 0),
        incidental=(400, 250, 150, 0),
        target_groups="Geen inwoners: het is een boekhoudkundige maatregel",
        expected_reach=0,
        risks="Minder buffer voor onverwacht onderhoud.",
        support="0.67",
        impact="2",
        people=0,
        status=S.SUBMITTED,
    ),
    MeasureData(
        slug="zeist-samen-inkopen",
        committee=_D,
        title="Samen inkopen met De Bilt en Utrechtse Heuvelrug",
        summary="Zeist koopt samen met buurgemeenten in. Samen krijgen we betere prijzen.",
        body="Het gaat om schoonmaak, ict, energie en kantoorartikelen. De contracten lopen "
        "één voor één af, daarom groeit de besparing.",
        budget_area="0.4",
        structural=(100, 250, 350, 350),
        incidental=(0, 0, 0, 0),
        target_groups="Geen inwoners direct",
        expected_reach=0,
        risks="Lokale leveranciers krijgen minder opdrachten.",
        support="0.79",
        impact="1",
        people=0,
        status=S.ADOPTED,
    ),
    MeasureData(
        slug="zeist-minder-externe-inhuur",
        committee=_D,
        title="Minder externe inhuur",
        summary="De gemeente huurt minder externe adviseurs en interim-managers in. Vaste "
        "medewerkers doen meer zelf.",
        body="De gemeente geeft veel uit aan inhuur. We stellen een plafond in en leiden eigen "
        "mensen op.",
        budget_area="0.4",
        structural=(350, 450, 500, 500),
        incidental=(0, 0, 0, 0),
        target_groups="Geen inwoners direct",
        expected_reach=0,
        risks="Projecten lopen vertraging op.",
        support="0.80",
        impact="2",
        people=0,
        status=S.TO_COUNCIL,
    ),
)
# A draft the demo committee member is still writing (not a candidate for the budget).
ZEIST_DRAFT = MeasureData(
    slug="zeist-mantelzorg-respijt-vrijwilligers",
    committee=_Z,
    title="Vrijwilligers geven mantelzorgers een dag vrij",
    summary="Getrainde vrijwilligers nemen de zorg een dag per week over. Zo houden "
    "mantelzorgers het langer vol.",
    body="Dit voorstel is nog in de maak. Het comité zoekt uit wat het oplevert.",
    budget_area="6.1",
    structural=(0, 30, 60, 60),
    incidental=(-20, 0, 0, 0),
    target_groups="Mantelzorgers",
    expected_reach=300,
    risks="",
    support="0.75",
    impact="1",
    people=300,
    status=S.DRAFT,
)

# --- 3. Purmerend: partners' scenarios for the social domain ----------------------------------

_WELZIJN = "Stichting Wijkwelzijn Purmerend"
PURMEREND_MEASURES: tuple[MeasureData, ...] = (
    MeasureData(
        slug="purmerend-scenario-a-een-wijkteam",
        organisation=_WELZIJN,
        theme="Eenzaamheid",
        group="Wijkaanpak",
        title="Scenario wijkaanpak A: één sociaal wijkteam per wijk",
        summary="Welzijnswerk, maatschappelijk werk en wijkverpleging werken samen in één team "
        "per wijk. Vier loketten worden er één.",
        body="Partners hebben samen hun aanbod in kaart gebracht. In elke wijk werken nu vier "
        "organisaties langs elkaar heen. In één team met één coördinator doen zij minder dubbel "
        "werk. In 2027 kost het samengaan eenmalig geld.",
        budget_area="6.21",
        structural=(350, 750, 1000, 1000),
        incidental=(-100, 0, 0, 0),
        target_groups="Inwoners met vragen over zorg, welzijn en geld",
        expected_reach=4000,
        risks="Medewerkers van vier organisaties moeten wennen aan één werkwijze.",
        support="0.66",
        impact="3",
        people=4000,
        status=S.CHECKED,
    ),
    MeasureData(
        slug="purmerend-scenario-b-wijkcentra",
        organisation=_WELZIJN,
        theme="Eenzaamheid",
        group="Wijkaanpak",
        title="Scenario wijkaanpak B: wijkcentra onder één beheer",
        summary="De wijkcentra krijgen één beheerder en één programma. De organisaties blijven "
        "apart werken.",
        body="Dit scenario verandert minder aan de organisaties. Het bespaart daardoor ook minder "
        "dan scenario A.",
        budget_area="6.1",
        structural=(200, 450, 600, 600),
        incidental=(0, -80, 0, 0),
        target_groups="Bezoekers van de wijkcentra",
        expected_reach=6000,
        risks="Minder activiteiten in de avond.",
        support="0.58",
        impact="3",
        people=6000,
        status=S.CHECKED,
    ),
    MeasureData(
        slug="purmerend-ouderen-overwhere-een-programma",
        organisation="Stichting Zilver Overwhere",
        theme="Eenzaamheid",
        title="Ouderen in Overwhere: drie aanbieders, één programma",
        summary="Drie organisaties die activiteiten voor eenzame ouderen in Overwhere doen, maken "
        "samen één programma.",
        body="De inventarisatie liet zien dat drie partners hetzelfde doen in dezelfde wijk. "
        "Samen bereiken zij meer ouderen met minder geld.",
        budget_area="6.1",
        structural=(60, 120, 120, 120),
        incidental=(0, 0, 0, 0),
        target_groups="Ouderen in Overwhere",
        expected_reach=450,
        risks="Ouderen moeten wennen aan een nieuwe plek.",
        support="0.74",
        impact="2",
        people=450,
        status=S.SUBMITTED,
    ),
    MeasureData(
        slug="purmerend-schulden-vroeg-in-beeld",
        organisation="Stichting Geldwijs Waterland",
        theme="Schulden",
        title="Schulden vroeg in beeld",
        summary="De woningcorporatie, de zorgverzekeraar en de energieleverancier melden "
        "betalingsachterstanden vroeg. Een schuldhulpmaatje belt binnen een week.",
        body="Hoe eerder hulp komt, hoe kleiner de schuld. Dat scheelt later dure "
        "schuldhulptrajecten en bijzondere bijstand. Het eerste jaar kost het geld.",
        budget_area="6.3",
        structural=(-50, 200, 400, 450),
        incidental=(0, 0, 0, 0),
        target_groups="Huishoudens met een betalingsachterstand",
        expected_reach=900,
        risks="Niet iedereen wil gebeld worden.",
        support="0.82",
        impact="1",
        people=900,
        status=S.CHECKED,
    ),
    MeasureData(
        slug="purmerend-jongerenwerk-en-schoolmaatschappelijk-werk",
        organisation="Jeugdpunt Purmerend",
        theme="Jeugd",
        title="Jongerenwerk en schoolmaatschappelijk werk in één team",
        summary="Jongerenwerkers en schoolmaatschappelijk werkers vormen één team rond elke "
        "middelbare school.",
        body="Zij kennen dezelfde jongeren. Samen zien zij problemen eerder en hoeven zij minder "
        "door te verwijzen.",
        budget_area="6.1",
        structural=(150, 300, 350, 350),
        incidental=(0, 0, 0, 0),
        target_groups="Jongeren van 12 tot 18 jaar",
        expected_reach=2500,
        risks="Scholen moeten meedoen.",
        support="0.63",
        impact="3",
        people=2500,
        status=S.SUBMITTED,
    ),
    MeasureData(
        slug="purmerend-scenario-jeugdhulp-a-poh",
        organisation="Huisartsencoöperatie Purmerland",
        theme="Jeugd",
        group="Jeugdhulp",
        title="Scenario jeugdhulp A: praktijkondersteuner jeugd bij de huisarts",
        summary="Een praktijkondersteuner jeugd bij de huisarts helpt kinderen met lichte "
        "klachten zelf. Er zijn minder verwijzingen naar jeugdzorg.",
        body="Dit scenario werkt aan de voorkant: minder kinderen hebben zware hulp nodig. Het "
        "effect groeit langzaam.",
        budget_area="6.751",
        structural=(100, 400, 700, 800),
        incidental=(0, 0, 0, 0),
        target_groups="Kinderen en jongeren met lichte klachten",
        expected_reach=1400,
        risks="Het effect is pas na twee jaar goed te meten.",
        support="0.77",
        impact="2",
        people=1400,
        status=S.CHECKED,
    ),
    MeasureData(
        slug="purmerend-scenario-jeugdhulp-b-minder-aanbieders",
        organisation="Samenwerkende jeugdhulpaanbieders Waterland",
        theme="Jeugd",
        group="Jeugdhulp",
        title="Scenario jeugdhulp B: vaste afspraken met minder aanbieders",
        summary="De gemeente sluit contracten met minder jeugdhulpaanbieders, met een vast "
        "budget per jaar.",
        body="Met minder aanbieders zijn er minder regels en minder overleg. Kinderen die nu "
        "hulp krijgen, houden die hulp.",
        budget_area="6.752",
        structural=(300, 600, 800, 800),
        incidental=(0, 0, 0, 0),
        target_groups="Kinderen en jongeren in de jeugdhulp en hun ouders",
        expected_reach=2200,
        risks="Sommige kinderen moeten wennen aan een nieuwe hulpverlener.",
        support="0.41",
        impact="6",
        people=4800,
        status=S.SUBMITTED,
    ),
    MeasureData(
        slug="purmerend-respijtzorg-vrijwilligers",
        organisation="Vrijwilligerscentrale Purmerend",
        theme="Mantelzorg",
        title="Vrijwilligers geven mantelzorgers lucht",
        summary="Getrainde vrijwilligers nemen af en toe de zorg over. Ook jonge mantelzorgers "
        "in Weidevenne krijgen zo steun.",
        body="Zo houden mantelzorgers het langer vol en is er minder vaak dure logeeropvang nodig.",
        budget_area="6.1",
        structural=(50, 80, 100, 100),
        incidental=(0, 0, 0, 0),
        target_groups="Mantelzorgers, ook jonge mantelzorgers",
        expected_reach=600,
        risks="Er moeten genoeg vrijwilligers zijn.",
        support="0.70",
        impact="2",
        people=600,
        status=S.SUBMITTED,
    ),
    MeasureData(
        slug="purmerend-subsidies-met-resultaatafspraken",
        organisation="Samenwerkende partners sociaal domein",
        theme="Eenzaamheid",
        title="Meerjarige subsidies met resultaatafspraken, 8% minder",
        summary="Partners krijgen een subsidie voor vier jaar, met afspraken over resultaten. "
        "Het totaal is 8% lager.",
        body="Vier jaar zekerheid maakt het voor partners makkelijker om te plannen. Zij leveren "
        "daar een deel van hun subsidie voor in.",
        budget_area="6.1",
        structural=(400, 700, 800, 800),
        incidental=(0, 0, 0, 0),
        target_groups="Alle inwoners die activiteiten van partners bezoeken",
        expected_reach=12000,
        risks="Kleine partners kunnen het verlies lastig opvangen.",
        support="0.45",
        impact="5",
        people=12000,
        status=S.SUBMITTED,
    ),
    MeasureData(
        slug="purmerend-buurtsportcoaches-via-clubs",
        organisation="Sportservice Purmerend",
        theme="Jeugd",
        title="Buurtsportcoaches werken vanuit de sportclubs",
        summary="Buurtsportcoaches krijgen een vaste plek bij de sportclubs. Clubs betalen een "
        "deel van hun uren.",
        body="Kinderen leren zo de club kennen en blijven vaker sporten.",
        budget_area="5.1",
        structural=(80, 150, 150, 150),
        incidental=(0, 0, 0, 0),
        target_groups="Kinderen en jongeren",
        expected_reach=3000,
        risks="Minder aandacht voor kinderen die niet bij een club willen.",
        support="0.63",
        impact="2",
        people=3000,
        status=S.SUBMITTED,
    ),
    MeasureData(
        slug="purmerend-samen-vervoer-inkopen",
        organisation="Vervoerscoöperatie Waterland",
        theme="Mantelzorg",
        title="Wmo-vervoer en leerlingenvervoer samen inkopen",
        summary="Het vervoer voor ouderen en het leerlingenvervoer gaan in één contract. Busjes "
        "rijden voller.",
        body="Overdag zijn de busjes van het leerlingenvervoer vaak leeg. Ouderen kunnen dan "
        "meerijden.",
        budget_area="6.60",
        structural=(150, 300, 350, 350),
        incidental=(0, 0, 0, 0),
        target_groups="Ouderen en leerlingen die vervoer krijgen",
        expected_reach=1600,
        risks="Langere reistijden.",
        support="0.72",
        impact="2",
        people=1600,
        status=S.SUBMITTED,
    ),
    MeasureData(
        slug="purmerend-bibliotheek-informatiepunt",
        organisation="Bibliotheek Purmerend",
        theme="Schulden",
        title="De bibliotheek als informatiepunt voor geld en digitale zaken",
        summary="In de bibliotheek krijgt u hulp bij digitale formulieren en vragen over geld. "
        "Andere spreekuren kunnen daardoor stoppen.",
        body="De bibliotheek heeft al het Informatiepunt Digitale Overheid. In 2027 is er "
        "eenmalig geld nodig om vrijwilligers op te leiden.",
        budget_area="6.1",
        structural=(40, 90, 90, 90),
        incidental=(-30, 0, 0, 0),
        target_groups="Inwoners die moeite hebben met formulieren of geld",
        expected_reach=1500,
        risks="Minder persoonlijke hulp bij ingewikkelde vragen.",
        support="0.71",
        impact="1",
        people=1500,
        status=S.SUBMITTED,
    ),
)


# --- loading ------------------------------------------------------------------------------


def _actors() -> _Actors:
    users = {
        u.email: u
        for u in get_user_model().objects.filter(
            email__in=[
                PROCESS_OWNER_EMAIL,
                MEMBER_EMAIL,
                COUNCIL_EMAIL,
                COLLEAGUE_EMAIL,
                RESIDENT_EMAIL,
            ]
        )
    }
    return _Actors(
        owner=users.get(PROCESS_OWNER_EMAIL),
        member=users.get(MEMBER_EMAIL),
        council=users.get(COUNCIL_EMAIL),
        colleague=users.get(COLLEAGUE_EMAIL),
        resident=users.get(RESIDENT_EMAIL),
        by_email=users,
    )


def _author_for(committee: Committee, actors: _Actors):
    """A committee's own member writes its proposals where the demo has one; otherwise the
    process owner enters them on the committee's behalf."""
    member = actors.member
    if member is not None and (
        committee_selectors.committees_where_member(user=member).filter(pk=committee.pk).exists()
    ):
        return member
    return actors.owner


def _content(data: MeasureData, process: Process) -> dict:
    theme = None
    if data.theme:
        theme = process.themes.filter(name=data.theme).first()
    elif data.committee:
        committee = Committee.objects.filter(slug=data.committee).first()
        theme = committee.theme if committee else None
    return {
        "kind": ProposalKind.MEASURE,
        "title": data.title,
        "summary": data.summary,
        "body": data.body,
        "theme": theme,
        "budget_area": data.budget_area,
        "target_groups": data.target_groups,
        "expected_reach": data.expected_reach,
        "risks": data.risks,
    }


def _comment_thread(proposal: Proposal, thread, actors: _Actors) -> int:
    """Post the comments in order, each a reply to the one before; returns how many."""
    parent = None
    posted = 0
    for email, body in thread:
        author = actors.by_email.get(email)
        if author is None:
            continue
        parent = services.comment_post(actor=author, proposal=proposal, body=body, parent=parent)
        posted += 1
    return posted


def _move(proposal: Proposal, status: str, *, author, owner, on_submitted=None) -> None:
    """Walk the life cycle to ``status``: the authors submit, the process owner does the
    rest; gated steps carry the override reason."""
    for step in STATUS_PATHS[status]:
        services.proposal_transition(
            actor=author if step == S.SUBMITTED else owner,
            proposal=proposal,
            to_status=step,
            override_reason=OVERRIDE_REASON if step != S.SUBMITTED else "",
        )
        if step == S.SUBMITTED and on_submitted is not None:
            on_submitted()


def _load_measure(data: MeasureData, process: Process, actors: _Actors) -> Proposal | None:
    committee = None
    if data.committee:
        committee = Committee.objects.filter(slug=data.committee, process=process).first()
        if committee is None:
            return None
        actor = _author_for(committee, actors)
        author = {"author_kind": AuthorKind.COMMITTEE, "committee": committee}
    else:
        actor = actors.owner
        author = {"author_kind": AuthorKind.PARTNER, "organisation": data.organisation}
    proposal = services.proposal_create(
        actor=actor,
        process=process,
        data=_content(data, process),
        effects=effects(data.structural, data.incidental),
        slug=data.slug,
        **author,
    )
    services.proposal_assess(
        actor=actors.owner,
        proposal=proposal,
        data={
            "support": Decimal(data.support),
            "impact_score": Decimal(data.impact),
            "people_affected": data.people,
            "exclusive_group": data.group,
        },
    )
    if data.revision is not None:
        note, structural, incidental = data.revision
        services.proposal_run_check(actor=actor, proposal=proposal)
        services.proposal_update(
            actor=actor,
            proposal=proposal,
            data={},
            effects=effects(structural, incidental),
            note=note,
        )

    def amend() -> None:
        if data.amendment is None:
            return
        section, text, reason, decision = data.amendment
        amendment = services.amendment_propose(
            actor=actors.owner,
            proposal=proposal,
            section=section,
            proposed_text=text,
            reason=reason,
        )
        services.amendment_accept(actor=actor, amendment=amendment, reason=decision)

    _move(proposal, data.status, author=actor, owner=actors.owner, on_submitted=amend)
    if data.comments:
        _comment_thread(proposal, data.comments, actors)
    return proposal


def _load_programme(process: Process, actors: _Actors) -> Proposal | None:
    """The PvE: a first version without appearance (the check flags it), a second with it,
    an accepted amendment, staff's assessment of the conditions, a passed check."""
    committee = Committee.objects.filter(slug=PVE_COMMITTEE, process=process).first()
    if committee is None:
        return None
    owner = actors.owner
    proposal = services.proposal_create(
        actor=owner,
        process=process,
        data={
            "kind": ProposalKind.PROGRAMME,
            "title": PVE_TITLE,
            "summary": PVE_SUMMARY,
            "body": PVE_BODY,
            "theme": process.themes.first(),
            "budget_area": "8.2",
            "target_groups": "Toekomstige bewoners en de buren in Huis ter Heide en Bosch en Duin",
            "expected_reach": 450,
            "risks": "Stijgende bouwkosten kunnen het resultaat van de grondexploitatie drukken.",
        },
        effects=PVE_EFFECTS,
        requirements=[r.row() for r in PVE_REQUIREMENTS],
        districts=list(process.districts.all()),
        author_kind=AuthorKind.COMMITTEE,
        committee=committee,
        slug=PVE_SLUG,
        note="Eerste opzet van de kopgroep",
    )
    services.proposal_run_check(actor=owner, proposal=proposal)  # flags "Uitstraling"
    services.proposal_update(
        actor=owner,
        proposal=proposal,
        data={},
        requirements=[r.row() for r in (*PVE_REQUIREMENTS, *PVE_LATER)],
        note="Eisen voor de uitstraling toegevoegd",
    )
    section, text, reason, decision = PVE_AMENDMENT
    amendment = services.amendment_propose(
        actor=owner, proposal=proposal, section=section, proposed_text=text, reason=reason
    )
    services.amendment_accept(actor=owner, amendment=amendment, reason=decision)
    services.conditions_assess(
        actor=owner,
        proposal=proposal,
        assessments=[
            {
                "condition": condition,
                "met": ConditionMet.YES,
                "note": "Getoetst door de afdeling Ruimtelijke Ontwikkeling.",
            }
            for condition in process.framework.condition_lines
        ],
    )
    services.proposal_transition(actor=owner, proposal=proposal, to_status=S.SUBMITTED)
    services.proposal_transition(actor=owner, proposal=proposal, to_status=S.CHECKED)
    # The council member reads it once submitted; the thread needs the status first.
    first, reply, colleague = PVE_COMMENTS
    _comment_thread(proposal, (first, reply), actors)
    _comment_thread(proposal, (colleague,), actors)
    return proposal


ZEIST_PACKAGE_TITLE = "Pakket voor de raad: het meeste draagvlak"
ZEIST_PACKAGE_NOTE = (
    "Het beste pakket van de begrotingspagina bij het doel 'het meeste draagvlak'. "
    "Het sluit het tekort in elk jaar."
)


def _load_zeist_package(process: Process, actors: _Actors) -> BudgetPackage | None:
    """The optimiser's best package for the default objective, saved by the process owner,
    with the conditions assessed for the package, checked and sent to the council."""
    owner = actors.owner
    page = budget.budget_page(process=process, user=owner, query={}, whole=True)
    best = page.outcome.best if page.outcome is not None else None
    if best is None or page.choices is None:
        return None
    package = packages.package_save(
        actor=owner,
        process=process,
        title=ZEIST_PACKAGE_TITLE,
        proposals=list(
            Proposal.objects.filter(process=process, slug__in=[r.slug for r in best.proposals])
        ),
        objective=page.choices.objective.value,
        harm=best.harm_value,
        note=ZEIST_PACKAGE_NOTE,
    )
    packages.package_assess_conditions(
        actor=owner,
        package=package,
        assessments=[
            {
                "condition": condition,
                "met": ConditionMet.YES,
                "note": "Beoordeeld door de afdeling Financiën voor het pakket als geheel.",
            }
            for condition in process.framework.condition_lines
        ],
    )
    packages.package_transition(actor=owner, package=package, to_status=PackageStatus.TO_COUNCIL)
    return package


def load_proposals(*, stdout: _Writer | None = None) -> tuple[Counter[str], Counter[str]]:
    """Create the demo proposals that are missing; returns (created, existing) counts.

    Call it after the processes and committees exist; proposals of a missing process or
    committee are skipped.
    """
    created: Counter[str] = Counter()
    existing: Counter[str] = Counter()
    actors = _actors()
    if actors.owner is None:
        return created, existing
    processes = {
        p.slug: p for p in Process.objects.filter(slug__in=[HTH_SLUG, ZEIST_SLUG, PURMEREND_SLUG])
    }
    plan: list[tuple[str, str, object]] = [(HTH_SLUG, PVE_SLUG, None)]
    plan += [(ZEIST_SLUG, m.slug, m) for m in (*ZEIST_MEASURES, ZEIST_DRAFT)]
    plan += [(PURMEREND_SLUG, m.slug, m) for m in PURMEREND_MEASURES]
    existing_slugs = set(
        Proposal.objects.filter(slug__in=[slug for _p, slug, _m in plan]).values_list(
            "slug", flat=True
        )
    )
    for process_slug, slug, data in plan:
        process = processes.get(process_slug)
        if process is None:
            continue
        if slug in existing_slugs:
            existing["proposals"] += 1
            continue
        if data is None:
            proposal = _load_programme(process, actors)
        else:
            proposal = _load_measure(data, process, actors)
        if proposal is not None:
            created["proposals"] += 1
    zeist = processes.get(ZEIST_SLUG)
    if zeist is not None:
        if BudgetPackage.objects.filter(process=zeist, title=ZEIST_PACKAGE_TITLE).exists():
            existing["packages"] += 1
        elif _load_zeist_package(zeist, actors) is not None:
            created["packages"] += 1
    if stdout is not None and created["proposals"]:
        stdout.write(f"Proposals: {created['proposals']} created.\n")
    return created, existing
