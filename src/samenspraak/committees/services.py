"""Every write to committees, applications, draws, members, meetings and the network.

Each service checks permission, validates before it writes (nothing partial is stored),
runs in one transaction and records an audit event. Draws go through ``adapters`` to
``samenspraak.core.sortition``; facilitator assignment to ``samenspraak.core.assignment``.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samenspraak.accounts.models import Role
from samenspraak.committees import adapters, documents, selectors
from samenspraak.committees.models import (
    Application,
    ApplicationSource,
    ApplicationStatus,
    Committee,
    CommitteeDocument,
    CommitteeStatus,
    DocumentCategory,
    Draw,
    KnowledgeNetworkDistrict,
    KnowledgeNetworkEntry,
    KnowledgeNetworkRequest,
    KnowledgeNetworkTheme,
    Meeting,
    MemberRole,
    Membership,
    MembershipSource,
    Message,
    Quota,
)
from samenspraak.common.audit import audit_record, model_changes
from samenspraak.common.throttle import throttle_hit

COMMITTEE_FIELDS = (
    "name",
    "kind",
    "theme",
    "size",
    "mandate",
    "deliver_by",
    "applications_open",
    "applications_close",
    "facilitators_needed",
)
MEETING_FIELDS = ("title", "starts_at", "ends_at", "location", "agenda", "minutes")
# Large enough that nobody can guess it in advance, short enough to read out at a meeting.
SEED_RANGE = (100_000, 999_999)
MAX_SEED = 2_147_483_647
# The window of the mail rate limits (settings *_PER_HOUR).
MAIL_WINDOW = timedelta(hours=1)


def _require(actor, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _audit(actor, action: str, obj, committee: Committee, changes=None) -> None:
    audit_record(
        actor=actor, action=action, obj=obj, process_id=committee.process_id, changes=changes
    )


def new_seed() -> int:
    """A fresh public seed for a draw. ``secrets``: it must not be predictable before."""
    low, high = SEED_RANGE
    return low + secrets.randbelow(high - low + 1)


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "comite"
    slug, n = base, 2
    qs = Committee.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- committees and quotas -----------------------------------------------------------------


def _check_quotas(size: int, quotas: Sequence[Mapping[str, Any]]) -> None:
    """Obvious mistakes in a composition rule, named per row; the draw checks the rest."""
    errors = []
    seen: set[tuple[str, str]] = set()
    per_feature_min: Counter[str] = Counter()
    per_feature_max: Counter[str] = Counter()
    for number, row in enumerate(quotas, start=1):
        feature, value = row["feature"].strip(), row["value"].strip()
        key = (feature.lower(), value.lower())
        if key in seen:
            errors.append(
                _("Quota %(n)s: %(feature)s = %(value)s is already in the list.")
                % {"n": number, "feature": feature, "value": value}
            )
        seen.add(key)
        if row["minimum"] > row["maximum"]:
            errors.append(_("Quota %(n)s: the minimum is higher than the maximum.") % {"n": number})
        per_feature_min[feature] += row["minimum"]
        per_feature_max[feature] += row["maximum"]
    for feature, total in per_feature_min.items():
        if total > size:
            errors.append(
                _(
                    "The minimums for “%(feature)s” add up to %(total)s, more than the "
                    "%(size)s seats."
                )
                % {"feature": feature, "total": total, "size": size}
            )
    for feature, total in per_feature_max.items():
        if total < size:
            errors.append(
                _(
                    "The maximums for “%(feature)s” add up to %(total)s, fewer than the "
                    "%(size)s seats."
                )
                % {"feature": feature, "total": total, "size": size}
            )
    if errors:
        raise ValidationError(errors)


def _write_quotas(committee: Committee, quotas: Sequence[Mapping[str, Any]]) -> None:
    committee.quotas.all().delete()
    Quota.objects.bulk_create(
        [
            Quota(
                committee=committee,
                position=i,
                feature=row["feature"].strip(),
                value=row["value"].strip(),
                minimum=row["minimum"],
                maximum=row["maximum"],
            )
            for i, row in enumerate(quotas)
        ]
    )


def _check_theme(process, theme) -> None:
    if theme is not None and theme.process_id != process.pk:
        raise ValidationError({"theme": _("This theme belongs to another process.")})


@transaction.atomic
def committee_create(
    *,
    actor,
    process,
    data: Mapping[str, Any],
    quotas: Sequence[Mapping[str, Any]] = (),
    slug: str | None = None,
) -> Committee:
    """A committee of ``process`` with its composition rule; a public seed is set at once."""
    _require(actor, "committees.add_committee", process)
    fields = {k: v for k, v in data.items() if k in COMMITTEE_FIELDS}
    _check_theme(process, fields.get("theme"))
    _check_quotas(fields.get("size") or 0, quotas)
    committee = Committee(
        process=process, slug=slug or _unique_slug(fields["name"]), draw_seed=new_seed(), **fields
    )
    committee.full_clean()
    committee.save()
    _write_quotas(committee, quotas)
    _audit(
        actor,
        "committee_create",
        committee,
        committee,
        {"quotas": [f"{q['feature']}={q['value']}" for q in quotas]},
    )
    return committee


@transaction.atomic
def committee_update(
    *,
    actor,
    committee: Committee,
    data: Mapping[str, Any],
    quotas: Sequence[Mapping[str, Any]] | None = None,
) -> Committee:
    """Change what the committee is for and how it is composed (staff only, never the
    facilitator: the mandate is content). Quotas are fixed once a draw has been made."""
    _require(actor, "committees.change_content", committee)
    fields = {k: v for k, v in data.items() if k in COMMITTEE_FIELDS}
    _check_theme(committee.process, fields.get("theme", committee.theme))
    changes = model_changes(committee, fields)
    for name, value in fields.items():
        setattr(committee, name, value)
    committee.full_clean()
    if quotas is not None:
        before = [(q.feature, q.value, q.minimum, q.maximum) for q in committee.quotas.all()]
        after = [
            (r["feature"].strip(), r["value"].strip(), r["minimum"], r["maximum"]) for r in quotas
        ]
        if before != after:
            if committee.draws.exists():
                raise ValidationError(
                    _("The quotas cannot change any more: the committee has been drawn.")
                )
            _check_quotas(committee.size, quotas)
            _write_quotas(committee, quotas)
            changes["quotas"] = [
                [f"{f}={v} [{lo}, {hi}]" for f, v, lo, hi in before],
                [f"{f}={v} [{lo}, {hi}]" for f, v, lo, hi in after],
            ]
    committee.save()
    _audit(actor, "committee_update", committee, committee, changes)
    return committee


@transaction.atomic
def committee_advance(*, actor, committee: Committee) -> Committee:
    """Move the committee to its next step (forming → drafting → reviewing → delivered)."""
    _require(actor, "committees.change_status", committee)
    following = committee.next_status
    if following is None:
        raise ValidationError(_("The committee has already delivered its result."))
    changes = model_changes(committee, {"status": str(following)})
    committee.status = following
    committee.save(update_fields=["status", "updated_at"])
    _audit(actor, "committee_advance", committee, committee, changes)
    return committee


# --- applications and the pool -------------------------------------------------------------


def _next_numbers(committee: Committee, count: int) -> list[int]:
    """The next ``count`` application numbers of a committee. The committee row is locked,
    so two people signing up at the same moment never get the same number."""
    # order_by("pk"): the default ordering joins the theme, which FOR UPDATE may not lock.
    list(Committee.objects.select_for_update().filter(pk=committee.pk).order_by("pk"))
    last = committee.applications.aggregate(last=Max("number"))["last"] or 0
    return list(range(last + 1, last + 1 + count))


def _check_answers(committee: Committee, answers: Mapping[str, str]) -> dict[str, str]:
    features = selectors.committee_features(committee)
    errors = {}
    clean = {}
    for feature, values in features.items():
        value = (answers.get(feature) or "").strip()
        if not value:
            errors[feature] = _("Choose an answer.")
        elif value not in values:
            errors[feature] = _("Choose one of the answers in the list.")
        else:
            clean[feature] = value
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def application_submit(
    *,
    committee: Committee,
    full_name: str,
    email: str,
    answers: Mapping[str, str],
    consent: bool,
    phone: str = "",
    motivation: str = "",
    household_key: str = "",
    base_url: str = "",
    notify: bool = True,
    client_address: str = "",
) -> Application:
    """A resident signs up on the public form. Anyone may, while applications are open.

    With ``notify``, an e-mail confirms the application with a link to its status page
    (``base_url`` makes the link absolute), once the transaction has committed. The form
    passes the ``client_address`` (IP) of the request: at most
    ``COMMITTEE_APPLICATIONS_PER_HOUR`` sign-ups per hour come from one address, so the
    form cannot be used to send mail to many addresses.
    """
    if not committee.accepts_applications(timezone.localdate()):
        raise ValidationError(_("You can no longer sign up for this committee."))
    if not consent:
        raise ValidationError(
            {"consent": _("You can only sign up if you agree to the privacy statement.")}
        )
    clean = _check_answers(committee, answers)
    email = email.strip().lower()
    if committee.applications.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("Someone already signed up for this committee with this e-mail address.")}
        )
    throttle_hit(
        "committee_application",
        client_address,
        settings.COMMITTEE_APPLICATIONS_PER_HOUR,
        MAIL_WINDOW,
        message=_(
            "There were many sign-ups from your internet connection in the last hour. "
            "Please try again later."
        ),
    )
    application = Application(
        committee=committee,
        number=_next_numbers(committee, 1)[0],
        full_name=full_name.strip(),
        email=email,
        phone=phone.strip(),
        answers=clean,
        motivation=motivation.strip(),
        consent=True,
        household_key=household_key.strip()[:120],
        source=ApplicationSource.FORM,
    )
    application.full_clean()
    application.save()
    # Not in the audit trail: a trail entry would keep the name after the person is removed.
    if notify:
        _send_on_commit(
            _("Your application for %(committee)s") % {"committee": committee.name},
            _(
                "Thank you for signing up for %(committee)s.\n\n"
                "After the closing date we draw the members by lot. "
                "On this page you can see how your application stands: %(link)s"
            )
            % {"committee": committee.name, "link": base_url + application_status_url(application)},
            email,
        )
    return application


def application_status_url(application: Application) -> str:
    """The applicant's own status page; the uuid in the address is the key to it."""
    return reverse("committees:application_status", kwargs={"token": application.uuid})


