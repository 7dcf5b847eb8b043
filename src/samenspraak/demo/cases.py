"""The four reference cases (../shared/docs/SCENARIOS.md) as plain data.

Places, themes and amounts are realistic; people and most organisations are invented.
Public text is Dutch at language level B1: short sentences, the reader is "u".
Money is ``Decimal``, never float. The loader (``loader.py``) writes this data through the
services, so the demo obeys the same checks as a process a person creates in the browser.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from samenspraak.processes.models import BandwidthKind, District, PhaseKind, ProcessStatus

# --- shapes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictData:
    name: str
    kind: str = District.Kind.DISTRICT
    cbs_code: str = ""


@dataclass(frozen=True)
class MunicipalityData:
    name: str
    cbs_code: str
    districts: tuple[DistrictData, ...]


@dataclass(frozen=True)
class YearData:
    year: int
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    savings_structural: Decimal | None = None
    savings_incidental: Decimal | None = None


@dataclass(frozen=True)
class AspectData:
    name: str
    description: str


@dataclass(frozen=True)
class ThemeData:
    name: str
    description: str
    owning_department: str


@dataclass(frozen=True)
class PhaseData:
    kind: str
    title: str
    description: str
    start_date: date
    end_date: date


@dataclass(frozen=True)
class CaseData:
    title: str
    slug: str
    summary: str
    challenge: str
    municipality_cbs_code: str
    district_names: tuple[str, ...]
    status: str
    bandwidth_kind: str
    bandwidth_subject: str
    budget_areas: str
    conditions: str
    decision_deadline: date
    council_decision_reference: str
    years: tuple[YearData, ...]
    aspects: tuple[AspectData, ...]
    themes: tuple[ThemeData, ...]
    phases: tuple[PhaseData, ...]
    current_phase_title: str


def months_after(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when that day does not exist."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def _lines(*lines: str) -> str:
    return "\n".join(lines)


# --- municipalities and districts ---------------------------------------------------------

ZEIST = "GM0355"
PURMEREND = "GM0439"
OSS = "GM0828"

_D, _V, _N = District.Kind.DISTRICT, District.Kind.VILLAGE, District.Kind.NEIGHBOURHOOD

MUNICIPALITIES: tuple[MunicipalityData, ...] = (
    MunicipalityData(
        "Zeist",
        ZEIST,
        (
            DistrictData("Huis ter Heide", _V),
            DistrictData("Bosch en Duin", _V),
            DistrictData("Zeist-Centrum", _D),
            DistrictData("Zeist-West", _D),
            DistrictData("Zeist-Noord", _D),
            DistrictData("Den Dolder", _V),
            DistrictData("Austerlitz", _V),
        ),
    ),
    MunicipalityData(
        "Purmerend",
        PURMEREND,
        (
            DistrictData("Overwhere", _D),
            DistrictData("Weidevenne", _D),
            DistrictData("Centrum", _D),
            DistrictData("Wheermolen", _D),
            DistrictData("Gors", _D),
            DistrictData("Purmer-Noord", _D),
        ),
    ),
    MunicipalityData(
        "Oss",
        OSS,
        (
            DistrictData("Dichtersbuurt", _N),
            DistrictData("Megen", _V),
            DistrictData("Ruwaard", _D),
            DistrictData("Schadewijk", _D),
            DistrictData("Berghem", _V),
        ),
    ),
)

# --- 1. Huis ter Heide: a lead group writes the Programme of Requirements -----------------

_HTH_PHASES = (
    PhaseData(
        PhaseKind.INTAKE,
        "Start en werving kopgroep",
        "De gemeente legt uit welke kaders de raad heeft meegegeven. "
        "Inwoners melden zich aan voor de kopgroep. Een loting bepaalt wie er meedoet.",
        date(2026, 10, 5),
        date(2026, 10, 30),
    ),
    PhaseData(
        PhaseKind.DRAFTING,
        "Programma van Eisen schrijven",
        "De kopgroep schrijft het Programma van Eisen, onderwerp voor onderwerp. "
        "Bij elke eis staat hoe belangrijk die is en wat die ongeveer kost.",
        date(2026, 11, 2),
        date(2027, 1, 29),
    ),
    PhaseData(
        PhaseKind.CONSULTATION,
        "Peiling onder inwoners",
        "Inwoners van Zeist zeggen per hoofdstuk wat zij van het Programma van Eisen vinden.",
        date(2027, 2, 1),
        date(2027, 2, 19),
    ),
    PhaseData(
        PhaseKind.COUNCIL,
        "Besluit gemeenteraad",
        "De gemeenteraad bespreekt het Programma van Eisen en neemt een besluit.",
        date(2027, 2, 22),
        date(2027, 3, 5),
    ),
    PhaseData(
        PhaseKind.EXECUTION,
        "Uitwerking in het stedenbouwkundig plan",
        "Het Programma van Eisen is het uitgangspunt voor het ontwerp van de wijk.",
        date(2027, 3, 8),
        date(2027, 12, 17),
    ),
)

HUIS_TER_HEIDE = CaseData(
    title="Huis ter Heide: Programma van Eisen nieuwe woonwijk",
    slug="huis-ter-heide-pve",
    summary=(
        "Een kopgroep van inwoners schrijft het Programma van Eisen voor de nieuwe woonwijk "
        "in Huis ter Heide. De raad gaf de kaders mee. Daarna kunt u zeggen wat u ervan vindt."
    ),
    challenge=_text(
        "Aan de rand van Huis ter Heide komt een nieuwe woonwijk. Het gebied is groen en ligt "
        "vlak bij bos en heide. Inwoners en gemeente dachten eerst heel verschillend over de "
        "plannen.",
        "Daarom schrijft een kopgroep van inwoners nu het Programma van Eisen. Daarin staat "
        "waaraan de nieuwe wijk moet voldoen. Bijvoorbeeld hoeveel groen er komt, welke "
        "woningen er komen en hoe u de wijk bereikt.",
        "De gemeenteraad heeft de kaders vastgesteld. Het plan moet alle verplichte "
        "onderwerpen behandelen. Het moet ook binnen de financiële bandbreedte blijven. "
        "De kopgroep heeft vijf maanden. Daarna beslist de raad.",
    ),
    municipality_cbs_code=ZEIST,
    district_names=("Huis ter Heide", "Bosch en Duin"),
    status=ProcessStatus.ACTIVE,
    bandwidth_kind=BandwidthKind.RANGE,
    bandwidth_subject="Resultaat grondexploitatie",
    budget_areas="8.2",
    conditions=_lines(
        "Minstens 30% van de woningen is sociale huur.",
        "De bufferzone rond het Natura 2000-gebied blijft vrij van bebouwing.",
        "Parkeren volgt de parkeernorm van de gemeente Zeist.",
        "De wijk wordt aardgasvrij gebouwd.",
        "Waardevolle bomen en houtwallen blijven staan.",
        "Het resultaat van de grondexploitatie blijft binnen de financiële bandbreedte.",
    ),
    decision_deadline=months_after(_HTH_PHASES[0].start_date, 5),
    council_decision_reference="RB 2026-041",
    years=(YearData(2027, minimum=Decimal("-500000.00"), maximum=Decimal("1500000.00")),),
    aspects=(
        AspectData("Milieu", "Hoe de wijk omgaat met geluid, lucht, bodem en energie."),
        AspectData(
            "Bereikbaarheid",
            "Hoe u de wijk bereikt: lopend, met de fiets, met het openbaar vervoer of de auto.",
        ),
        AspectData(
            "Voorzieningen",
            "Welke voorzieningen er in of vlak bij de wijk komen, zoals een speelplek of "
            "een huisarts.",
        ),
        AspectData(
            "Groen",
            "Hoeveel groen er komt en hoe de wijk aansluit op het bos en de natuur eromheen.",
        ),
        AspectData(
            "Parkeren",
            "Waar bewoners en bezoekers parkeren en hoeveel plaatsen er per woning zijn.",
        ),
        AspectData(
            "Woontypen", "Welke woningen er komen: huur of koop, groot of klein, voor jong en oud."
        ),
        AspectData(
            "Uitstraling",
            "Hoe de wijk eruitziet en hoe die past bij het dorpse karakter van Huis ter Heide.",
        ),
    ),
    themes=(
        ThemeData(
            "Programma van Eisen",
            "Alle eisen voor de nieuwe woonwijk, geordend per verplicht onderwerp.",
            "Ruimtelijke Ontwikkeling",
        ),
    ),
    phases=_HTH_PHASES,
    current_phase_title="Programma van Eisen schrijven",
)

# --- 2. Purmerend: cutting the social domain with policy ----------------------------------

_PURMEREND_PHASES = (
    PhaseData(
        PhaseKind.INTAKE,
        "Start en kaders",
        "De gemeente legt de besparingsopgave en de kaders van de raad uit aan partners "
        "en inwoners.",
        date(2026, 10, 5),
        date(2026, 10, 23),
    ),
    PhaseData(
        PhaseKind.DIALOGUE,
        "Aanbod in beeld en thematafels",
        "Partners zetten hun aanbod op een rij. Aan thematafels zoeken partners en inwoners "
        "waar het slimmer en samen kan.",
        date(2026, 10, 26),
        date(2026, 12, 18),
    ),
    PhaseData(
        PhaseKind.CONSULTATION,
        "Inwoners denken mee",
        "Inwoners kiezen zelf hoe zij de opgave zouden sluiten en geven hun mening over "
        "de voorstellen.",
        date(2027, 1, 4),
        date(2027, 1, 22),
    ),
    PhaseData(
        PhaseKind.COUNCIL,
        "Besluit gemeenteraad: nieuw beleidskader",
        "De gemeenteraad stelt het nieuwe maatschappelijke beleidskader vast.",
        date(2027, 1, 25),
        date(2027, 2, 5),
    ),
    PhaseData(
        PhaseKind.TENDER,
        "Coalities rond opgaven",
        "Partners vormen coalities rond een opgave, met een penvoerder. Zij spreken "
        "resultaten af met de gemeente.",
        date(2027, 2, 15),
        date(2027, 6, 25),
    ),
    PhaseData(
        PhaseKind.EXECUTION,
        "Uitvoering en monitoring",
        "De coalities voeren hun aanpak uit. Zij laten elk kwartaal zien wat het oplevert.",
        date(2027, 7, 1),
        date(2030, 12, 31),
    ),
)

PURMEREND_SOCIAAL_DOMEIN = CaseData(
    title="Bezuinigen met beleid in het sociaal domein",
    slug="purmerend-sociaal-domein",
    summary=(
        "Purmerend moet besparen in het sociaal domein. Samen met partners en inwoners kijken "
        "we hoe we met minder geld de juiste dingen blijven doen."
    ),
    challenge=_text(
        "Purmerend moet de komende jaren fors besparen in het sociaal domein. Vanaf 2029 gaat "
        "het om 3,5 miljoen euro per jaar.",
        "We willen niet overal zomaar een stukje afhalen. Daarom brengen we eerst samen met "
        "maatschappelijke partners in beeld wat er nu is. Wie doet wat, voor wie en in "
        "welke wijk?",
        "Daarna praten partners en inwoners aan thematafels. Waar doen we dubbel werk? Wat "
        "mist er? Hoe bereiken we samen meer met minder geld? Daarna stelt de gemeenteraad "
        "een nieuw maatschappelijk beleidskader vast.",
    ),
    municipality_cbs_code=PURMEREND,
    district_names=("Overwhere", "Weidevenne", "Centrum", "Wheermolen", "Gors", "Purmer-Noord"),
    status=ProcessStatus.ACTIVE,
    bandwidth_kind=BandwidthKind.SAVINGS,
    bandwidth_subject="Besparing sociaal domein",
    budget_areas="6.1, 6.21, 6.22, 6.3, 6.71, 6.81, 6.82",
    conditions=_lines(
        "Op wettelijke taken wordt niet bezuinigd, zoals zorg uit de Wmo en de Jeugdwet.",
        "Inwoners die nu zorg of ondersteuning krijgen, houden een passend aanbod.",
        "De structurele besparing komt uit structurele maatregelen.",
        "De raad neemt binnen vier maanden na de start een besluit.",
    ),
    decision_deadline=months_after(_PURMEREND_PHASES[0].start_date, 4),
    council_decision_reference="RV 2026-057",
    years=(
        YearData(2027, savings_structural=Decimal("1200000.00")),
        YearData(2028, savings_structural=Decimal("2400000.00")),
        YearData(2029, savings_structural=Decimal("3500000.00")),
        YearData(2030, savings_structural=Decimal("3500000.00")),
    ),
    aspects=(),
    themes=(
        ThemeData(
            "Eenzaamheid",
            "Minder inwoners die zich eenzaam voelen, jong en oud. Bijvoorbeeld door "
            "ontmoeting in de wijk.",
            "Sociaal Domein",
        ),
        ThemeData(
            "Schulden",
            "Geldzorgen vroeg zien en inwoners snel helpen, voordat schulden groot worden.",
            "Sociaal Domein",
        ),
        ThemeData(
            "Jeugd",
            "Kinderen en jongeren groeien gezond en veilig op, met een plek in hun buurt.",
            "Sociaal Domein",
        ),
        ThemeData(
            "Mantelzorg",
            "Mantelzorgers, ook jonge mantelzorgers, krijgen steun zodat zij het volhouden.",
            "Sociaal Domein",
        ),
    ),
    phases=_PURMEREND_PHASES,
    current_phase_title="Aanbod in beeld en thematafels",
)

# --- 3. The Zeist budget dialogue (Brussels model) -----------------------------------------

_ZEIST_PHASES = (
    PhaseData(
        PhaseKind.INTAKE,
        "Start en kaders",
        "De gemeente legt het tekort en de kaders van de raad uit. U kunt zich aanmelden "
        "voor een expertcomité.",
        date(2026, 9, 7),
        date(2026, 9, 25),
    ),
    PhaseData(
        PhaseKind.OTHER,
        "Expertcomités samenstellen",
        "Per thema komt er een comité van inwoners, organisaties en ondernemers. Elk comité "
        "krijgt een Chef de Dossier.",
        date(2026, 9, 28),
        date(2026, 10, 23),
    ),
    PhaseData(
        PhaseKind.DIALOGUE,
        "Dialoog en voorstellen",
        "De comités bespreken hun thema en schrijven voorstellen. Bij elk voorstel staat wat "
        "het per jaar oplevert en wie er iets van merkt.",
        date(2026, 10, 26),
        date(2027, 1, 22),
    ),
    PhaseData(
        PhaseKind.CONSULTATION,
        "Inwoners kiezen mee",
        "Inwoners proberen zelf de begroting sluitend te maken en geven hun mening over "
        "de voorstellen.",
        date(2027, 1, 25),
        date(2027, 2, 12),
    ),
    PhaseData(
        PhaseKind.COUNCIL,
        "Besluit gemeenteraad",
        "De gemeenteraad beslist over elk voorstel.",
        date(2027, 2, 15),
        date(2027, 3, 5),
    ),
    PhaseData(
        PhaseKind.EXECUTION,
        "Uitvoering en kennisnetwerk",
        "De gemeente voert de aangenomen voorstellen uit. Deelnemers blijven betrokken via "
        "het kennisnetwerk per thema.",
        date(2027, 3, 8),
        date(2030, 12, 31),
    ),
)

_MO = "Maatschappelijke Ontwikkeling"

BEZUINIGINGSDIALOOG_ZEIST = CaseData(
    title="Bezuinigingsdialoog Zeist",
    slug="bezuinigingsdialoog-zeist",
    summary=(
        "Zeist moet vanaf 2029 4,2 miljoen euro per jaar besparen. In acht expertcomités "
        "bedenken inwoners, organisaties en ondernemers samen voorstellen voor een sluitende "
        "begroting."
    ),
    challenge=_text(
        "De gemeente Zeist geeft meer uit dan er binnenkomt. Vanaf 2029 is het tekort "
        "4,2 miljoen euro per jaar. De begroting moet elk jaar sluiten.",
        "Dat lossen we niet alleen op. Rond acht thema's werken expertcomités. Daarin zitten "
        "inwoners, medewerkers van maatschappelijke organisaties en (sociaal) ondernemers. "
        "Zo zijn alle belangen aan tafel.",
        "Elk comité krijgt een Chef de Dossier van de gemeente. Die bewaakt het proces, niet "
        "de inhoud. De comités schrijven voorstellen met hun effect per jaar. De gemeenteraad "
        "beslist over elk voorstel.",
    ),
    municipality_cbs_code=ZEIST,
    district_names=(
        "Zeist-Centrum",
        "Zeist-West",
        "Zeist-Noord",
        "Huis ter Heide",
        "Bosch en Duin",
        "Den Dolder",
        "Austerlitz",
    ),
    status=ProcessStatus.ACTIVE,
    bandwidth_kind=BandwidthKind.SAVINGS,
    bandwidth_subject="Tekort meerjarenbegroting",
    budget_areas="",
    conditions=_lines(
        "De begroting sluit in elk jaar van 2027 tot en met 2030.",
        "Een structureel tekort lossen we op met structurele maatregelen.",
        "Wettelijke taken blijven overeind.",
        "De lokale lasten stijgen niet meer dan de inflatie.",
        "Bij elk voorstel staat wie er gevolgen van merkt.",
    ),
    decision_deadline=date(2027, 3, 5),
    council_decision_reference="RB 2026-033",
    years=(
        YearData(
            2027, savings_structural=Decimal("2100000.00"), savings_incidental=Decimal("800000.00")
        ),
        YearData(
            2028, savings_structural=Decimal("3400000.00"), savings_incidental=Decimal("400000.00")
        ),
        YearData(
            2029, savings_structural=Decimal("4200000.00"), savings_incidental=Decimal("150000.00")
        ),
        YearData(2030, savings_structural=Decimal("4200000.00")),
    ),
    aspects=(),
    themes=(
        ThemeData(
            "Zorg en welzijn",
            "Ondersteuning, zorg en ontmoeting voor inwoners die dat nodig hebben.",
            _MO,
        ),
        ThemeData(
            "Jeugd en onderwijs",
            "Jongerenwerk, kinderopvang, onderwijshuisvesting en leerlingenvervoer.",
            _MO,
        ),
        ThemeData(
            "Sport en cultuur",
            "Sportaccommodaties, de bibliotheek, muziekles en culturele activiteiten.",
            _MO,
        ),
        ThemeData(
            "Openbare ruimte en groen",
            "Onderhoud van straten, parken, bomen en speelplekken.",
            "Ruimte",
        ),
        ThemeData(
            "Economie en toerisme",
            "Winkelcentra, ondernemers, markten en bezoekers van Zeist.",
            "Economie",
        ),
        ThemeData(
            "Wonen",
            "Woningbouw, duurzaam wonen en wonen met zorg.",
            "Ruimte",
        ),
        ThemeData(
            "Veiligheid",
            "Toezicht en handhaving, veilige wijken en de brandweer.",
            "Openbare Orde en Veiligheid",
        ),
        ThemeData(
            "Dienstverlening en bedrijfsvoering",
            "Het gemeentehuis, digitale dienstverlening, huisvesting en inkoop.",
            "Financiën",
        ),
    ),
    phases=_ZEIST_PHASES,
    current_phase_title="Dialoog en voorstellen",
)

# --- 4. Oss, "maken we samen": social tendering in two neighbourhoods ----------------------

_OSS_PHASES = (
    PhaseData(
        PhaseKind.INTAKE,
        "Opgaven ophalen in de buurt",
        "Bewoners en partners vertellen wat de grootste opgaven van hun buurt zijn.",
        date(2026, 6, 1),
        date(2026, 9, 11),
    ),
    PhaseData(
        PhaseKind.TENDER,
        "Maatschappelijke aanbesteding",
        "Per buurt vraagt de gemeente een coalitie om een plan. De woningcorporatie is "
        "penvoerder. Een panel met bewoners beoordeelt de plannen.",
        date(2026, 9, 14),
        date(2027, 1, 29),
    ),
    PhaseData(
        PhaseKind.EXECUTION,
        "Uitvoering door de coalities",
        "De coalities voeren hun plan uit. Zij laten elk kwartaal zien wat het oplevert.",
        date(2027, 2, 1),
        date(2029, 6, 29),
    ),
    PhaseData(
        PhaseKind.EVALUATION,
        "Evaluatie en lessen",
        "We kijken wat de pilots hebben opgeleverd en wat we ervan leren.",
        date(2029, 7, 2),
        date(2029, 9, 28),
    ),
)

OSS_MAKEN_WE_SAMEN = CaseData(
    title="Oss maken we samen",
    slug="oss-maken-we-samen",
    summary=(
        "In de Dichtersbuurt en in Megen pakken woningcorporaties, partners en bewoners samen "
        "de grootste opgaven van hun buurt aan. De gemeente besteedt dit maatschappelijk aan."
    ),
    challenge=_text(
        "De gemeente Oss kan veel opgaven niet alleen oppakken. Daarom kiest Oss voor "
        "maatschappelijk aanbesteden. We vragen partijen en bewoners uit de buurt om samen "
        "oplossingen te bedenken en uit te voeren.",
        "We beginnen met twee pilots. In de Dichtersbuurt neemt woningcorporatie BrabantWonen "
        "de leiding. In Megen doet woonmaatschappij Mooiland Maasland dat. Zij vormen een "
        "coalitie met andere partners en met bewoners.",
        "Denk aan eenzaamheid, een rommelige openbare ruimte of jongeren zonder eigen plek. "
        "We spreken resultaten af, geen activiteiten. Zo ziet iedereen wat de aanpak oplevert.",
    ),
    municipality_cbs_code=OSS,
    district_names=("Dichtersbuurt", "Megen"),
    status=ProcessStatus.ACTIVE,
    bandwidth_kind=BandwidthKind.RANGE,
    bandwidth_subject="Budget maatschappelijke aanbesteding (twee pilots)",
    budget_areas="6.1",
    conditions=_lines(
        "Een woningcorporatie is penvoerder van de coalitie.",
        "Bewoners spelen een belangrijke rol in de coalitie en in de uitvoering.",
        "We spreken resultaten af met indicatoren, geen activiteiten.",
        "De coalitie rapporteert elk kwartaal over de voortgang.",
    ),
    decision_deadline=_OSS_PHASES[1].end_date,
    council_decision_reference="RB 2026-019",
    years=(
        YearData(2027, minimum=Decimal("0.00"), maximum=Decimal("450000.00")),
        YearData(2028, minimum=Decimal("0.00"), maximum=Decimal("450000.00")),
        YearData(2029, minimum=Decimal("0.00"), maximum=Decimal("300000.00")),
    ),
    aspects=(),
    themes=(
        ThemeData(
            "Pilot Dichtersbuurt (penvoerder BrabantWonen)",
            "Een stadswijk waar bewoners elkaar weer vinden, met een schone en veilige "
            "openbare ruimte en een plek voor jongeren.",
            "Wijkgericht Werken",
        ),
        ThemeData(
            "Pilot Megen (penvoerder Mooiland Maasland)",
            "Een klein stadje waar ouderen langer thuis kunnen wonen en waar inwoners "
            "voor elkaar zorgen.",
            "Wijkgericht Werken",
        ),
    ),
    phases=_OSS_PHASES,
    current_phase_title="Maatschappelijke aanbesteding",
)

CASES: tuple[CaseData, ...] = (
    HUIS_TER_HEIDE,
    PURMEREND_SOCIAAL_DOMEIN,
    BEZUINIGINGSDIALOOG_ZEIST,
    OSS_MAKEN_WE_SAMEN,
)
