"""Demo committees: the eight expert committees of the Zeist budget dialogue and the lead
group (kopgroep) of Huis ter Heide, each drawn by lot from a generated pool, each guided by
a facilitator (Chef de Dossier) from another department than the one owning its theme.

Everything is written through ``samenspraak.committees.services``: pools are imported as
Sortition Foundation files, the draws use ``core.sortition`` with a fixed, stored seed, and
facilitators are assigned with ``core.assignment``. People are invented; the generator is
seeded, so every load makes the same pools and therefore the same draws.
"""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from samenspraak.accounts.models import Role
from samenspraak.committees import selectors, services
from samenspraak.committees.models import Committee, CommitteeKind, CommitteeStatus
from samenspraak.demo.accounts import DEMO_PASSWORD
from samenspraak.processes.models import Process

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ZEIST_SLUG = "bezuinigingsdialoog-zeist"
HTH_SLUG = "huis-ter-heide-pve"
FACILITATOR_EMAIL = "begeleider@samenspraak.example"
MEMBER_EMAIL = "comitelid@samenspraak.example"


class _Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


# --- facilitators: staff from every corner of the organisation ----------------------------


@dataclass(frozen=True)
class FacilitatorData:
    email: str
    full_name: str
    organisation: str


FACILITATORS: tuple[FacilitatorData, ...] = (
    # begeleider@ exists already (demo/accounts.py); listed here for the department only.
    FacilitatorData(FACILITATOR_EMAIL, "Sanne Vos", "Gemeente, afdeling Financiën"),
    FacilitatorData(
        "t.mulder@samenspraak.example", "Thomas Mulder", "Gemeente Zeist, afdeling Ruimte"
    ),
    FacilitatorData(
        "e.kaya@samenspraak.example",
        "Esra Kaya",
        "Gemeente Zeist, afdeling Maatschappelijke Ontwikkeling",
    ),
    FacilitatorData(
        "b.dewit@samenspraak.example", "Bram de Wit", "Gemeente Zeist, afdeling Economie"
    ),
    FacilitatorData(
        "n.hendriksen@samenspraak.example",
        "Noor Hendriksen",
        "Gemeente Zeist, afdeling Openbare Orde en Veiligheid",
    ),
    FacilitatorData(
        "m.amrani@samenspraak.example", "Mohamed Amrani", "Gemeente Zeist, afdeling Communicatie"
    ),
    FacilitatorData(
        "l.verbeek@samenspraak.example", "Linda Verbeek", "Gemeente Zeist, afdeling Burgerzaken"
    ),
    FacilitatorData(
        "j.bos@samenspraak.example",
        "Jeroen Bos",
        "Gemeente Zeist, afdeling Informatievoorziening",
    ),
    FacilitatorData(
        "h.visser@samenspraak.example",
        "Hanneke Visser",
        "Gemeente Zeist, afdeling Personeel en Organisatie",
    ),
    FacilitatorData(
        "d.kok@samenspraak.example", "Daan Kok", "Gemeente Zeist, afdeling Juridische Zaken"
    ),
    FacilitatorData(
        "y.peters@samenspraak.example",
        "Yvonne Peters",
        "Gemeente Zeist, afdeling Ruimtelijke Ontwikkeling",
    ),
)


# --- composition rules --------------------------------------------------------------------

ROLE, DISTRICT_PART, AGE, TENURE = "rol", "wijkdeel", "leeftijd", "woonsituatie"
ROLES = ("inwoner", "organisatie", "ondernemer")
ZEIST_PARTS = ("Centrum en West", "Noord", "Dorpen")
AGES = ("16-34", "35-59", "60+")
HTH_PARTS = ("Huis ter Heide-Noord", "Huis ter Heide-Zuid", "Bosch en Duin")
TENURES = ("eigenaar", "huurder")