def _send_on_commit(subject: str, body: str, email: str) -> None:
    """Mail one person once the transaction has committed (never for a rolled-back write)."""
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=True)
    )


def _user_for(email: str):
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email, is_active=True).first()


@transaction.atomic
def member_invite(
    *,
    actor,
    committee: Committee,
    full_name: str,
    email: str = "",
    answers: Mapping[str, str],
    phone: str = "",
) -> Membership:
    """Staff seat someone directly (an invited member), with their answers for the check."""
    _require(actor, "committees.manage_committee", committee)
    clean = _check_answers(committee, answers)
    if selectors.members(committee).count() >= committee.size:
        raise ValidationError(_("All seats of this committee are taken."))
    user = _user_for(email)
    if user is not None and committee.memberships.filter(user=user).exists():
        raise ValidationError({"email": _("This person already has a seat on the committee.")})
    application = Application(
        committee=committee,
        number=_next_numbers(committee, 1)[0],
        full_name=full_name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        answers=clean,
        consent=True,
        source=ApplicationSource.INVITATION,
        status=ApplicationStatus.INVITED,
    )
    application.full_clean()
    application.save()
    membership = Membership.objects.create(
        committee=committee,
        user=user,
        application=application,
        display_name=application.full_name,
        role=MemberRole.MEMBER,
        source=MembershipSource.INVITED,
    )
    _audit(actor, "member_invite", membership, committee, {"answers": clean})
    return membership


