"""Share the strict text and base64 helpers of the signed formats (notes, checkpoints, proofs)."""

from __future__ import annotations

import base64
import binascii
import re

from terbuka.tlog.errors import MalformedError

_HEX_ID = re.compile(r"[0-9a-f]{8}")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
MAX_UINT64 = 2**64 - 1


def b64encode(data: bytes) -> str:
    """Return standard padded base64 (RFC 4648 §4)."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str, where: str) -> bytes:
    """Decode canonical standard padded base64; raise MalformedError otherwise."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        data = None
    if data is None or base64.b64encode(data).decode("ascii") != text:
        raise MalformedError(
            f"base64 tidak sah: {text[:40]!r}", f"invalid base64: {text[:40]!r}", where=where
        )
    return data


def parse_key_id(text: str, where: str) -> int:
    """Parse an 8-digit lowercase hex key ID; raise MalformedError otherwise."""
    if not _HEX_ID.fullmatch(text):
        raise MalformedError(
            f"ID kunci harus 8 digit heksadesimal kecil, bukan {text[:20]!r}",
            f"key ID must be 8 lowercase hex digits, not {text[:20]!r}",
            where=where,
        )
    return int(text, 16)


def parse_uint64(text: str, what: str, where: str) -> int:
    """Parse a decimal uint64 without sign or leading zeros; raise MalformedError otherwise."""
    if not _DECIMAL.fullmatch(text) or int(text) > MAX_UINT64:
        raise MalformedError(
            f"{what} harus bilangan desimal 0..2^64-1 tanpa nol di depan, bukan {text[:30]!r}",
            f"{what} must be a decimal 0..2^64-1 without leading zeros, not {text[:30]!r}",
            where=where,
        )
    return int(text)


def format_vkey(name: str, key_id: int, typed_key: bytes) -> str:
    """Return `name+hexid+base64(type||key)`."""
    return f"{name}+{key_id:08x}+{b64encode(typed_key)}"


def decode_utf8(data: bytes | str, where: str) -> str:
    """Return data as text, raising MalformedError when bytes are not valid UTF-8."""
    if isinstance(data, str):
        try:
            data.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise MalformedError(
                "teks bukan UTF-8 yang sah", "text is not valid UTF-8", where=where
            ) from exc
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedError(
            f"bukan UTF-8 yang sah pada byte {exc.start}",
            f"not valid UTF-8 at byte {exc.start}",
            where=where,
        ) from exc


def check_no_controls(text: str, where: str) -> None:
    """Reject ASCII control characters (below U+0020) other than newline (C2SP signed-note)."""
    for i, c in enumerate(text):
        if ord(c) < 0x20 and c != "\n":
            raise MalformedError(
                f"karakter kontrol U+{ord(c):04X} pada posisi {i}",
                f"control character U+{ord(c):04X} at position {i}",
                where=where,
            )
