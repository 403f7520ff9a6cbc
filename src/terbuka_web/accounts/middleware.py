"""Middleware of the accounts app: a one-time password is changed before any other work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# The officials' areas (/kelola/, /akun/) where a one-time password must be changed first.
GUARDED = frozenset({"contracting", "accounts"})
ALLOWED = frozenset({"accounts:password_change", "accounts:logout", "accounts:login"})


class PasswordChangeRequiredMiddleware:
    """Send a user still on an admin-given one-time password to /akun/sandi/ from any page of
    /kelola/ or /akun/ other than the password change, login and logout themselves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        """Redirect to the password change when the user must change a one-time password."""
        match = request.resolver_match
        user = getattr(request, "user", None)
        if (
            match is None
            or match.namespace not in GUARDED
            or match.view_name in ALLOWED
            or not getattr(user, "password_change_required", False)
        ):
            return None
        target = reverse("accounts:password_change")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