@transaction.atomic
def pool_import(
    *,
    actor,
    committee: Committee,
    filename: str,
    text: str = "",
    workbook: bytes | None = None,
) -> int:
    """Add a pool from a Sortition Foundation people file; returns how many were added.

    The file is CSV ``text`` or, with ``workbook``, an Excel workbook (.xlsx) with the same
    columns. The whole file is read and checked first; any error (naming line and column, or
    sheet, row and column) stores nothing. Ids already in this committee's pool are refused,
    so an import cannot be counted twice.
    """
    _require(actor, "committees.manage_committee", committee)
    if committee.draws.exists():
        raise ValidationError(_("The committee has been drawn; the pool is closed."))
    features = selectors.committee_features(committee)
    if not features:
        raise ValidationError(_("Set the quotas first: they say which columns the file needs."))
    try:
        if workbook is not None:
            rows = adapters.read_pool_xlsx(workbook, features=features, filename=filename)
        else:
            rows = adapters.read_pool(text, features=features, filename=filename)
    except adapters.InputError as exc:
        raise ValidationError(adapters.error_message(exc)) from exc
    known = set(committee.applications.exclude(reference="").values_list("reference", flat=True))
    twice = sorted({r.reference for r in rows} & known)
    if twice:
        raise ValidationError(
            _("These ids are already in the pool: %(ids)s. Nothing was imported.")
            % {"ids": ", ".join(twice[:10])}
        )
    numbers = _next_numbers(committee, len(rows))
    applications = [
        Application(
            committee=committee,
            number=number,
            full_name=row.full_name or _("Participant %(id)s") % {"id": row.reference},
            email=row.email.lower(),
            phone=row.phone,
            answers=row.answers,
            consent=True,  # given to whoever collected the pool, as the import form confirms
            household_key=row.household_key,
            reference=row.reference,
            source=ApplicationSource.IMPORT,
        )
        for number, row in zip(numbers, rows, strict=True)
    ]
    for row, application in zip(rows, applications, strict=True):
        try:
            # Field checks only: ids are unique by the reader and the check above, and
            # consent is set; a query per row for the constraints would be wasted.
            application.full_clean(
                exclude=["committee"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            where = {"line": row.line, "file": filename, "errors": " ".join(exc.messages)}
            if row.sheet:
                message = _(
                    "Row %(line)s of sheet %(sheet)s in %(file)s: %(errors)s Nothing was imported."
                ) % {**where, "sheet": row.sheet}
            else:
                message = _("Line %(line)s of %(file)s: %(errors)s Nothing was imported.") % where
            raise ValidationError(message) from exc
    Application.objects.bulk_create(applications)
    _audit(actor, "pool_import", committee, committee, {"file": filename, "rows": len(rows)})
    return len(applications)


# --- declining an application -------------------------------------------------------------


def _check_pool_open(application: Application) -> Committee:
    """The committee, locked so that a draw cannot run meanwhile, while its pool is open."""
    committee = application.committee
    list(Committee.objects.select_for_update().filter(pk=committee.pk).order_by("pk"))
    application.refresh_from_db(fields=["status", "decline_reason"])
    if committee.draws.exists():
        raise ValidationError(_("The committee has been drawn; the pool is closed."))
    return committee


@transaction.atomic
def application_decline(*, actor, application: Application, reason: str) -> Application:
    """Staff take an application out of the pool (it will not be drawn), with the reason.

    Only an application that is still in the pool, before the draw. The trail names the
    application by its number (its id in the pool file), not by the person's name, and keeps
    the reason.
    """
    _require(actor, "committees.manage_committee", application.committee)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for declining.")})
    committee = _check_pool_open(application)
    if application.status != ApplicationStatus.APPLIED:
        raise ValidationError(_("Only an application that is still in the pool can be declined."))
    application.status = ApplicationStatus.DECLINED
    application.decline_reason = reason
    application.full_clean(exclude=["committee"], validate_unique=False)
    application.save(update_fields=["status", "decline_reason", "updated_at"])
    _audit(
        actor,
        "application_decline",
        committee,
        committee,
        {"application": application.number, "reason": reason},
    )
    return application


@transaction.atomic
def application_restore(*, actor, application: Application) -> Application:
    """Undo a decline: the application is back in the pool (until the draw)."""
    _require(actor, "committees.manage_committee", application.committee)
    committee = _check_pool_open(application)
    if application.status != ApplicationStatus.DECLINED:
        raise ValidationError(_("This application has not been declined."))
    reason = application.decline_reason
    application.status = ApplicationStatus.APPLIED
    application.decline_reason = ""
    application.save(update_fields=["status", "decline_reason", "updated_at"])
    _audit(
        actor,
        "application_restore",
        committee,
        committee,
        {"application": application.number, "reason_was": reason},
    )
    return application


# --- declining a drawn seat ----------------------------------------------------------------

# The steps in which a drawn member can still decline the seat, and the seat can be drawn
# again: while the committee is being formed and in its first working step (drafting), when
# a newcomer can still catch up. Later, a new member would miss too much of the work.
SEAT_DECLINE_STEPS = (CommitteeStatus.FORMING, CommitteeStatus.DRAFTING)


def free_seats(committee: Committee) -> int:
    """Seats without a member now (facilitators do not take a seat)."""
    return max(committee.size - selectors.members(committee).count(), 0)


def draw_file_bytes(text: str) -> bytes:
    """The bytes a draw's pool or quota file is downloaded as: exactly those whose SHA-256
    the draw's distribution file records (``adapters.file_bytes``)."""
    return adapters.file_bytes(text)


def replacement_possible(committee: Committee) -> bool:
    """Whether a replacement draw can be prepared: drawn before, seats free, early enough."""
    return (
        committee.status in SEAT_DECLINE_STEPS
        and committee.draws.exists()
        and free_seats(committee) > 0
    )


def replacement_pending_for(application: Application) -> bool:
    """Whether ``application`` was not drawn but may still be: seats became free after
    declines, a replacement draw is possible, and the applicant is in its pool (APPLIED, and
    nobody of their household has a seat; see ``draw_input``)."""
    committee = application.committee
    if application.status != ApplicationStatus.APPLIED or not replacement_possible(committee):
        return False
    household = application.household_key.strip().lower()
    return not household or not any(
        m.application is not None and m.application.household_key.strip().lower() == household
        for m in selectors.members(committee)
    )


def seat_decline_allowed(application: Application) -> bool:
    """Whether ``application`` can decline its seat now (for showing the button)."""
    return (
        application.status == ApplicationStatus.SELECTED
        and application.committee.status in SEAT_DECLINE_STEPS
    )


@transaction.atomic
def seat_decline(*, application: Application, actor=None, reason: str = "") -> Application:
    """A drawn member gives up the seat: the membership goes, the application is WITHDRAWN.

    Two ways in. Without ``actor`` the applicant does it on their own status page, whose
    address (the application's uuid) is the key: the view has checked it. With ``actor``,
    staff who manage the committee do it on the person's behalf (they called or wrote), with
    an optional ``reason``. Only a drawn (SELECTED) application, and only while the committee
    is in ``SEAT_DECLINE_STEPS`` (forming or drafting): later the committee keeps its
    members. The free seat can then be filled by a replacement draw (``committee_draw``).

    The committee row and then the application row are locked, so a decline and a draw never
    run at the same time and two clicks decline once. The trail names the application by its
    number, never the person. After the first decline following a draw, a new seed is
    announced at once: a replacement draw must not reuse a seed that is already known.
    """
    if actor is not None:
        _require(actor, "committees.manage_committee", application.committee)
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise ValidationError({"reason": _("The reason can be at most 1000 characters long.")})
    committee = (
        Committee.objects.select_for_update().order_by("pk").get(pk=application.committee_id)
    )
    # of=("self",): lock the application row only, not the committee joined for reading
    # (locked above); PostgreSQL refuses FOR UPDATE on the nullable side of outer joins.
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("committee")
        .get(pk=application.pk)
    )
    if locked.status != ApplicationStatus.SELECTED:
        raise ValidationError(_("Only a member who was drawn by lot can decline the seat."))
    if committee.status not in SEAT_DECLINE_STEPS:
        raise ValidationError(
            _(
                "The committee has already started its work. Declining the seat is no longer "
                "possible here. Please contact the municipality."
            )
        )
    Membership.objects.filter(application=locked, role=MemberRole.MEMBER).delete()
    locked.status = ApplicationStatus.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    changes: dict[str, Any] = {
        "application": locked.number,
        "by": "staff" if actor is not None else "applicant",
    }
    if reason:
        changes["reason"] = reason
    used = set(committee.draws.values_list("seed", flat=True))
    if committee.draw_seed is None or committee.draw_seed in used:
        seed = new_seed()
        while seed in used:
            seed = new_seed()
        changes["new_seed"] = seed
        committee.draw_seed = seed
        committee.save(update_fields=["draw_seed", "updated_at"])
    _audit(actor, "seat_decline", committee, committee, changes)
    application.status = locked.status
    return locked


# --- the draw ------------------------------------------------------------------------------


class DrawInfeasible(ValidationError):
    """The quotas cannot hold together: which ones clash and the smallest relaxation."""

    def __init__(self, message: str, *, conflicts, relaxation):
        super().__init__(message)
        self.conflicts = conflicts
        self.relaxation = relaxation


@transaction.atomic
def committee_set_seed(*, actor, committee: Committee, seed: int | None = None) -> Committee:
    """Announce the seed the draw will use (a fresh random one unless given).

    After a draw the seed is fixed, unless seats became free and a replacement draw is
    possible: that draw gets a seed of its own, announced the same way.
    """
    _require(actor, "committees.manage_committee", committee)
    if committee.draws.exists() and not replacement_possible(committee):
        raise ValidationError(_("The committee has been drawn; its seed is fixed."))
    seed = new_seed() if seed is None else seed
    changes = model_changes(committee, {"draw_seed": seed})
    committee.draw_seed = seed
    committee.save(update_fields=["draw_seed", "updated_at"])
    _audit(actor, "committee_set_seed", committee, committee, changes)
    return committee


def draw_input(committee: Committee) -> dict[str, Any]:
    """The files and panel size a draw of ``committee`` would use now.

    Seats already taken (invited members, and at a replacement draw the drawn members who
    kept their seat) are subtracted from the panel size and from the quotas of the groups
    they belong to, so the quotas hold for the committee as a whole. Applicants who share a
    household with a seated member are left out of the pool: two people from one household
    never both sit on the committee.
    """
    features = list(selectors.committee_features(committee))
    seated = list(selectors.members(committee))
    seated_households = {
        m.application.household_key.strip().lower()
        for m in seated
        if m.application is not None and m.application.household_key.strip()
    }
    have: Counter[tuple[str, str]] = Counter()
    for membership in seated:
        answers = membership.application.answers if membership.application else {}
        for feature in features:
            have[(feature, answers.get(feature, ""))] += 1
    bounds = []
    problems = []
    for quota in committee.quotas.all():
        taken = have[(quota.feature, quota.value)]
        if taken > quota.maximum:
            problems.append(
                _(
                    "%(taken)s members with %(feature)s = %(value)s already have a seat, more "
                    "than the maximum of %(maximum)s."
                )
                % {
                    "taken": taken,
                    "feature": quota.feature,
                    "value": quota.value,
                    "maximum": quota.maximum,
                }
            )
        bounds.append(
            adapters.QuotaBound(
                quota.feature,
                quota.value,
                max(quota.minimum - taken, 0),
                max(quota.maximum - taken, 0),
            )
        )
    pool = [
        a
        for a in selectors.pool(committee)
        if not (a.household_key.strip() and a.household_key.strip().lower() in seated_households)
    ]
    incomplete = [a.full_name for a in pool if any(not a.answers.get(f) for f in features)]
    if incomplete:
        problems.append(
            _("These applicants have not answered every question: %(names)s.")
            % {"names": ", ".join(incomplete[:10])}
        )
    people = [(a.pool_id, a.answers, a.household_key) for a in pool]
    people_file, household_column = adapters.people_csv(people, features)
    return {
        "panel_size": committee.size - len(seated),
        "pool_size": len(pool),
        "people_file": people_file,
        "categories_file": adapters.categories_csv(bounds),
        "household_column": household_column,
        "problems": problems,
        "pool": pool,
    }


@transaction.atomic
def committee_draw(*, actor, committee: Committee, seed: int, algorithm: str = "leximin") -> Draw:
    """Draw the free seats by lot from the pool, with the committee's quotas and ``seed``.

    One draw per committee: drawing again until a result pleases would make the public seed
    meaningless. The one exception is a replacement draw (*aanvullende loting*): when drawn
    members declined their seat (``seat_decline``), the seats they left are drawn from the
    applicants still in the pool, with a new seed that no earlier draw of the committee
    used, and quotas reduced by the members who kept their seat (``draw_input``). It is
    stored as a new ``Draw`` that ``replaces`` the one before it, with its own files, so every
    draw stays reproducible. It is possible in the steps in which a seat can be declined
    (``SEAT_DECLINE_STEPS``). Infeasible quotas raise ``DrawInfeasible`` and nothing is stored.
    Every draw also stores its distribution file (``Draw.distribution``), from which
    ``samenspraak select --distribution`` redraws it without a solver.
    """
    _require(actor, "committees.manage_committee", committee)
    # Lock the row so that two clicks on "Draw" cannot both draw (and no seat is declined
    # meanwhile). order_by("pk"): the default ordering joins the theme.
    committee = Committee.objects.select_for_update().order_by("pk").get(pk=committee.pk)
    previous = committee.draws.order_by("-created_at", "-id").first()
    if previous is not None:
        if free_seats(committee) < 1:
            raise ValidationError(_("This committee has already been drawn."))
        if committee.status not in SEAT_DECLINE_STEPS:
            raise ValidationError(
                _(
                    "A replacement draw is only possible while the committee is being formed "
                    "or in its first working step."
                )
            )
        if committee.draws.filter(seed=seed).exists():
            raise ValidationError(
                {
                    "seed": _(
                        "An earlier draw of this committee used this seed. A replacement draw "
                        "needs a new seed: announce a new one first."
                    )
                }
            )
    elif committee.status != CommitteeStatus.FORMING:
        raise ValidationError(_("Only a committee that is still being formed can be drawn."))
    if algorithm not in adapters.ALGORITHMS:
        raise ValidationError({"algorithm": _("Unknown algorithm.")})
    if not 0 <= seed <= MAX_SEED:
        raise ValidationError({"seed": _("The seed is a whole number from 0 to 2147483647.")})
    if not committee.quotas.exists():
        raise ValidationError(_("Set the quotas before drawing."))
    data = draw_input(committee)
    if data["problems"]:
        raise ValidationError(data["problems"])
    if data["panel_size"] < 1:
        raise ValidationError(_("All seats of this committee are taken."))
    if data["pool_size"] < data["panel_size"]:
        raise ValidationError(
            _("The pool has %(pool)s people for %(seats)s seats: too few to draw.")
            % {"pool": data["pool_size"], "seats": data["panel_size"]}
        )
    try:
        result = adapters.draw(
            people_file=data["people_file"],
            categories_file=data["categories_file"],
            household_column=data["household_column"],
            panel_size=data["panel_size"],
            seed=seed,
            algorithm=algorithm,
        )
    except adapters.InfeasibleQuotas as exc:
        raise DrawInfeasible(
            adapters.error_message(exc),
            conflicts=adapters.conflicts_of(exc),
            relaxation=adapters.relaxation_of(exc),
        ) from exc
    except adapters.InputError as exc:
        raise ValidationError(adapters.error_message(exc)) from exc
    # The published distribution file, with the SHA-256 of the two files exactly as the
    # download views serve them: written before anything is stored, in this transaction.
    try:
        distribution = adapters.distribution_json(
            result, people_file=data["people_file"], categories_file=data["categories_file"]
        )
    except adapters.InputError as exc:
        raise ValidationError(adapters.error_message(exc)) from exc

    draw = Draw.objects.create(
        committee=committee,
        algorithm=result.algorithm,
        seed=seed,
        panel_size=data["panel_size"],
        pool_size=data["pool_size"],
        people_csv=data["people_file"],
        categories_csv=data["categories_file"],
        household_column=data["household_column"],
        selected=list(result.selected),
        probabilities=dict(result.probabilities),
        min_probability=result.min_probability,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        replaces=previous,
        distribution=distribution,
    )
    chosen = {a.pool_id: a for a in data["pool"] if a.pool_id in set(result.selected)}
    seated_users = set(committee.memberships.exclude(user=None).values_list("user", flat=True))
    for pool_id in result.selected:
        application = chosen[pool_id]
        application.status = ApplicationStatus.SELECTED
        application.save(update_fields=["status", "updated_at"])
        user = _user_for(application.email)
        if user is not None and user.pk in seated_users:
            user = None
        Membership.objects.create(
            committee=committee,
            user=user,
            application=application,
            display_name=application.full_name,
            role=MemberRole.MEMBER,
            source=MembershipSource.DRAWN,
        )
    committee.draw_seed = seed
    committee.save(update_fields=["draw_seed", "updated_at"])
    _audit(
        actor,
        "committee_draw_replacement" if previous is not None else "committee_draw",
        draw,
        committee,
        {
            "seed": seed,
            "algorithm": result.algorithm,
            "panel_size": data["panel_size"],
            "pool_size": data["pool_size"],
            "min_probability": result.min_probability,
        },
    )
    return draw


# --- facilitators --------------------------------------------------------------------------


@transaction.atomic
def facilitators_assign(*, actor, process) -> adapters.AssignmentResult:
    """Assign facilitators to every committee of ``process`` (core.assign_facilitators).

    Overrides staff made stay as they are (fixed pairs); every other facilitator seat is
    replaced by the new assignment. Raises ``ValidationError`` when no assignment exists.
    """
    _require(actor, "committees.manage_facilitators", process)
    committees = list(
        Committee.objects.filter(process=process).select_related("theme").order_by("pk")
    )
    people = list(selectors.facilitator_users())
    fixed: dict[int, list[int]] = {}
    for m in Membership.objects.filter(
        committee__in=committees, role=MemberRole.FACILITATOR, source=MembershipSource.OVERRIDE
    ).exclude(user=None):
        fixed.setdefault(m.committee_id, []).append(m.user_id)
    try:
        result = adapters.assign_facilitators(
            committees=committees, facilitators=people, fixed=fixed
        )
    except adapters.InputError as exc:
        raise ValidationError(adapters.error_message(exc)) from exc
    by_id = {u.pk: u for u in people}
    Membership.objects.filter(committee__in=committees, role=MemberRole.FACILITATOR).exclude(
        source=MembershipSource.OVERRIDE
    ).delete()
    pairs = []
    for pair in result.pairs:
        if pair.is_override:
            continue
        user = by_id[pair.facilitator_id]
        Membership.objects.create(
            committee_id=pair.committee_id,
            user=user,
            display_name=user.full_name,
            role=MemberRole.FACILITATOR,
            source=MembershipSource.ASSIGNED,
        )
        pairs.append(f"{pair.committee_id}:{user.email}")
    audit_record(
        actor=actor,
        action="facilitators_assign",
        obj=process,
        process_id=process.pk,
        changes={"pairs": pairs, "max_load": result.max_load},
    )
    return result


@transaction.atomic
def facilitator_override(
    *, actor, committee: Committee, facilitator, reason: str, replaces=None
) -> Membership:
    """Staff choose a committee's facilitator themselves; the reason goes in the audit trail.

    ``replaces`` (a user) gives up their seat; without it, the committee's assigned
    facilitators make way when the committee would otherwise have too many.
    """
    _require(actor, "committees.manage_facilitators", committee.process)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this choice.")})
    if facilitator.role != Role.FACILITATOR or not facilitator.is_active:
        raise ValidationError({"facilitator": _("This person is not an active facilitator.")})
    if committee.memberships.filter(user=facilitator).exists():
        raise ValidationError(
            {"facilitator": _("This person already has a seat on the committee.")}
        )
    current = selectors.facilitators(committee)
    removed = []
    if replaces is not None:
        removed = list(current.filter(user=replaces))
    elif current.count() >= committee.facilitators_needed:
        removed = list(
            current.order_by("source", "created_at")[
                : current.count() + 1 - committee.facilitators_needed
            ]
        )
    for membership in removed:
        membership.delete()
    membership = Membership.objects.create(
        committee=committee,
        user=facilitator,
        display_name=facilitator.full_name,
        role=MemberRole.FACILITATOR,
        source=MembershipSource.OVERRIDE,
        override_reason=reason,
    )
    department = adapters.department_of(facilitator.organisation)
    owner = adapters.department_of(committee.theme.owning_department if committee.theme else "")
    _audit(
        actor,
        "facilitator_override",
        membership,
        committee,
        {
            "facilitator": facilitator.email,
            "replaces": [m.display_name for m in removed],
            "reason": reason,
            "same_department": bool(owner) and department.lower() == owner.lower(),
        },
    )
    return membership


# --- meetings and the discussion -----------------------------------------------------------


def _check_meeting(fields: Mapping[str, Any]) -> None:
    starts, ends = fields.get("starts_at"), fields.get("ends_at")
    if starts and ends and ends <= starts:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})


