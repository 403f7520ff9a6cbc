"""Seal and open notice recipients' addresses, so that none is stored in clear.

AES-256-GCM (terbuka.registry.identity.seal) with a key derived from Django's SECRET_KEY
(HKDF-SHA-256, purpose "notify-recipient"), the channel as associated data. Changing the
secret key makes the addresses of pending notices unreadable: those notices fail with a
line saying so (docs/configuration.md).
"""

from __future__ import annotations

import functools

from django.conf import settings

from terbuka.registry.errors import SealError
from terbuka.registry.identity import key_derive, seal, unseal


@functools.cache
def _key(secret: str) -> bytes:
    return key_derive(secret, purpose="notify-recipient")


def recipient_seal(address: str, *, channel: str) -> bytes:
    """Return address sealed for channel."""
    return seal(_key(str(settings.SECRET_KEY)), address, field=channel)


def recipient_open(sealed: bytes, *, channel: str) -> str | None:
    """Return the address recipient_seal sealed, None when it does not open (new key)."""
    try:
        return unseal(_key(str(settings.SECRET_KEY)), bytes(sealed), field=channel)
    except SealError:
        return None