# (feature, value, min, max) per committee size, for the Zeist expert committees.
_ZEIST_QUOTAS: dict[int, tuple[tuple[str, str, int, int], ...]] = {
    10: (
        (ROLE, "inwoner", 5, 7),
        (ROLE, "organisatie", 2, 3),
        (ROLE, "ondernemer", 1, 3),
        (DISTRICT_PART, "Centrum en West", 2, 4),
        (DISTRICT_PART, "Noord", 2, 4),
        (DISTRICT_PART, "Dorpen", 2, 4),
        (AGE, "16-34", 2, 4),
        (AGE, "35-59", 3, 5),
        (AGE, "60+", 2, 4),
    ),
    12: (
        (ROLE, "inwoner", 6, 8),
        (ROLE, "organisatie", 2, 4),
        (ROLE, "ondernemer", 2, 3),
        (DISTRICT_PART, "Centrum en West", 3, 5),
        (DISTRICT_PART, "Noord", 3, 5),
        (DISTRICT_PART, "Dorpen", 3, 5),
        (AGE, "16-34", 3, 5),
        (AGE, "35-59", 4, 6),
        (AGE, "60+", 3, 5),
    ),
    14: (
        (ROLE, "inwoner", 7, 9),
        (ROLE, "organisatie", 3, 4),
        (ROLE, "ondernemer", 2, 4),
        (DISTRICT_PART, "Centrum en West", 4, 6),
        (DISTRICT_PART, "Noord", 4, 6),
        (DISTRICT_PART, "Dorpen", 3, 5),
        (AGE, "16-34", 3, 5),
        (AGE, "35-59", 5, 7),
        (AGE, "60+", 3, 5),
    ),
}

_HTH_QUOTAS: tuple[tuple[str, str, int, int], ...] = (
    (AGE, "16-34", 2, 4),
    (AGE, "35-59", 3, 5),
    (AGE, "60+", 2, 4),
    (DISTRICT_PART, "Huis ter Heide-Noord", 3, 5),
    (DISTRICT_PART, "Huis ter Heide-Zuid", 3, 5),
    (DISTRICT_PART, "Bosch en Duin", 1, 3),
    (TENURE, "eigenaar", 5, 7),
    (TENURE, "huurder", 3, 6),
)

# How a pool is skewed: who signs up is never a mirror of the population.
_ZEIST_WEIGHTS = {
    ROLE: {"inwoner": 62, "organisatie": 24, "ondernemer": 14},
    DISTRICT_PART: {"Centrum en West": 46, "Noord": 30, "Dorpen": 24},
    AGE: {"16-34": 18, "35-59": 42, "60+": 40},
}
_HTH_WEIGHTS = {
    AGE: {"16-34": 15, "35-59": 40, "60+": 45},
    DISTRICT_PART: {"Huis ter Heide-Noord": 45, "Huis ter Heide-Zuid": 40, "Bosch en Duin": 15},
    TENURE: {"eigenaar": 72, "huurder": 28},
}


@dataclass(frozen=True)
class CommitteeData:
    process_slug: str
    theme_name: str
    name: str
    slug: str
    kind: str
    size: int
    mandate: str
    deliver_by: date
    applications_open: date
    applications_close: date
    seed: int
    pool_size: int


def _zeist(theme: str, slug: str, size: int, seed: int, mandate: str) -> CommitteeData:
    return CommitteeData(
        process_slug=ZEIST_SLUG,
        theme_name=theme,
        name=f"Expertcomité {theme}",
        slug=f"zeist-{slug}",
        kind=CommitteeKind.EXPERT_COMMITTEE,
        size=size,
        mandate=mandate
        + " Elk voorstel noemt wat het per jaar oplevert (structureel en incidenteel) en wie "
        "er iets van merkt. Het comité blijft binnen de kaders van de raad.",
        deliver_by=date(2027, 1, 22),
        applications_open=date(2026, 9, 7),
        applications_close=date(2026, 9, 25),
        seed=seed,
        pool_size=size * 3 + 4,
    )


