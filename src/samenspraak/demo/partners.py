"""Demo partners and their offering (issue 6): Purmerend's social-domain partners mapping
their existing offering (het aanbod in beeld), and the two Oss housing corporations.

The Purmerend data tells the story of SCENARIOS.md: three partners run loneliness activities
for older people in Overwhere (an overlap), and young carers have nothing in Weidevenne (a
gap). Deliberately, too:

- young carers are served only by the Mantelzorgsteunpunt's JMZ-club, which runs in every
  district except Weidevenne;
- newcomers are served only by services outside Purmer-Noord;
- every other target group has at least one service in all six districts.

So the gap list over all themes is exactly (young carers, Weidevenne) and (newcomers,
Purmer-Noord); tests/demo/test_demo_partners.py asserts it. Written through the partners
services as the demo administrator (audit trail included); a partner that already exists
(municipality + name) is left as it is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from samenspraak.demo.cases import OSS, PURMEREND
from samenspraak.partners import services
from samenspraak.partners.models import Partner
from samenspraak.partners.models import PartnerKind as K
from samenspraak.partners.models import TargetGroup as G
from samenspraak.partners.models import Theme as T
from samenspraak.processes.models import Municipality


class _Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


OW, WV, CE, WM, GO, PN = "Overwhere", "Weidevenne", "Centrum", "Wheermolen", "Gors", "Purmer-Noord"
ALL = (OW, WV, CE, WM, GO, PN)


@dataclass(frozen=True)
class S:
    """A service: name, theme, target groups, districts, reach, yearly cost, subsidy."""

    name: str
    theme: str
    groups: tuple[str, ...]
    districts: tuple[str, ...]
    reach: int
    cost: int
    subsidy: int
    outcomes: str = ""
    capacity: int | None = None


@dataclass(frozen=True)
class P:
    name: str
    kind: str
    districts: tuple[str, ...]
    description: str
    services: tuple[S, ...]
    kvk: str = ""
    website: str = ""


PURMEREND_PARTNERS: tuple[P, ...] = (
    P(
        "Welzijn Purmerend",
        K.WELFARE,
        ALL,
        "Welzijnsstichting voor alle Purmerenders: ontmoeting, buurtwerk en ondersteuning.",
        (
            S(
                "Ontmoetingsochtend voor ouderen",
                T.PARTICIPATION,
                (G.ELDERLY,),
                (OW, WM),
                180,
                42000,
                38000,
                "Minder eenzaamheid bij ouderen",
                60,
            ),
            S(
                "Buurtwerk",
                T.HOUSING,
                (G.FAMILIES_LOW_INCOME, G.ELDERLY),
                ALL,
                900,
                310000,
                290000,
                "Actieve bewoners in elke wijk",
            ),
            S(
                "Sociaal raadslieden",
                T.MONEY,
                (G.DEBTS, G.FAMILIES_LOW_INCOME),
                (CE, WV, OW),
                650,
                145000,
                140000,
                "Minder achterstanden in toeslagen",
            ),
            S(
                "Welzijn op recept",
                T.HEALTH,
                (G.MENTAL_HEALTH, G.ELDERLY),
                (CE, WM, GO),
                120,
                36000,
                30000,
                "Minder bezoek aan de huisarts voor sociale klachten",
            ),
        ),
        kvk="41234567",
        website="https://welzijnpurmerend.example",
    ),
    P(
        "Jongerenwerk Purmerend",
        K.WELFARE,
        ALL,
        "Ambulant jongerenwerk en jongerencentra.",
        (
            S(
                "Ambulant jongerenwerk",
                T.YOUTH,
                (G.YOUNG_PEOPLE,),
                ALL,
                750,
                260000,
                250000,
                "Minder overlast, meer jongeren in beeld",
            ),
            S(
                "Jongerencentrum De Loods",
                T.PARTICIPATION,
                (G.YOUNG_PEOPLE,),
                (CE, WV),
                400,
                120000,
                110000,
                capacity=120,
            ),
            S(
                "Talentcoaching",
                T.WORK,
                (G.YOUNG_PEOPLE, G.JOB_SEEKERS),
                (WV, GO, PN),
                60,
                48000,
                40000,
                "Jongeren naar school of werk",
            ),
        ),
    ),
    P(
        "Thuiszorg Waterland",
        K.CARE,
        ALL,
        "Wijkverpleging en huishoudelijke ondersteuning.",
        (
            S(
                "Huishoudelijke ondersteuning",
                T.SUPPORT,
                (G.ELDERLY, G.DISABILITY),
                ALL,
                1400,
                2100000,
                1900000,
                "Langer zelfstandig thuis wonen",
            ),
            S("Valpreventie", T.HEALTH, (G.ELDERLY,), (OW, WM, PN), 150, 27000, 20000),
        ),
    ),
    P(
        "GGD Zaanstreek-Waterland",
        K.CARE,
        ALL,
        "Publieke gezondheid en preventie.",
        (
            S(
                "Mentale gezondheid in de wijk",
                T.HEALTH,
                (G.MENTAL_HEALTH, G.YOUNG_PEOPLE),
                ALL,
                500,
                95000,
                95000,
                "Eerder hulp bij psychische klachten",
            ),
            S(
                "Jeugdgezondheidszorg op school",
                T.YOUTH,
                (G.CHILDREN, G.YOUNG_PEOPLE),
                ALL,
                4200,
                380000,
                380000,
            ),
        ),
    ),
    P(
        "Woonstichting Purmer",
        K.HOUSING,
        (OW, WV, WM, GO),
        "Woningcorporatie met ruim 9.000 huurwoningen.",
        (
            S(
                "Huismeesters en buurtbeheer",
                T.HOUSING,
                (G.ELDERLY, G.FAMILIES_LOW_INCOME, G.DISABILITY),
                (OW, WV, WM, GO),
                2500,
                180000,
                0,
                "Schone, hele en veilige buurten",
            ),
            S(
                "Vroegsignalering huurachterstand",
                T.MONEY,
                (G.DEBTS,),
                (OW, WV, WM, GO),
                320,
                40000,
                10000,
                "Geen huisuitzettingen om schulden",
            ),
        ),
    ),
    P(
        "Waterland Wonen",
        K.HOUSING,
        (CE, PN),
        "Woningcorporatie in Centrum en Purmer-Noord.",
        (
            S(
                "Woonconsulent voor kwetsbare huurders",
                T.HOUSING,
                (G.MENTAL_HEALTH, G.DISABILITY),
                (CE, PN),
                140,
                65000,
                15000,
            ),
            S("Achter de voordeur", T.MONEY, (G.DEBTS, G.ELDERLY), (CE, PN), 90, 30000, 10000),
        ),
    ),
    P(
        "Sportvereniging Purmer",
        K.SPORTS,
        (WV, GO, PN),
        "Omnivereniging met voetbal, gym en bewegen voor ouderen.",
        (
            S(
                "Buurtsport",
                T.HEALTH,
                (G.CHILDREN, G.YOUNG_PEOPLE),
                (WV, GO, PN),
                650,
                70000,
                55000,
                "Elk kind beweegt",
                300,
            ),
            S("Bewegen voor ouderen", T.HEALTH, (G.ELDERLY,), (WV, GO), 110, 14000, 9000),
            S("Aangepast sporten", T.HEALTH, (G.DISABILITY,), ALL, 70, 21000, 15000),
        ),
    ),
    P(
        "Bibliotheek Waterland",
        K.CULTURE,
        ALL,
        "Bibliotheek met Taalhuis en digitale hulp.",
        (
            S(
                "Digitaal Café",
                T.LANGUAGE,
                (G.ELDERLY, G.NEWCOMERS),
                (CE, WV),
                380,
                32000,
                28000,
                "Zelf digitaal zaken regelen",
            ),
            S(
                "Voorleesexpress",
                T.LANGUAGE,
                (G.CHILDREN, G.FAMILIES_LOW_INCOME),
                ALL,
                160,
                26000,
                22000,
            ),
            S(
                "Informatiepunt Digitale Overheid",
                T.LANGUAGE,
                (G.ELDERLY, G.DISABILITY),
                ALL,
                520,
                18000,
                18000,
            ),
        ),
    ),
    P(
        "Voedselbank Purmerend",
        K.WELFARE,
        ALL,
        "Voedselpakketten voor huishoudens in nood, met vrijwilligers.",
        (
            S(
                "Voedselpakketten",
                T.MONEY,
                (G.FAMILIES_LOW_INCOME, G.DEBTS),
                ALL,
                1100,
                60000,
                25000,
                "Niemand zonder eten",
            ),
        ),
    ),
    P(
        "Mantelzorgsteunpunt Purmerend",
        K.WELFARE,
        ALL,
        "Steun, advies en respijt voor mantelzorgers.",
        (
            S(
                "Mantelzorgconsulent",
                T.CARERS,
                (G.INFORMAL_CARERS,),
                ALL,
                850,
                150000,
                150000,
                "Mantelzorgers houden het vol",
            ),
            S(
                "JMZ-club voor jonge mantelzorgers",
                T.CARERS,
                (G.YOUNG_CARERS,),
                (CE, OW, WM, GO, PN),
                45,
                22000,
                22000,
                "Jonge mantelzorgers worden gezien",
                60,
            ),
            S("Respijtzorg", T.CARERS, (G.INFORMAL_CARERS, G.ELDERLY), ALL, 210, 95000, 85000),
        ),
    ),
    P(
        "Buurthuis De Inloop",
        K.RESIDENTS,
        (OW,),
        "Buurthuis in Overwhere, gerund door vrijwilligers.",
        (
            S(
                "Koffie-inloop",
                T.PARTICIPATION,
                (G.ELDERLY,),
                (OW,),
                140,
                9000,
                7500,
                "Buren leren elkaar kennen",
            ),
            S("Huiswerkklas", T.YOUTH, (G.CHILDREN,), (OW,), 35, 8000, 6000),
        ),
    ),
    P(
        "Buurthuis Weidevenne",
        K.RESIDENTS,
        (WV,),
        "Buurthuis in Weidevenne.",
        (
            S(
                "Kookcafé",
                T.PARTICIPATION,
                (G.FAMILIES_LOW_INCOME, G.NEWCOMERS),
                (WV,),
                90,
                11000,
                9000,
            ),
            S("Peuterspeelochtend", T.YOUTH, (G.CHILDREN,), (WV,), 60, 7000, 5000),
        ),
    ),
    P(
        "Bewonersinitiatief Gors Samen",
        K.RESIDENTS,
        (GO,),
        "Bewoners van de Gors die elkaar helpen.",
        (
            S("Burenhulp Gors", T.PARTICIPATION, (G.ELDERLY, G.DISABILITY), (GO,), 75, 2500, 2500),
            S("Moestuin Gors", T.HOUSING, (G.FAMILIES_LOW_INCOME,), (GO,), 40, 3000, 1500),
        ),
    ),
    P(
        "Schuldhulp Purmerend",
        K.WELFARE,
        ALL,
        "Schuldhulpverlening en budgetcoaching.",
        (
            S(
                "Schuldhulpverlening",
                T.MONEY,
                (G.DEBTS, G.FAMILIES_LOW_INCOME),
                ALL,
                600,
                540000,
                540000,
                "Schulden opgelost of stabiel",
            ),
            S("Budgetcoaching", T.MONEY, (G.DEBTS,), ALL, 260, 85000, 85000),
        ),
    ),
    P(
        "Vluchtelingenwerk Purmerend",
        K.WELFARE,
        (CE, OW, WV, WM, GO),
        "Begeleiding van statushouders.",
        (
            S(
                "Maatschappelijke begeleiding statushouders",
                T.PARTICIPATION,
                (G.NEWCOMERS,),
                (CE, OW, WV, WM, GO),
                230,
                175000,
                175000,
                "Nieuwkomers vinden hun weg",
            ),
            S("Taalmaatjes", T.LANGUAGE, (G.NEWCOMERS,), (CE, WV, WM), 120, 24000, 20000),
        ),
    ),
    P(
        "Huisartsencoöperatie Purmerend",
        K.CARE,
        ALL,
        "Samenwerkende huisartsen met praktijkondersteuners.",
        (
            S(
                "POH-GGZ in de wijk",
                T.HEALTH,
                (G.MENTAL_HEALTH,),
                ALL,
                1300,
                0,
                0,
                "Lichte psychische hulp dichtbij",
            ),
        ),
    ),
    P(
        "Vrijwilligerscentrum Purmerend",
        K.WELFARE,
        ALL,
        "Vrijwilligerswerk vinden en versterken.",
        (
            S(
                "Vrijwilligersvacaturebank",
                T.CARERS,
                (G.JOB_SEEKERS, G.ELDERLY),
                ALL,
                700,
                60000,
                60000,
            ),
            S(
                "Maatjes voor mensen met een beperking",
                T.CARERS,
                (G.DISABILITY,),
                ALL,
                80,
                30000,
                30000,
            ),
        ),
    ),
    P(
        "Diaconaal Platform Purmerend",
        K.RESIDENTS,
        (CE, GO),
        "Kerken en moskeeën die samen naar de buurt kijken.",
        (
            S(
                "Open tafel",
                T.PARTICIPATION,
                (G.ELDERLY, G.FAMILIES_LOW_INCOME),
                (CE, GO),
                160,
                8000,
                0,
            ),
        ),
    ),
    P(
        "Muziekschool Waterland",
        K.CULTURE,
        (CE,),
        "Muziekles en cultuureducatie.",
        (S("Muziek op school", T.YOUTH, (G.CHILDREN,), ALL, 2200, 120000, 100000),),
    ),
    P(
        "Taalhuis Purmerend",
        K.EDUCATION,
        (CE,),
        "Taallessen en taalcafés voor volwassenen.",
        (S("Taalcafé", T.LANGUAGE, (G.NEWCOMERS, G.JOB_SEEKERS), (CE,), 140, 15000, 12000),),
    ),
    P(
        "Ondernemersvereniging Purmerend Centrum",
        K.BUSINESS,
        (CE,),
        "Ondernemers in de binnenstad.",
        (
            S(
                "Leerwerkplekken bij ondernemers",
                T.WORK,
                (G.JOB_SEEKERS, G.YOUNG_PEOPLE),
                (CE, WM),
                30,
                12000,
                0,
            ),
        ),
    ),
    P(
        "Dagbesteding De Werkplaats",
        K.CARE,
        ALL,
        "Dagbesteding en werktrajecten.",
        (
            S(
                "Werkfit-traject",
                T.WORK,
                (G.JOB_SEEKERS, G.MENTAL_HEALTH),
                ALL,
                140,
                410000,
                400000,
                "Stap naar betaald werk",
            ),
            S(
                "Dagbesteding ouderen met dementie",
                T.WORK,
                (G.ELDERLY, G.DISABILITY),
                (OW, WM, PN),
                90,
                520000,
                500000,
            ),
        ),
    ),
    P(
        "Jeugd- en gezinsteam Purmerend",
        K.CARE,
        ALL,
        "Lichte jeugdhulp en opvoedondersteuning.",
        (
            S(
                "Opvoedspreekuur",
                T.YOUTH,
                (G.FAMILIES_LOW_INCOME, G.CHILDREN),
                ALL,
                480,
                160000,
                160000,
            ),
            S("Steun voor ouders van pubers", T.YOUTH, (G.YOUNG_PEOPLE,), ALL, 210, 70000, 70000),
        ),
    ),
    P(
        "Humanitas Purmerend",
        K.WELFARE,
        ALL,
        "Vrijwilligers die mensen thuis steunen.",
        (
            S(
                "Maatjesproject tegen eenzaamheid",
                T.PARTICIPATION,
                (G.ELDERLY,),
                (OW, WV, PN),
                95,
                38000,
                34000,
                "Minder eenzaamheid bij ouderen",
            ),
            S("Thuisadministratie", T.MONEY, (G.DEBTS, G.ELDERLY), ALL, 240, 26000, 24000),
        ),
    ),
    P(
        "Stichting Leergeld Purmerend",
        K.WELFARE,
        ALL,
        "Kinderen uit gezinnen met weinig geld doen mee.",
        (
            S(
                "Meedoen-regeling kinderen",
                T.MONEY,
                (G.CHILDREN, G.FAMILIES_LOW_INCOME),
                ALL,
                900,
                210000,
                200000,
                "Elk kind doet mee",
            ),
        ),
    ),
    P(
        "Zwem- en sportcentrum De Waterlelie",
        K.SPORTS,
        (WM,),
        "Zwembad en sporthal.",
        (
            S(
                "Zwemles voor kinderen uit gezinnen met weinig geld",
                T.HEALTH,
                (G.CHILDREN, G.FAMILIES_LOW_INCOME),
                ALL,
                180,
                54000,
                50000,
            ),
            S("Therapeutisch zwemmen", T.HEALTH, (G.DISABILITY, G.ELDERLY), ALL, 130, 16000, 6000),
        ),
    ),
)

OSS_PARTNERS: tuple[P, ...] = (
    P(
        "BrabantWonen",
        K.HOUSING,
        ("Dichtersbuurt", "Ruwaard", "Schadewijk"),
        "Woningcorporatie in Oss; penvoerder in de Dichtersbuurt.",
        (
            S(
                "Buurtconciërge Dichtersbuurt",
                T.HOUSING,
                (G.ELDERLY, G.FAMILIES_LOW_INCOME),
                ("Dichtersbuurt",),
                300,
                55000,
                20000,
                "Een schone en veilige buurt",
            ),
            S(
                "Huurdersondersteuning bij betaalproblemen",
                T.MONEY,
                (G.DEBTS,),
                ("Dichtersbuurt", "Schadewijk"),
                120,
                30000,
                0,
            ),
        ),
    ),
    P(
        "Mooiland Maasland",
        K.HOUSING,
        ("Megen", "Berghem"),
        "Woonmaatschappij; penvoerder in Megen.",
        (
            S(
                "Levensloopbestendig wonen in Megen",
                T.HOUSING,
                (G.ELDERLY, G.DISABILITY),
                ("Megen",),
                80,
                45000,
                10000,
            ),
        ),
    ),
)


def _load(
    municipality: Municipality,
    data: tuple[P, ...],
    *,
    actor,
    created: Counter[str],
    existing: Counter[str],
) -> None:
    districts = {d.name: d for d in municipality.districts.all()}
    there = set(Partner.objects.filter(municipality=municipality).values_list("name", flat=True))
    for p in data:
        if p.name in there:
            existing["partners"] += 1
            continue
        partner = services.partner_create(
            actor=actor,
            data={
                "municipality": municipality,
                "name": p.name,
                "kind": p.kind,
                "kvk_number": p.kvk,
                "website": p.website,
                "description": p.description,
            },
            districts=[districts[name] for name in p.districts],
        )
        created["partners"] += 1
        for s in p.services:
            services.offering_create(
                actor=actor,
                partner=partner,
                data={
                    "name": s.name,
                    "theme": s.theme,
                    "target_groups": [str(g) for g in s.groups],
                    "reach": s.reach,
                    "capacity": s.capacity,
                    "yearly_cost": Decimal(s.cost),
                    "subsidy": Decimal(s.subsidy),
                    "outcomes": s.outcomes,
                },
                districts=[districts[name] for name in s.districts],
            )
            created["offerings"] += 1


def load_partners(*, admin, stdout: _Writer | None = None) -> tuple[Counter[str], Counter[str]]:
    """Create the demo partners that are missing with their services; (created, existing)."""
    created: Counter[str] = Counter()
    existing: Counter[str] = Counter()
    for code, data in ((PURMEREND, PURMEREND_PARTNERS), (OSS, OSS_PARTNERS)):
        municipality = Municipality.objects.filter(cbs_code=code).first()
        if municipality is not None:
            _load(municipality, data, actor=admin, created=created, existing=existing)
    if stdout is not None:
        stdout.write(
            f"Partners: {created['partners']} created with {created['offerings']} services, "
            f"{existing['partners']} already there.\n"
        )
    return created, existing
