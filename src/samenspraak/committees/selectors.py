"""Reads of committees: what a user may see, shaped for the pages that show it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from samenspraak.accounts.models import Role
from samenspraak.committees.models import (
    Application,
    ApplicationStatus,
    Committee,
    CommitteeDocument,
    KnowledgeNetworkDistrict,
    KnowledgeNetworkEntry,
    KnowledgeNetworkTheme,
    Meeting,
    MemberRole,
    Membership,
    Message,
)
from samenspraak.processes.models import Process, ProcessStatus


def _base() -> QuerySet[Committee]:
    return Committee.objects.select_related("process", "process__municipality", "theme")


def _with_counts(qs: QuerySet[Committee]) -> QuerySet[Committee]:
    return qs.annotate(
        member_count=Count("memberships", filter=Q(memberships__role=MemberRole.MEMBER)),
        pool_count=Count("applications", filter=Q(applications__status=ApplicationStatus.APPLIED)),
    ).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(role=MemberRole.FACILITATOR).select_related("user"),
            to_attr="facilitator_memberships",
        )
    )


def committee_list_for_process(*, process: Process) -> QuerySet[Committee]:
    return _with_counts(_base().filter(process=process)).order_by("theme__position", "name")


def committee_list_public(*, process_slug: str | None = None) -> QuerySet[Committee]:
    """Committees of public processes, optionally of one process."""
    qs = _base().exclude(process__status=ProcessStatus.DRAFT)
    if process_slug:
        qs = qs.filter(process__slug=process_slug)
    return _with_counts(qs).order_by("process__title", "theme__position", "name")


def committee_get_for_user(*, slug: str, user) -> Committee:
    """The committee, or 404 when the user may not see it at all."""
    committee = _base().filter(slug=slug).first()
    if committee is None or not user.has_perm("committees.view_committee", committee):
        raise Http404
    return committee


def committees_of_user(*, user) -> QuerySet[Committee]:
    """The committees a person sits on or guides."""
    if not user.is_authenticated:
        return Committee.objects.none()
    return _base().filter(memberships__user=user).distinct().order_by("name")


def committees_where_member(*, user, process: Process | None = None) -> QuerySet[Committee]:
    """The committees a person sits on as a member (not as facilitator), of one process or all.

    Used by proposals: members of a committee write its proposals.
    """
    if not (user and user.is_authenticated and user.is_active):
        return Committee.objects.none()
    qs = _base().filter(memberships__user=user, memberships__role=MemberRole.MEMBER)
    if process is not None:
        qs = qs.filter(process=process)
    return qs.distinct().order_by("name")


# --- composition ---------------------------------------------------------------------------


def committee_features(committee: Committee) -> dict[str, list[str]]:
    """The quota features of a committee, each with its values, in the order staff set."""
    features: dict[str, list[str]] = {}
    for quota in committee.quotas.all():
        features.setdefault(quota.feature, []).append(quota.value)
    return features


def members(committee: Committee) -> QuerySet[Membership]:
    return committee.memberships.filter(role=MemberRole.MEMBER).select_related(
        "user", "application"
    )


def facilitators(committee: Committee) -> QuerySet[Membership]:
    return committee.memberships.filter(role=MemberRole.FACILITATOR).select_related("user")


def pool(committee: Committee) -> QuerySet[Application]:
    """Who can still be drawn: applications not yet selected, invited or declined, in order
    (the order of the pool file, so a reproduction reads the same rows in the same order)."""
    return committee.applications.filter(status=ApplicationStatus.APPLIED).order_by("number")


def applications(committee: Committee) -> QuerySet[Application]:
    return committee.applications.select_related("membership", "committee").order_by("number")


@dataclass(frozen=True)
class RepresentationRow:
    feature: str
    value: str
    minimum: int
    maximum: int
    actual: int

    @property
    def state(self) -> str:
        if self.actual < self.minimum:
            return "missing"
        if self.actual > self.maximum:
            return "over"
        return "ok"


@dataclass(frozen=True)
class Representation:
    rows: list[RepresentationRow]
    member_count: int
    unknown: dict[str, int]  # feature -> members without an answer for it

    @property
    def missing(self) -> list[RepresentationRow]:
        return [r for r in self.rows if r.state == "missing"]

    @property
    def over(self) -> list[RepresentationRow]:
        return [r for r in self.rows if r.state == "over"]

    @property
    def ok(self) -> bool:
        return not self.missing and not self.over


def representation(committee: Committee) -> Representation:
    """Per quota: the seats it asks for against the members the committee has now.

    Works the same for drawn and invited members: each is counted by the answers of their
    application. Members without an answer for a feature are reported, not guessed.
    """
    seated = list(members(committee))
    counts: Counter[tuple[str, str]] = Counter()
    unknown: Counter[str] = Counter()
    features = committee_features(committee)
    for membership in seated:
        answers = membership.application.answers if membership.application else {}
        for feature in features:
            if answers.get(feature):
                counts[(feature, answers[feature])] += 1
            else:
                unknown[feature] += 1
    rows = [
        RepresentationRow(q.feature, q.value, q.minimum, q.maximum, counts[(q.feature, q.value)])
        for q in committee.quotas.all()
    ]
    return Representation(rows=rows, member_count=len(seated), unknown=dict(unknown))


# --- workspace -----------------------------------------------------------------------------


def meetings(committee: Committee) -> QuerySet[Meeting]:
    return committee.meetings.order_by("starts_at")


def messages(committee: Committee) -> QuerySet[Message]:
    return committee.messages.select_related("author").order_by("created_at", "pk")


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool


def checklist(committee: Committee, *, now: datetime) -> list[ChecklistItem]:
    """The facilitator's process checklist: what the committee needs to run well."""
    seated = members(committee).count()
    past = [m for m in meetings(committee) if m.ends_at <= now]
    check = representation(committee)
    return [
        ChecklistItem(_("A facilitator guides the committee"), facilitators(committee).exists()),
        ChecklistItem(
            _("All %(size)s seats are filled") % {"size": committee.size}, seated >= committee.size
        ),
        ChecklistItem(_("Every required group is represented"), bool(check.rows) and check.ok),
        ChecklistItem(_("A meeting is scheduled"), committee.meetings.exists()),
        ChecklistItem(
            _("Minutes are published for every past meeting"),
            all(m.minutes_published for m in past),
        ),
        ChecklistItem(_("The committee has delivered its result"), committee.status == "delivered"),
    ]