COMMITTEES: tuple[CommitteeData, ...] = (
    _zeist(
        "Zorg en welzijn",
        "zorg-en-welzijn",
        14,
        402911,
        "Het comité bedenkt 4 tot 8 voorstellen om zorg en welzijn slimmer te organiseren, "
        "zodat de gemeente bespaart en inwoners de steun houden die zij nodig hebben.",
    ),
    _zeist(
        "Jeugd en onderwijs",
        "jeugd-en-onderwijs",
        12,
        517306,
        "Het comité bedenkt 4 tot 8 voorstellen voor jongerenwerk, onderwijshuisvesting en "
        "leerlingenvervoer.",
    ),
    _zeist(
        "Sport en cultuur",
        "sport-en-cultuur",
        10,
        638254,
        "Het comité bedenkt 4 tot 8 voorstellen voor sportaccommodaties, de bibliotheek en "
        "culturele activiteiten.",
    ),
    _zeist(
        "Openbare ruimte en groen",
        "openbare-ruimte-en-groen",
        12,
        745120,
        "Het comité bedenkt 4 tot 8 voorstellen voor het onderhoud van straten, parken, "
        "bomen en speelplekken.",
    ),
    _zeist(
        "Economie en toerisme",
        "economie-en-toerisme",
        12,
        853467,
        "Het comité bedenkt 4 tot 8 voorstellen voor winkelcentra, markten, ondernemers en "
        "bezoekers.",
    ),
    _zeist(
        "Wonen",
        "wonen",
        12,
        961038,
        "Het comité bedenkt 4 tot 8 voorstellen voor woningbouw, duurzaam wonen en wonen met zorg.",
    ),
    _zeist(
        "Veiligheid",
        "veiligheid",
        10,
        184625,
        "Het comité bedenkt 4 tot 8 voorstellen voor toezicht, handhaving en veilige wijken.",
    ),
    _zeist(
        "Dienstverlening en bedrijfsvoering",
        "dienstverlening-en-bedrijfsvoering",
        12,
        293771,
        "Het comité bedenkt 4 tot 8 voorstellen voor het gemeentehuis, digitale "
        "dienstverlening, huisvesting en inkoop.",
    ),
    CommitteeData(
        process_slug=HTH_SLUG,
        theme_name="Programma van Eisen",
        name="Kopgroep Huis ter Heide",
        slug="kopgroep-huis-ter-heide",
        kind=CommitteeKind.LEAD_GROUP,
        size=11,
        mandate=(
            "De kopgroep schrijft het Programma van Eisen voor de nieuwe woonwijk. Zij "
            "behandelt alle verplichte onderwerpen: milieu, bereikbaarheid, voorzieningen, "
            "groen, parkeren, woontypen en uitstraling. Bij elke eis staan de prioriteit, "
            "een norm waar die meetbaar is en een kostenraming. Het plan blijft binnen de "
            "financiële bandbreedte van de raad."
        ),
        deliver_by=date(2027, 1, 29),
        applications_open=date(2026, 10, 5),
        applications_close=date(2026, 10, 23),
        seed=571903,
        pool_size=38,
    ),
)

# Ahmed Yilmaz (comitelid@) works for a welfare organisation and was invited to this one.
INVITED_MEMBER = {
    "committee": "zeist-zorg-en-welzijn",
    "answers": {ROLE: "organisatie", DISTRICT_PART: "Noord", AGE: "35-59"},
}
# In this committee one drawn member declined the seat (staff recorded it after a phone
# call) and a replacement draw (aanvullende loting) filled it, with its own public seed.
SEAT_DECLINE = {
    "committee": "zeist-jeugd-en-onderwijs",
    "reason": "Belde op: verhuist in het voorjaar naar Utrecht en kan niet meer meedoen.",
    "seed": 517307,
}
# Sanne Vos (begeleider@) is fixed to this committee by staff, with a reason.
FACILITATOR_OVERRIDE = {
    "committee": "zeist-zorg-en-welzijn",
    "reason": "Sanne Vos begeleidde in 2021 het inwonerspanel Samen in Balans en kent de "
    "partners in zorg en welzijn, zonder er zelf verantwoordelijk voor te zijn.",
}


