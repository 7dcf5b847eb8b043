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
