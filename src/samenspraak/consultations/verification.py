"""Who may vote, once: voting codes, one-time e-mail links and OpenID Connect log-in.

Every verified person becomes a ``Voter`` with a ``key``: a keyed hash (HMAC-SHA256 with
``settings.VOTER_KEY_PEPPER``) of the code, the normalised e-mail address or the OpenID
Connect issuer and subject, together with the consultation's id. The key holds no personal
data, differs per consultation (so ballots cannot be linked across consultations), and a
leaked database does not give the e-mail addresses or codes back without the pepper.

- **Voting codes** (stemcodes): 12 characters from an alphabet without look-alikes (no 0/O,
  1/I/L), about 59 bits of chance, shown in groups of four (``ABCD-EFGH-JKMN``). Only the
  keyed hash is stored; the codes exist in clear only in the one CSV download for the mail
  merge. Typing is forgiving: case, spaces and dashes do not matter. Guessing is hopeless:
  with 100,000 codes out, a million guesses find one with a chance of about 1 in 8 million.
- **E-mail links**: the voter gives an address, the platform mails a link with a random token
  (only its SHA-256 is stored) that expires after ``CONSULTATION_EMAIL_LINK_HOURS`` and works
  once: one conditional UPDATE marks it used, so of two parallel clicks exactly one wins.
- **OpenID Connect** (a DigiD/eHerkenning broker): mozilla-django-oidc does the
  authorization-code flow (state, nonce, PKCE, token exchange, signature check); the
  issuer and ``sub`` of the verified ID token make the key. No user account is made.

A verified voter is remembered in the session per consultation until the voter stops or the
session ends (``remember`` / ``voter_in_session`` / ``forget``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspraak.consultations.models import Consultation, EmailLink, Verification, VotingCode

# Codes -------------------------------------------------------------------------------------

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 characters: no 0/O, 1/I/L look-alikes
CODE_LENGTH = 12
GROUP = 4
_IGNORED = str.maketrans("", "", " -._\t\u00a0")


def new_code() -> str:
    """A fresh random code (without grouping), from the operating system's random source."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """``ABCDEFGHJKMN`` as it is printed: ``ABCD-EFGH-JKMN``."""
    code = normalise_code(code)
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(text: str) -> str:
    """What the voter typed, without case, spaces, dashes or dots."""
    return (text or "").translate(_IGNORED).upper()


