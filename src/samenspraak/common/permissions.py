"""Helpers so every view asks the one rules policy the same way."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


class LoginRequired(Exception):
    """Raised for anonymous users; the view turns it into a redirect to the log-in page."""


def require_perm(request, perm: str, obj=None) -> None:
    """Raise unless ``request.user`` has ``perm`` (on ``obj``): log in first, or 403."""
    if request.user.has_perm(perm, obj):
        return
    if not request.user.is_authenticated:
        raise LoginRequired
    raise PermissionDenied(perm)


class LoginRequiredMiddleware:
    """Turns ``LoginRequired`` into a redirect to the log-in page with ?next=."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, LoginRequired):
            return redirect_to_login(request.get_full_path())
        return None