@transaction.atomic
def meeting_schedule(*, actor, committee: Committee, data: Mapping[str, Any]) -> Meeting:
    _require(actor, "committees.schedule_meeting", committee)
    fields = {k: v for k, v in data.items() if k in MEETING_FIELDS}
    _check_meeting(fields)
    meeting = Meeting(committee=committee, **fields)
    meeting.full_clean()
    meeting.save()
    _audit(actor, "meeting_schedule", meeting, committee)
    return meeting


@transaction.atomic
def meeting_update(
    *, actor, meeting: Meeting, data: Mapping[str, Any], publish_minutes: bool | None = None
) -> Meeting:
    committee = meeting.committee
    _require(actor, "committees.schedule_meeting", committee)
    fields = {k: v for k, v in data.items() if k in MEETING_FIELDS}
    if publish_minutes is not None:
        _require(actor, "committees.publish_minutes", committee)
        if publish_minutes and not (fields.get("minutes", meeting.minutes) or "").strip():
            raise ValidationError({"minutes": _("Write the minutes before publishing them.")})
        fields["minutes_published"] = publish_minutes
    _check_meeting({"starts_at": meeting.starts_at, "ends_at": meeting.ends_at, **fields})
    changes = model_changes(meeting, fields)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    _audit(actor, "meeting_update", meeting, committee, changes)
    return meeting


