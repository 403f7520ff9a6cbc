"""Digest the bearer tokens Terbuka issues (officers', merchants', village systems')."""

from __future__ import annotations

import hashlib


def token_digest(token: str) -> str:
    """Return the SHA-256 (hex) a token is stored as: tokens are random, so no slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()
