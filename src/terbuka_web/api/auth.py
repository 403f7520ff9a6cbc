"""Authenticate API writes by the bearer tokens Terbuka issues, before the body is read.

Officers' tokens (benefits), village systems' tokens (budget) and merchants' sync tokens
(wallets) all arrive as "Authorization: Bearer <token>". As django-ninja auth, the token is
checked before the body is validated: a request without a valid token answers 401 in the API's
error shape, whatever its body, rather than 422 for a body it had no right to send.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from terbuka_web.api.errors import Unauthorised


class TokenBearer(HttpBearer):
    """Find who holds a request's bearer token with lookup; answer 401 with refusal if no one.

    lookup(request, token) returns the holder (a user, a merchant, a village code) or None;
    refusal is the message in Indonesian and English, e.g. ("token desa tidak sah", "the
    village token is not valid").
    """

    def __init__(self, lookup: Callable[[HttpRequest, str], Any], refusal: tuple[str, str]) -> None:
        self.lookup = lookup
        self.refusal = refusal
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any:
        """Return the holder (ninja stores it as request.auth); raise Unauthorised otherwise."""
        holder = super().__call__(request)
        if holder is None:
            raise Unauthorised(*self.refusal)
        return holder

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """Return the token's holder, or None for an empty or unknown token."""
        token = token.strip()
        return self.lookup(request, token) if token else None