@transaction.atomic
def message_post(*, actor, committee: Committee, body: str) -> Message:
    _require(actor, "committees.post_message", committee)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    message = Message(committee=committee, author=actor, body=body)
    message.full_clean()
    message.save()
    _audit(actor, "message_post", message, committee)
    return message


@transaction.atomic
def message_delete(*, actor, message: Message) -> None:
    """Moderation: the message is removed; the trail keeps who removed whose message."""
    committee = message.committee
    _require(actor, "committees.moderate_messages", committee)
    _audit(
        actor,
        "message_delete",
        message,
        committee,
        {"author": str(message.author) if message.author else ""},
    )
    message.delete()


# --- documents in the workspace ----------------------------------------------------------


@transaction.atomic
def document_upload(
    *,
    actor,
    committee: Committee,
    upload,
    title: str = "",
    category: str = DocumentCategory.WORKING,
) -> CommitteeDocument:
    """Store a file in the committee's workspace (type and size checked, see ``documents``).

    Members and staff upload any category; the facilitator only "Agenda and minutes", as the
    facilitator guards the process and never authors content.
    """
    _require(actor, "committees.upload_process_document", committee)
    if category not in DocumentCategory.values:
        raise ValidationError({"category": _("Choose one of the kinds in the list.")})
    if category != DocumentCategory.PROCESS:
        _require(actor, "committees.upload_content_document", committee)
    documents.check_upload(upload)
    original = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    title = (title or "").strip() or original.rsplit(".", 1)[0]
    document = CommitteeDocument(
        committee=committee,
        category=category,
        title=title[:200],
        original_name=original,
        size=upload.size,
        uploaded_by=actor,
    )
    document.full_clean(exclude=["file"])
    document.file.save(original, upload, save=False)
    try:
        with transaction.atomic():
            document.save()
            _audit(
                actor,
                "document_upload",
                document,
                committee,
                {"category": category, "file": original, "size": upload.size},
            )
    except Exception:
        document.file.delete(save=False)  # no row, so no file either
        raise
    return document