# --- a realistic, invented pool -----------------------------------------------------------

_FIRST_NAMES = (
    "Anna", "Bas", "Chantal", "Daan", "Eva", "Fenna", "Gijs", "Hatice", "Ilse", "Jesse",
    "Karim", "Lieke", "Mila", "Niels", "Olga", "Pim", "Roos", "Sem", "Tessa", "Umut",
    "Vera", "Wouter", "Yara", "Zoë", "Aisha", "Bart", "Cor", "Dewi", "Emre", "Floor",
    "Gerda", "Henk", "Ingrid", "Joris", "Kim", "Lars", "Marloes", "Nadia", "Otto", "Priya",
)  # fmt: skip
_LAST_NAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
    "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
    "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
    "de Graaf", "van der Meer", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel",
    "Öztürk", "El Idrissi", "Wijaya", "Tahiri", "Koster", "Prins", "Huisman", "Kuipers",
)  # fmt: skip
_STREETS = (
    "Slotlaan", "Jagerlaan", "Kerckebosselaan", "Laan van Vollenhove", "Boulevard",
    "Van Reenenweg", "Amersfoortseweg", "Woudenbergseweg", "Dolderseweg", "Tiendweg",
)  # fmt: skip


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    values = list(weights)
    return rng.choices(values, weights=[weights[v] for v in values])[0]


def generate_pool(data: CommitteeData, quotas: tuple[tuple[str, str, int, int], ...]) -> str:
    """A people file (Sortition Foundation format) for ``data``, the same on every load.

    The pool is skewed like real sign-ups, but holds at least min + 2 people of every
    group, so the quotas can be met. A few pairs share a household.
    """
    weights = _ZEIST_WEIGHTS if data.process_slug == ZEIST_SLUG else _HTH_WEIGHTS
    features = list(dict.fromkeys(q[0] for q in quotas))
    need = {(f, v): low + 2 for f, v, low, _high in quotas}
    attempt = 0
    while True:
        rng = random.Random(data.seed * 1000 + attempt)
        people = [{f: _weighted(rng, weights[f]) for f in features} for _ in range(data.pool_size)]
        counts = Counter((f, p[f]) for p in people for f in features)
        if all(counts[key] >= n for key, n in need.items()):
            break
        attempt += 1
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "naam", "email", *features, "huishouden"])
    used: set[str] = set()
    previous = ""
    for number, answers in enumerate(people, start=1):
        while True:
            name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
            if name not in used:
                used.add(name)
                break
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        local = ascii_name.lower().replace(" ", ".")
        household = f"{rng.choice(_STREETS)} {rng.randint(1, 180)}"
        if number % 9 == 0:
            household = previous  # lives with the person on the line before
        previous = household
        writer.writerow(
            [
                f"{data.slug[:3]}{number:03d}",
                name,
                f"{local}@voorbeeld.example",
                *(answers[f] for f in features),
                household,
            ]
        )
    return out.getvalue()


# --- meetings and messages ----------------------------------------------------------------


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def _meetings(data: CommitteeData) -> list[dict]:
    start = date(2026, 11, 3) if data.process_slug == ZEIST_SLUG else date(2026, 11, 5)
    place = (
        "Gemeentehuis Zeist, Het Rond 1, zaal De Brink"
        if data.process_slug == ZEIST_SLUG
        else "Dorpshuis Huis ter Heide"
    )
    return [
        {
            "title": "Startbijeenkomst",
            "starts_at": _at(start, 19, 30),
            "ends_at": _at(start, 21, 30),
            "location": place,
            "agenda": "1. Welkom en kennismaking\n2. De kaders van de raad\n"
            "3. Afspraken over hoe we samenwerken\n4. Planning",
            "minutes": "Alle leden waren aanwezig. De Chef de Dossier legde de kaders uit. "
            "We spraken af elke vier weken bij elkaar te komen en tussendoor via de "
            "werkruimte te overleggen.",
        },
        {
            "title": "Eerste ideeën",
            "starts_at": _at(start + timedelta(weeks=4), 19, 30),
            "ends_at": _at(start + timedelta(weeks=4), 21, 30),
            "location": place,
            "agenda": "1. Ideeën uit de werkruimte\n2. Wat levert elk idee per jaar op?\n"
            "3. Wie merkt er iets van?",
            "minutes": "",
        },
        {
            "title": "Voorstellen afronden",
            "starts_at": _at(start + timedelta(weeks=9), 19, 30),
            "ends_at": _at(start + timedelta(weeks=9), 21, 30),
            "location": place,
            "agenda": "1. Voorstellen langs de kaders\n2. Afronden en inleveren",
            "minutes": "",
        },
    ]


