"""Seal and open notice recipients' addresses, so that none is stored in clear.

AES-256-GCM with a key derived from Django's SECRET_KEY (common.sealing, purpose
"notify-recipient"), the channel as associated data. A pending notice whose address no
configured key opens (SECRET_KEY changed with no SECRET_KEY_FALLBACKS) fails with a line
saying so (docs/configuration.md).
"""

from __future__ import annotations

from terbuka_web.common.sealing import text_open, text_seal

PURPOSE = "notify-recipient"


def recipient_seal(address: str, *, channel: str) -> bytes:
    """Return address sealed for channel."""
    return text_seal(address, purpose=PURPOSE, field=channel)


def recipient_open(sealed: bytes, *, channel: str) -> str | None:
    """Return the address recipient_seal sealed, None when it does not open (new key)."""
    return text_open(sealed, purpose=PURPOSE, field=channel)
