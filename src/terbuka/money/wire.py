"""Read and write the fields of the wallet's compact text formats (intent, allowance, payload).

Fields are separated by "."; each field is checked strictly so that one message has exactly
one text: integers in decimal without leading zeros, byte strings in base64url without
padding (RFC 4648 §5) that re-encode to the same text, identifiers of [A-Za-z0-9_-].
Every refusal is a WalletFormatError naming the field.
"""

from __future__ import annotations

import base64
import binascii
import re
import string

from terbuka.bounds import MAX_SAFE_INTEGER as MAX_SAFE
from terbuka.money.errors import WalletFormatError

_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
_DIGITS = re.compile(r"0|[1-9][0-9]{0,15}")
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_B64_VALUE = {c: n for n, c in enumerate(string.ascii_uppercase + string.ascii_lowercase
                                         + string.digits + "-_")}  # fmt: skip


def b64url_encode(data: bytes) -> str:
    """Return data in base64url without padding, e.g. b"\\xff" → "_w"."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str, size: int, where: str) -> bytes:
    """Return the size bytes of canonical unpadded base64url text; raise WalletFormatError.

    Canonical: the one text b64url_encode gives, i.e. of the right length, and the bits of the
    last character beyond the data zero (checked by table: a sync decodes two per voucher).
    """
    if len(text) == (size * 4 + 2) // 3 and _B64URL.fullmatch(text):
        spare = len(text) * 6 - size * 8  # 0, 2 or 4 bits
        if not text or _B64_VALUE[text[-1]] & ((1 << spare) - 1) == 0:
            try:
                data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            except (binascii.Error, ValueError):
                data = b""
            if len(data) == size:
                return data
    raise WalletFormatError(
        f"harus base64url tanpa padding dari {size} bita",
        f"must be unpadded base64url of {size} bytes",
        where=where,
    )


def identifier_check(text: str, where: str) -> str:
    """Return text when it is 1–32 characters of [A-Za-z0-9_-]; raise WalletFormatError."""
    if not _ID.fullmatch(text):
        raise WalletFormatError(
            "pengenal harus 1–32 karakter huruf, angka, '_' atau '-'",
            "an identifier must be 1–32 characters of letters, digits, '_' or '-'",
            where=where,
        )
    return text


def integer_parse(text: str, where: str, *, minimum: int = 0) -> int:
    """Return the decimal integer text (no sign, no leading zero, ≤ 2^53-1, ≥ minimum)."""
    if _DIGITS.fullmatch(text):
        value = int(text)
        if minimum <= value <= MAX_SAFE:
            return value
    raise WalletFormatError(
        f"harus bilangan bulat desimal {minimum}..{MAX_SAFE} tanpa nol di depan",
        f"must be a decimal integer {minimum}..{MAX_SAFE} without leading zeros",
        where=where,
    )


def integer_check(value: int, where: str, *, minimum: int = 0) -> int:
    """Return value when it is an int (not bool) within minimum..2^53-1; raise WalletFormatError."""
    if type(value) is int and minimum <= value <= MAX_SAFE:
        return value
    raise WalletFormatError(
        f"harus bilangan bulat {minimum}..{MAX_SAFE}",
        f"must be an integer {minimum}..{MAX_SAFE}",
        where=where,
    )


def fields_split(text: str, header: str, count: int, *, limit: int, what: str) -> list[str]:
    """Return the count fields after header in text ("HEADER.f1.f2..."); WalletFormatError else."""
    if not isinstance(text, str) or len(text) > limit or not text.isascii():
        raise WalletFormatError(
            f"{what} harus teks ASCII paling panjang {limit} karakter",
            f"{what} must be ASCII text of at most {limit} characters",
            where=what,
        )
    parts = text.split(".")
    if parts[0] != header:
        raise WalletFormatError(
            f"{what} harus diawali '{header}.' (versi format tidak dikenal)",
            f"{what} must start with '{header}.' (unknown format version)",
            where=what,
        )
    if len(parts) != count + 1:
        raise WalletFormatError(
            f"{what} harus punya {count} kolom setelah '{header}', bukan {len(parts) - 1}",
            f"{what} must have {count} fields after '{header}', not {len(parts) - 1}",
            where=what,
        )
    return parts[1:]