@transaction.atomic
def document_delete(*, actor, document: CommitteeDocument) -> None:
    """Remove a document (its uploader or staff); the file goes once the removal commits."""
    _require(actor, "committees.delete_document", document)
    committee = document.committee
    _audit(
        actor,
        "document_delete",
        document,
        committee,
        {
            "file": document.original_name,
            "uploaded_by": str(document.uploaded_by) if document.uploaded_by else "",
        },
    )
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- knowledge network ---------------------------------------------------------------------

# An opt-in counts only once its owner confirms it through the link in the e-mail; a request
# not confirmed within this many days is deleted (knowledge_network_expire).
NETWORK_CONFIRM_DAYS = 7


def _opt_out_url(entry: KnowledgeNetworkEntry) -> str:
    return reverse("committees:network_opt_out", kwargs={"token": entry.uuid})


def _confirm_url(request: KnowledgeNetworkRequest) -> str:
    return reverse("committees:network_confirm", kwargs={"token": request.uuid})


def _clean_names(names: Sequence[str], length: int) -> list[str]:
    return list(dict.fromkeys(n.strip()[:length] for n in names if n.strip()))


def knowledge_network_expire(*, now=None) -> int:
    """Delete the opt-ins nobody confirmed in time; returns how many.

    Called lazily (by every opt-in, confirmation and staff search of the network) and by the
    management command ``committees_expire_network`` for a daily job, so an unconfirmed
    address is never kept long after it expired, even when nobody uses the network.
    """
    limit = (now or timezone.now()) - timedelta(days=NETWORK_CONFIRM_DAYS)
    deleted, _per_model = KnowledgeNetworkRequest.objects.filter(created_at__lt=limit).delete()
    return deleted


