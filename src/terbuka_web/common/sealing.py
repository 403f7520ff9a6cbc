"""Seal and open personal data kept for officers only (AES-256-GCM, key from SECRET_KEY).

The key is derived from Django's SECRET_KEY with HKDF-SHA-256 and a purpose
("notify-recipient", "case-identity"), so each use has its own key; the field name is the
associated data, so a sealed contact does not open as a name. Opening tries SECRET_KEY, then
each of SECRET_KEY_FALLBACKS (Django's way to rotate the key), so a rotation keeps what was
sealed before readable. Sealed with a key that is gone, a value opens as None.
"""

from __future__ import annotations

import functools

from django.conf import settings

from terbuka.registry.errors import SealError
from terbuka.registry.identity import key_derive, seal, unseal


@functools.cache
def _key(secret: str, purpose: str) -> bytes:
    return key_derive(secret, purpose=purpose)


def text_seal(text: str, *, purpose: str, field: str) -> bytes:
    """Return text sealed for purpose and field with the current SECRET_KEY ("" stays b"")."""
    return seal(_key(str(settings.SECRET_KEY), purpose), text, field=field) if text else b""


def text_open(sealed: bytes, *, purpose: str, field: str) -> str | None:
    """Return the text text_seal sealed ("" for b""), None when no configured key opens it."""
    if not sealed:
        return ""
    for secret in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())):
        try:
            return unseal(_key(str(secret), purpose), bytes(sealed), field=field)
        except SealError:
            continue
    return None
