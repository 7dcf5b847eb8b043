"""The demo log-ins: one account per role, plus a few colleagues for realism.

The e-mail addresses are fixed: the README and the browser tests log in with them.
Every demo account gets ``DEMO_PASSWORD`` when it is created (never afterwards).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from samenspraak.accounts.models import Role

DEMO_PASSWORD = "samenspraak-demo"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    organisation: str = ""
    # Only the functional administrator may open /admin/.
    is_superuser: bool = False

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


ADMIN_EMAIL = "beheerder@samenspraak.example"
PROCESS_OWNER_EMAIL = "medewerker@samenspraak.example"

DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount(
        ADMIN_EMAIL,
        "Fatima el Amrani",
        Role.ADMIN,
        "Gemeente (functioneel beheer)",
        is_superuser=True,
    ),
    DemoAccount(
        PROCESS_OWNER_EMAIL,
        "Joost van den Berg",
        Role.STAFF,
        "Gemeente, afdeling Ruimtelijke Ontwikkeling",
    ),
    DemoAccount(
        "begeleider@samenspraak.example",
        "Sanne Vos",
        Role.FACILITATOR,
        "Gemeente, afdeling Financiën",
    ),
    DemoAccount("comitelid@samenspraak.example", "Ahmed Yilmaz", Role.COMMITTEE_MEMBER),
    DemoAccount("partner@samenspraak.example", "Marieke de Groot", Role.PARTNER, "BrabantWonen"),
    DemoAccount("inwoner@samenspraak.example", "Kees Jansen", Role.RESIDENT),
    DemoAccount("raadslid@samenspraak.example", "Ingrid Bakker", Role.COUNCIL_MEMBER),
    DemoAccount("griffier@samenspraak.example", "Pieter Smit", Role.CLERK, "Griffie"),
    # Colleagues who own no demo process: they show what staff see of someone else's process.
    DemoAccount(
        "collega@samenspraak.example",
        "Lotte Hendriks",
        Role.STAFF,
        "Gemeente Zeist, afdeling Maatschappelijke Ontwikkeling",
    ),
    DemoAccount(
        "medewerker.purmerend@samenspraak.example",
        "Rachid Bouzid",
        Role.STAFF,
        "Gemeente Purmerend, afdeling Sociaal Domein",
    ),
    DemoAccount(
        "medewerker.oss@samenspraak.example",
        "Anouk van Dijk",
        Role.STAFF,
        "Gemeente Oss, afdeling Wijkgericht Werken",
    ),
]


class _Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


def print_login_table(stdout: _Writer) -> None:
    """Write the demo log-ins as a table (e-mail, role, password) to ``stdout``.

    ``stdout`` is a management command's ``self.stdout`` or any text stream.
    """
    header = ("E-mail", "Role", "Password")
    rows = [(a.email, a.role_label, DEMO_PASSWORD) for a in DEMO_ACCOUNTS]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    lines = [
        "Demo log-ins:",
        line(header).rstrip(),
        line("-" * w for w in widths),
        *(line(row).rstrip() for row in rows),
    ]
    stdout.write("\n".join(lines) + "\n")