@transaction.atomic
def knowledge_network_opt_in(
    *,
    email: str,
    name: str,
    themes: Sequence[str],
    districts: Sequence[str] = (),
    process=None,
    base_url: str = "",
    notify: bool = True,
    client_address: str = "",
) -> KnowledgeNetworkRequest | KnowledgeNetworkEntry:
    """Someone asks to be invited again on ``themes`` (and districts): double opt-in.

    With ``notify`` (the public form) this stores a request and mails a confirmation link
    (``base_url`` makes it absolute); the person is in the network, and visible to staff,
    only after confirming (``knowledge_network_confirm``). A new request for the same address
    replaces the pending one. Returns the request.

    The mail goes to an address anyone can type in, so it is rate limited: at most
    ``KNOWLEDGE_NETWORK_OPT_INS_PER_HOUR`` opt-ins per hour to one e-mail address, and
    ``KNOWLEDGE_NETWORK_OPT_INS_PER_CLIENT_PER_HOUR`` from one ``client_address`` (IP).

    Without ``notify`` the person's consent was recorded elsewhere (a signed paper form, the
    invented people of the demo data): they join at once and no mail is sent. Returns the
    entry.
    """
    email = email.strip().lower()
    themes = _clean_names(themes, 120)
    districts = _clean_names(districts, 100)
    if not themes:
        raise ValidationError({"themes": _("Choose at least one theme.")})
    if not notify:
        return _network_join(
            email=email, name=name.strip(), themes=themes, districts=districts, process=process
        )
    throttle_hit(
        "knowledge_network_opt_in_client",
        client_address,
        settings.KNOWLEDGE_NETWORK_OPT_INS_PER_CLIENT_PER_HOUR,
        MAIL_WINDOW,
        message=_(
            "There were many sign-ups from your internet connection in the last hour. "
            "Please try again later."
        ),
    )
    throttle_hit(
        "knowledge_network_opt_in_email",
        email,
        settings.KNOWLEDGE_NETWORK_OPT_INS_PER_HOUR,
        MAIL_WINDOW,
        field="email",
        message=_(
            "We have sent several e-mails to this address in the last hour. Please use the "
            "link in the newest e-mail, or try again later."
        ),
    )
    knowledge_network_expire()
    KnowledgeNetworkRequest.objects.filter(email=email).delete()
    request = KnowledgeNetworkRequest(
        email=email, name=name.strip(), themes=themes, districts=districts, process=process
    )
    request.full_clean()
    request.save()
    # No audit event: the trail would keep the name after an opt-out, which must delete it.
    _send_on_commit(
        _("Confirm that you want to join the knowledge network"),
        _(
            "You asked to join the knowledge network of the municipality, for these themes: "
            "%(themes)s.\n\n"
            "Please confirm this within %(days)s days with this link: %(link)s\n\n"
            "Did you not ask for this? Then do nothing. We delete your details after "
            "%(days)s days."
        )
        % {
            "themes": ", ".join(themes),
            "days": NETWORK_CONFIRM_DAYS,
            "link": base_url + _confirm_url(request),
        },
        email,
    )
    return request