# --- facilitators --------------------------------------------------------------------------


def facilitator_users() -> QuerySet:
    """Everyone who can be a Chef de Dossier: active users with the facilitator role."""
    return (
        get_user_model()
        .objects.filter(role=Role.FACILITATOR, is_active=True)
        .order_by("full_name", "email")
    )


# --- knowledge network ---------------------------------------------------------------------


def knowledge_network_search(
    *, theme: str | None = None, district: str | None = None, query: str | None = None
) -> QuerySet[KnowledgeNetworkEntry]:
    qs = KnowledgeNetworkEntry.objects.prefetch_related("themes", "districts")
    if theme:
        qs = qs.filter(themes__name__iexact=theme)
    if district:
        qs = qs.filter(districts__name__iexact=district)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(email__icontains=query))
    return qs.distinct().order_by("name", "email")


def knowledge_network_choices() -> tuple[list[str], list[str]]:
    """The theme and district names that occur in the network, for the search filters."""
    themes = KnowledgeNetworkTheme.objects.values_list("name", flat=True).distinct()
    districts = KnowledgeNetworkDistrict.objects.values_list("name", flat=True).distinct()
    return sorted(set(themes)), sorted(set(districts))


def knowledge_network_entry_for(*, email: str) -> KnowledgeNetworkEntry | None:
    return KnowledgeNetworkEntry.objects.filter(email__iexact=email).first()


# --- documents and an applicant's own status -----------------------------------------------


def documents(committee: Committee) -> QuerySet[CommitteeDocument]:
    """The workspace's documents: per category (agenda and minutes first), newest first."""
    return committee.documents.select_related(
        "uploaded_by", "committee", "committee__process"
    ).order_by("category", "-created_at", "-pk")


def application_for_token(*, token) -> Application | None:
    """The application behind the status link mailed to the applicant (the uuid is the key)."""
    return (
        Application.objects.select_related("committee", "committee__process")
        .filter(uuid=token)
        .first()
    )
