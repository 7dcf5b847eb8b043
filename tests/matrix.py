"""Shared vocabulary of the committees and proposals permission matrices: the twelve roles
a committee-level page is tried with, and helpers that spell out the expected status per role."""

from __future__ import annotations

ROLES = [
    "owner",
    "other_staff",
    "admin",
    "facilitator",
    "other_facilitator",
    "member",
    "other_member",
    "partner",
    "resident",
    "council_member",
    "clerk",
    "anonymous",
]
STAFF = {"owner", "other_staff", "admin"}
MANAGERS = {"owner", "admin"}

LOGIN = "login"  # 302 to the log-in page with ?next=<this page>
REDIRECT = "redirect"  # 302 after a successful POST


def everyone(status):
    return dict.fromkeys(ROLES, status)


def only(allowed: set[str], status=200, otherwise=403, anonymous=LOGIN):
    return {
        role: status if role in allowed else (anonymous if role == "anonymous" else otherwise)
        for role in ROLES
    }


def matrix_users(
    *, staff_user, other_staff, admin_user, user_of_role, process, member, facilitator
):
    """The user for every role in ``ROLES`` (anonymous aside): the process owner and colleagues,
    the committee's member and facilitator, and a member and facilitator of another committee
    of the same process, so "someone else's committee" is tried too."""
    from samenspraak.accounts.models import Role
    from samenspraak.committees.models import MemberRole, MembershipSource
    from tests.committees.factories import CommitteeFactory, MembershipFactory

    users = {"owner": staff_user, "other_staff": other_staff, "admin": admin_user}
    users["member"] = member
    users["facilitator"] = facilitator
    for role in ["resident", "council_member", "clerk"]:
        users[role] = user_of_role(role)
    users["partner"] = user_of_role(Role.PARTNER, organisation="BrabantWonen")
    users["other_member"] = user_of_role(Role.COMMITTEE_MEMBER)
    users["other_facilitator"] = user_of_role(Role.FACILITATOR)
    other = CommitteeFactory(process=process, name="Comité Groen")
    MembershipFactory(committee=other, user=users["other_member"])
    MembershipFactory(
        committee=other,
        user=users["other_facilitator"],
        role=MemberRole.FACILITATOR,
        source=MembershipSource.ASSIGNED,
    )
    return users