_MESSAGES = (
    "Ik heb de cijfers van de wijkteams bekeken. Kunnen we de inloopspreekuren niet "
    "samenvoegen met die van de bibliotheek? Dan blijven ze wel bereikbaar in de dorpen.",
    "Ik zet een eerste opzet voor dit voorstel klaar voor de volgende bijeenkomst.",
)


# --- knowledge network --------------------------------------------------------------------

NETWORK: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Marieke Hoekstra", "m.hoekstra@voorbeeld.example", ("Zorg en welzijn",), ("Zeist-Noord",)),
    ("Joost Vermeer", "j.vermeer@voorbeeld.example", ("Wonen", "Openbare ruimte en groen"),
     ("Huis ter Heide",)),
    ("Fatma Yildiz", "f.yildiz@voorbeeld.example", ("Jeugd en onderwijs", "Sport en cultuur"),
     ("Zeist-West",)),
    ("Hans Willems", "h.willems@voorbeeld.example", ("Economie en toerisme",), ("Zeist-Centrum",)),
    ("Sophie van Rijn", "s.vanrijn@voorbeeld.example", ("Zorg en welzijn", "Wonen"),
     ("Den Dolder",)),
    ("Kevin Lie", "k.lie@voorbeeld.example", ("Veiligheid",), ("Austerlitz", "Zeist-Noord")),
)  # fmt: skip


# --- loading ------------------------------------------------------------------------------


def _facilitator_accounts(counts: Counter[str]) -> dict[str, object]:
    users = {}
    model = get_user_model()
    password_hash = None
    for data in FACILITATORS:
        user = model.objects.filter(email=data.email).first()
        if user is None:
            user = model.objects.create_user(
                data.email,
                None,
                full_name=data.full_name,
                role=Role.FACILITATOR,
                organisation=data.organisation,
            )
            # Hashing is slow on purpose; ten demo accounts share one hash of one password.
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user.password = password_hash
            user.save(update_fields=["password"])
            counts["facilitators"] += 1
        users[data.email] = user
    return users


def _quota_rows(data: CommitteeData) -> list[dict]:
    quotas = _ZEIST_QUOTAS[data.size] if data.process_slug == ZEIST_SLUG else _HTH_QUOTAS
    return [{"feature": f, "value": v, "minimum": lo, "maximum": hi} for f, v, lo, hi in quotas]