def knowledge_network_request_for(*, token) -> KnowledgeNetworkRequest | None:
    """The pending opt-in of a confirmation link, if it still exists and has not expired."""
    knowledge_network_expire()
    return KnowledgeNetworkRequest.objects.filter(uuid=token).first()


@transaction.atomic
def knowledge_network_confirm(
    *, request: KnowledgeNetworkRequest, base_url: str = ""
) -> KnowledgeNetworkEntry:
    """The owner of the address confirmed: the request joins (or adds to) the network.

    An e-mail then says so, with the link to leave the network again.
    """
    if request.created_at < timezone.now() - timedelta(days=NETWORK_CONFIRM_DAYS):
        # knowledge_network_expire deletes it (outside this transaction, which rolls back).
        raise ValidationError(_("This link has expired. Please sign up again."))
    entry = _network_join(
        email=request.email,
        name=request.name,
        themes=request.themes,
        districts=request.districts,
        process=request.process,
    )
    request.delete()
    _send_on_commit(
        _("You are in the knowledge network"),
        _(
            "Thank you. We may invite you again for these themes: %(themes)s.\n\n"
            "Do you no longer want this? Use this link. We then delete your details: %(link)s"
        )
        % {
            "themes": ", ".join(t.name for t in entry.themes.all()),
            "link": base_url + _opt_out_url(entry),
        },
        entry.email,
    )
    return entry


def _network_join(
    *, email: str, name: str, themes: Sequence[str], districts: Sequence[str], process
) -> KnowledgeNetworkEntry:
    """Add or merge a confirmed entry: one per address; new themes and districts are added."""
    entry = KnowledgeNetworkEntry.objects.filter(email=email).first()
    if entry is None:
        entry = KnowledgeNetworkEntry(email=email)
    entry.name = name
    entry.consent_at = timezone.now()
    if process is not None and entry.process_id is None:
        entry.process = process
    entry.full_clean()
    entry.save()
    for theme in themes:
        KnowledgeNetworkTheme.objects.get_or_create(entry=entry, name=theme)
    for district in districts:
        KnowledgeNetworkDistrict.objects.get_or_create(entry=entry, name=district)
    return entry


@transaction.atomic
def knowledge_network_opt_out(*, entry: KnowledgeNetworkEntry) -> None:
    """Opting out deletes the entry with its themes and districts, and any opt-in of the same
    address still waiting for confirmation; nothing of it is kept."""
    KnowledgeNetworkRequest.objects.filter(email=entry.email).delete()
    entry.delete()