def looks_like_code(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


# Keyed hashes ------------------------------------------------------------------------------


def _pepper() -> bytes:
    return settings.VOTER_KEY_PEPPER.encode()


def keyed_hash(*parts: object) -> str:
    """HMAC-SHA256 of the parts (joined by a separator no part contains), as 64 hex digits."""
    message = "\x1f".join(str(p) for p in parts).encode()
    return hmac.new(_pepper(), message, hashlib.sha256).hexdigest()


def code_hash(consultation_id: int, code: str) -> str:
    return keyed_hash("code", consultation_id, normalise_code(code))


def normalise_email(email: str) -> str:
    """Addresses are compared without surrounding spaces and case."""
    return (email or "").strip().lower()


def email_hash(consultation_id: int, email: str) -> str:
    return keyed_hash("email", consultation_id, normalise_email(email))


def token_hash(token: str) -> str:
    """A link token has 256 random bits: a plain SHA-256 is enough to hide it."""
    return hashlib.sha256((token or "").encode()).hexdigest()


CODE_PREFIX, EMAIL_PREFIX, OIDC_PREFIX = "code:", "mail:", "oidc:"


def oidc_voter_key(consultation_id: int, issuer: str, subject: str) -> str:
    return OIDC_PREFIX + keyed_hash("oidc", consultation_id, issuer, subject)


@dataclass(frozen=True)
class Voter:
    """A verified voter of one consultation. ``district_id`` is set when the address list
    decided the district (voting codes); otherwise the voter says it on the ballot."""

    key: str
    method: str
    district_id: int | None = None


# The session -------------------------------------------------------------------------------

SESSION_KEY = "consultation_voters"


def remember(request, consultation: Consultation, voter: Voter) -> None:
    """Keep ``voter`` in the session for this consultation (a new session id: no fixation)."""
    if request.session.session_key:
        request.session.cycle_key()
    voters = dict(request.session.get(SESSION_KEY, {}))
    voters[str(consultation.pk)] = {
        "key": voter.key,
        "method": voter.method,
        "district": voter.district_id,
    }
    request.session[SESSION_KEY] = voters


def voter_in_session(request, consultation: Consultation) -> Voter | None:
    entry = request.session.get(SESSION_KEY, {}).get(str(consultation.pk))
    if not entry or entry.get("method") != consultation.verification:
        return None
    return Voter(key=entry["key"], method=entry["method"], district_id=entry.get("district"))


def forget(request, consultation: Consultation) -> None:
    voters = dict(request.session.get(SESSION_KEY, {}))
    if voters.pop(str(consultation.pk), None) is not None:
        request.session[SESSION_KEY] = voters


# Voting codes ------------------------------------------------------------------------------


def verify_code(consultation: Consultation, code: str) -> Voter:
    """The voter of ``code``, or a ``ValidationError`` on the field ``code``."""
    if consultation.verification != Verification.CODE:
        raise ValidationError({"code": _("This vote does not use voting codes.")})
    cleaned = normalise_code(code)
    if not cleaned:
        raise ValidationError({"code": _("Fill in your voting code. It is in your letter.")})
    if not looks_like_code(cleaned):
        raise ValidationError(
            {
                "code": _(
                    "This is not a voting code. A voting code has %(length)s letters and "
                    "digits, for example ABCD-EFGH-JKMN. Check the code in your letter."
                )
                % {"length": CODE_LENGTH}
            }
        )
    hashed = code_hash(consultation.pk, cleaned)
    row = (
        VotingCode.objects.filter(consultation=consultation, code_hash=hashed)
        .values("district_id")
        .first()
    )
    if row is None:
        raise ValidationError(
            {
                "code": _(
                    "We do not know this voting code for this vote. Check the code in your "
                    "letter. Is it a letter for another vote?"
                )
            }
        )
    return Voter(key=CODE_PREFIX + hashed, method=Verification.CODE, district_id=row["district_id"])


@dataclass(frozen=True)
class AddressRow:
    """One line of the address list (for the mail merge); never stored."""

    line: int
    cells: Mapping[str, str]
    address: str
    postcode: str
    district: str


# Column names the address list may use (Dutch and English, any case).
ADDRESS_COLUMNS = {
    "address": ("adres", "address", "straat en huisnummer", "straat"),
    "postcode": ("postcode", "postal code", "postal_code", "zip"),
    "district": ("wijk", "district", "buurt", "kern", "neighbourhood", "neighborhood"),
}


def parse_address_list(text: str, filename: str) -> tuple[list[str], list[AddressRow]]:
    """The header and the rows of an address list CSV: columns for the address, the postcode
    and (optionally) the district, plus any others (kept for the mail merge).

    A mistake raises ``ValidationError`` naming the line; nothing is read then.
    """
    from samenspraak.common.adapters import InputError
    from samenspraak.core.csvfiles import csv_rows

    try:
        header, rows = csv_rows(text, filename)
    except InputError as exc:
        raise ValidationError(_("The file %(file)s is empty.") % {"file": filename}) from exc
    lowered = [h.strip().lower() for h in header]
    where: dict[str, int] = {}
    for name, options in ADDRESS_COLUMNS.items():
        for option in options:
            if option in lowered:
                where[name] = lowered.index(option)
                break
    missing = [n for n in ("address", "postcode") if n not in where]
    if missing:
        raise ValidationError(
            _(
                "Line 1 of %(file)s: the columns “adres” (address) and “postcode” are needed. "
                "Found: %(found)s."
            )
            % {"file": filename, "found": ", ".join(header) or "-"}
        )
    if len(set(header)) != len(header):
        raise ValidationError(
            _("Line 1 of %(file)s: two columns have the same name.") % {"file": filename}
        )
    result: list[AddressRow] = []
    for line, cells in rows:
        if len(cells) > len(header):
            raise ValidationError(
                _(
                    "Line %(line)s of %(file)s: %(found)s cells, but the first line names "
                    "%(expected)s columns. Nothing was imported."
                )
                % {"line": line, "file": filename, "found": len(cells), "expected": len(header)}
            )
        cells = cells + [""] * (len(header) - len(cells))
        address = cells[where["address"]]
        postcode = cells[where["postcode"]]
        district = cells[where["district"]] if "district" in where else ""
        if not address:
            raise ValidationError(
                _("Line %(line)s of %(file)s: the address is empty. Nothing was imported.")
                % {"line": line, "file": filename}
            )
        if not postcode:
            raise ValidationError(
                _("Line %(line)s of %(file)s: the postcode is empty. Nothing was imported.")
                % {"line": line, "file": filename}
            )
        result.append(
            AddressRow(
                line=line,
                cells=dict(zip(header, cells, strict=True)),
                address=address,
                postcode=postcode,
                district=district,
            )
        )
    if not result:
        raise ValidationError(
            _("The file %(file)s has no addresses under the first line.") % {"file": filename}
        )
    seen: dict[tuple[str, str], int] = {}
    for row in result:
        key = (" ".join(row.address.lower().split()), row.postcode.replace(" ", "").upper())
        if key in seen:
            raise ValidationError(
                _(
                    "Line %(line)s of %(file)s: this address is also on line %(first)s. One "
                    "code per address. Nothing was imported."
                )
                % {"line": row.line, "file": filename, "first": seen[key]}
            )
        seen[key] = row.line
    return header, result


# E-mail links ------------------------------------------------------------------------------


def link_hours() -> int:
    return int(settings.CONSULTATION_EMAIL_LINK_HOURS)


def request_email_link(
    *, consultation: Consultation, email: str, link_for: Callable[[str], str], now=None
) -> EmailLink:
    """Mail a one-time link to ``email``; ``link_for(token)`` is the link's absolute address.
    The address itself is not stored, only its keyed hash.

    The answer does not say whether this address has voted already: the mail does not
    either, so nobody learns that about someone else's address.
    """
    if consultation.verification != Verification.EMAIL:
        raise ValidationError({"email": _("This vote does not use e-mail links.")})
    email = normalise_email(email)
    if not email:
        raise ValidationError({"email": _("Fill in your e-mail address.")})
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": _("This is not an e-mail address. Write it like name@example.nl.")}
        ) from exc
    now = now or timezone.now()
    if not consultation.is_open(now):
        raise ValidationError(_("You cannot vote now: the vote is not open."))
    hashed = email_hash(consultation.pk, email)
    recent = EmailLink.objects.filter(
        consultation=consultation, email_hash=hashed, created_at__gte=now - timedelta(hours=1)
    ).count()
    if recent >= settings.CONSULTATION_EMAIL_LINKS_PER_HOUR:
        raise ValidationError(
            {
                "email": _(
                    "We have sent several links to this address in the last hour. Use the "
                    "newest link in your mail, or try again later."
                )
            }
        )
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=link_hours())
    link = EmailLink.objects.create(
        consultation=consultation,
        email_hash=hashed,
        token_hash=token_hash(token),
        expires_at=expires,
    )
    subject = _("Your link to vote: %(title)s") % {"title": consultation.title}
    body = _(
        "Hello,\n\n"
        "You asked for a link to vote in “%(title)s”. Use this link to vote:\n\n"
        "%(link)s\n\n"
        "The link works once and for %(hours)s hours. Do you want to change your vote "
        "later? Ask for a new link on the website. Your new vote then replaces the old one.\n\n"
        "Did you not ask for this? Then you can ignore this e-mail."
    ) % {"title": consultation.title, "link": link_for(token), "hours": link_hours()}
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)
    )
    return link