def _load_committee(data: CommitteeData, *, actor, process: Process) -> Committee:
    theme = process.themes.get(name=data.theme_name)
    quotas = _quota_rows(data)
    committee = services.committee_create(
        actor=actor,
        process=process,
        slug=data.slug,
        data={
            "name": data.name,
            "kind": data.kind,
            "theme": theme,
            "size": data.size,
            "mandate": data.mandate,
            "deliver_by": data.deliver_by,
            "applications_open": data.applications_open,
            "applications_close": data.applications_close,
        },
        quotas=quotas,
    )
    services.committee_set_seed(actor=actor, committee=committee, seed=data.seed)
    pool = generate_pool(
        data, tuple((q["feature"], q["value"], q["minimum"], q["maximum"]) for q in quotas)
    )
    services.pool_import(
        actor=actor, committee=committee, text=pool, filename=f"{data.slug}-aanmeldingen.csv"
    )
    if data.slug == INVITED_MEMBER["committee"]:
        member = get_user_model().objects.get(email=MEMBER_EMAIL)
        services.member_invite(
            actor=actor,
            committee=committee,
            full_name=member.full_name,
            email=member.email,
            answers=INVITED_MEMBER["answers"],
        )
    draw = services.committee_draw(actor=actor, committee=committee, seed=data.seed)
    if data.slug == SEAT_DECLINE["committee"]:
        # The first drawn applicant (in pool order) declines; a replacement draw follows.
        declined = committee.applications.get(number=int(min(draw.selected, key=int)))
        services.seat_decline(application=declined, actor=actor, reason=SEAT_DECLINE["reason"])
        committee.refresh_from_db()
        services.committee_set_seed(actor=actor, committee=committee, seed=SEAT_DECLINE["seed"])
        services.committee_draw(actor=actor, committee=committee, seed=SEAT_DECLINE["seed"])
    return committee


def _run_committee(committee: Committee, *, facilitator, members) -> None:
    """The first weeks of a committee: its facilitator schedules meetings and moves it on."""
    services.committee_advance(actor=facilitator, committee=committee)
    assert committee.status == CommitteeStatus.DRAFTING
    data = next(d for d in COMMITTEES if d.slug == committee.slug)
    for row in _meetings(data):
        minutes = row.pop("minutes")
        meeting = services.meeting_schedule(actor=facilitator, committee=committee, data=row)
        if minutes:
            services.meeting_update(
                actor=facilitator,
                meeting=meeting,
                data={"minutes": minutes},
                publish_minutes=True,
            )
    if members:
        for number, body in enumerate(_MESSAGES):
            services.message_post(
                actor=members[number % len(members)], committee=committee, body=body
            )


def load_committees(*, admin, stdout: _Writer | None = None) -> tuple[Counter[str], Counter[str]]:
    """Create the demo committees that are missing; returns (created, existing) counts."""
    created: Counter[str] = Counter()
    existing: Counter[str] = Counter()
    users = _facilitator_accounts(created)
    existing["facilitators"] += len(FACILITATORS) - created["facilitators"]
    by_process: dict[str, list[Committee]] = {}
    for data in COMMITTEES:
        process = Process.objects.filter(slug=data.process_slug).first()
        if process is None:
            continue
        if Committee.objects.filter(slug=data.slug).exists():
            existing["committees"] += 1
            continue
        committee = _load_committee(data, actor=admin, process=process)
        by_process.setdefault(process.slug, []).append(committee)
        created["committees"] += 1
        if stdout is not None:
            stdout.write(f"Committee '{data.slug}' created and drawn.\n")
    for slug, committees in by_process.items():
        process = Process.objects.get(slug=slug)
        for committee in committees:
            if committee.slug == FACILITATOR_OVERRIDE["committee"]:
                services.facilitator_override(
                    actor=admin,
                    committee=committee,
                    facilitator=users[FACILITATOR_EMAIL],
                    reason=FACILITATOR_OVERRIDE["reason"],
                )
        services.facilitators_assign(actor=admin, process=process)
        for committee in committees:
            committee.refresh_from_db()
            facilitator = committee.memberships.filter(role="facilitator").first().user
            members = [
                m.user for m in committee.memberships.filter(role="member", user__isnull=False)
            ]
            _run_committee(committee, facilitator=facilitator, members=members)
    for name, email, themes, districts in NETWORK:
        if selectors.knowledge_network_entry_for(email=email) is not None:
            existing["network"] += 1
            continue
        services.knowledge_network_opt_in(
            email=email,
            name=name,
            themes=themes,
            districts=districts,
            process=Process.objects.filter(slug=ZEIST_SLUG).first(),
            notify=False,  # invented addresses: no mail
        )
        created["network"] += 1
    return created, existing
