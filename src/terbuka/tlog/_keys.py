"""Parse signed-note verifier keys and compute key IDs (C2SP signed-note §"Verifier keys")."""

from __future__ import annotations

import hashlib

from terbuka.tlog import _text
from terbuka.tlog.errors import MalformedError

ALG_ED25519 = 0x01
NAME_ID_TYPES = frozenset({ALG_ED25519, 0x04, 0x06})
"""Key types whose key ID is SHA-256(name || 0x0A || type || key)[:4]: Ed25519, cosignature/v1
and ML-DSA-44 (only the first two can verify here)."""


def key_id(name: str, key_type: int, public_key: bytes) -> int:
    """Return the key ID SHA-256(name || 0x0A || type || public key)[:4] (C2SP signed-note)."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def check_key_name(name: str, where: str = "key name") -> None:
    """Check a key name: non-empty UTF-8 without spaces, control characters or "+".

    Raises MalformedError. Spec: C2SP signed-note §"Signatures".
    """
    if not name or "+" in name or any(c.isspace() or ord(c) < 0x20 for c in name):
        raise MalformedError(
            f"nama kunci tidak sah {name!r}: harus tidak kosong, tanpa spasi atau '+'",
            f"invalid key name {name!r}: must be non-empty, without spaces or '+'",
            where=where,
        )


def split_vkey(vkey: str, where: str = "vkey") -> tuple[str, int, int, bytes]:
    """Split `name+hexid+base64(type||key)` into (name, key ID, type, key), checking the ID.

    Raises MalformedError when a part is missing or invalid, or the key ID does not match
    SHA-256(name || 0x0A || type || key)[:4]. Spec: C2SP signed-note §"Verifier keys".
    Example: `PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW`.
    """
    parts = vkey.split("+", 2)
    if len(parts) != 3:
        raise MalformedError(
            "kunci verifikasi harus berbentuk nama+id+base64",
            "verifier key must have the form name+id+base64",
            where=where,
        )
    name, hex_id, key64 = parts
    check_key_name(name, where)
    kid = _text.parse_key_id(hex_id, where)
    raw = _text.b64decode(key64, where)
    if len(raw) < 2:
        raise MalformedError("kunci verifikasi kosong", "verifier key is empty", where=where)
    if raw[0] not in NAME_ID_TYPES:
        raise MalformedError(
            f"jenis kunci 0x{raw[0]:02x} tidak didukung (hanya Ed25519 0x01 dan 0x04)",
            f"key type 0x{raw[0]:02x} is not supported (only Ed25519 0x01 and 0x04)",
            where=where,
        )
    if key_id(name, raw[0], raw[1:]) != kid:
        raise MalformedError(
            f"ID kunci {hex_id} tidak cocok dengan nama dan kunci",
            f"key ID {hex_id} does not match the name and key",
            where=where,
        )
    return name, kid, raw[0], raw[1:]