def email_link_state(consultation: Consultation, token: str, now=None) -> str:
    """``valid``, ``used``, ``expired`` or ``unknown``, without using the link."""
    now = now or timezone.now()
    link = EmailLink.objects.filter(consultation=consultation, token_hash=token_hash(token)).first()
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    if link.expires_at <= now:
        return "expired"
    return "valid"


def link_refusal(state: str) -> str:
    if state == "used":
        return _(
            "This link has already been used. A link works once. Ask for a new link to vote "
            "or to change your vote."
        )
    if state == "expired":
        return _("This link has expired. Ask for a new link to vote.")
    return _("We do not know this link. Copy the whole link from your mail, or ask for a new one.")


def open_email_link(*, consultation: Consultation, token: str, now=None) -> Voter:
    """Use the link once: one conditional UPDATE marks it used, so of any number of parallel
    openings exactly one gets the voter; the others get a ``ValidationError``."""
    now = now or timezone.now()
    hashed = token_hash(token)
    won = EmailLink.objects.filter(
        consultation=consultation, token_hash=hashed, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if won != 1:
        raise ValidationError(link_refusal(email_link_state(consultation, token, now)))
    voter_hash = (
        EmailLink.objects.filter(token_hash=hashed).values_list("email_hash", flat=True).get()
    )
    return Voter(key=EMAIL_PREFIX + voter_hash, method=Verification.EMAIL)


# OpenID Connect ----------------------------------------------------------------------------


def oidc_enabled() -> bool:
    """OpenID Connect is offered only when the environment configures a provider."""
    return bool(getattr(settings, "OIDC_VOTING_ENABLED", False))


def oidc_provider_name() -> str:
    return getattr(settings, "OIDC_PROVIDER_NAME", "") or "OpenID Connect"


def oidc_backend():
    """mozilla-django-oidc's backend, used only for the token exchange and the signature and
    nonce checks: it returns the verified ID token's claims instead of a user account."""
    from mozilla_django_oidc.auth import OIDCAuthenticationBackend

    class VoterClaimsBackend(OIDCAuthenticationBackend):
        def get_or_create_user(self, access_token, id_token, payload):
            return dict(payload)

        def store_tokens(self, access_token, id_token):
            return None  # a voter's tokens are not kept

    return VoterClaimsBackend()


def voter_from_claims(consultation: Consultation, claims: Mapping[str, Any]) -> Voter:
    """The voter of a verified ID token's claims: issuer + ``sub``. The issuer must be the
    configured one (``OIDC_OP_ISSUER``, when set) and the token meant for this client."""
    issuer = str(claims.get("iss") or "")
    subject = str(claims.get("sub") or "")
    expected = getattr(settings, "OIDC_OP_ISSUER", "")
    if not issuer or not subject:
        raise ValidationError(_("The log-in did not say who you are. Please try again."))
    if expected and issuer != expected:
        raise ValidationError(_("The log-in came from an unknown provider. Please try again."))
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if settings.OIDC_RP_CLIENT_ID not in audiences:
        raise ValidationError(_("The log-in was not meant for this website. Please try again."))
    return Voter(
        key=oidc_voter_key(consultation.pk, issuer, subject),
        method=Verification.OIDC,
    )
