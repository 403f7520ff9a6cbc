"""Parse Indonesian amount strings to integer Rupiah, exactly (Decimal, never float).

Accepted: "1.234.567", "1.234.567,89", "Rp 1.234.567", "Rp1,2 T", "5.509,68 M", "Rp 12,3 juta",
"750 ribu", "-2.431,16 M", "(1.500.000)". "." groups thousands and "," is the decimal comma
(Indonesian convention); a unit (ribu/rb, juta/jt, miliar/milyar/M, triliun/T) multiplies.
lokal-id's parse_rupiah reads the same shapes and far more (slang, words, "2jtan"), through
floats and with approximations; a budget needs an exact, strict reading, so this module does
not use it (tests cross-check the two on the shapes both accept).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from terbuka.budget.errors import AmountError

UNITS: Final[dict[str, int]] = {
    "": 1,
    "ribu": 10**3,
    "rb": 10**3,
    "juta": 10**6,
    "jt": 10**6,
    "m": 10**9,
    "miliar": 10**9,
    "milyar": 10**9,
    "t": 10**12,
    "triliun": 10**12,
}
_AMOUNT: Final = re.compile(
    r"(?P<sign>[-−])?\s*(?:rp\.?|idr)?\s*"
    r"(?P<number>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<fraction>\d+))?"
    r"\s*(?P<unit>[a-z]*)\.?",
    re.IGNORECASE | re.ASCII,
)
LIMIT: Final = 10**18


def amount_parse(text: str, *, where: str = "") -> int:
    """Return text as integer Rupiah, sen rounded half up.

    Raises AmountError (bilingual, where = the field) for anything else: empty text, an
    English-style "1,234.56", a lone dot decimal "3788.74", an unknown unit, over 10^18.
    Example: amount_parse("5.509,68 M") == 5_509_680_000_000.
    """
    raw = text.strip()
    negative = raw.startswith("(") and raw.endswith(")")
    body = raw[1:-1].strip() if negative else raw
    match = _AMOUNT.fullmatch(body)
    if match is None or match["unit"].lower() not in UNITS:
        raise AmountError(
            f"{text!r} bukan jumlah rupiah (contoh: 1.234.567,89 atau 5.509,68 M)",
            f"{text!r} is not a Rupiah amount (e.g. 1.234.567,89 or 5.509,68 M)",
            where=where,
        )
    negative = negative or match["sign"] is not None
    if len(match["number"]) > 24 or len(match["fraction"] or "") > 4:
        raise AmountError(f"{text!r} terlalu panjang", f"{text!r} is too long", where=where)
    number = Decimal(match["number"].replace(".", "") + "." + (match["fraction"] or "0"))
    value = int((number * UNITS[match["unit"].lower()]).quantize(Decimal(1), ROUND_HALF_UP))
    if value >= LIMIT:
        raise AmountError(f"{text!r} terlalu besar", f"{text!r} is too large", where=where)
    return -value if negative else value


def decimal_billions_parse(text: str, *, where: str = "") -> int:
    """Return a dot-decimal amount in billions (DJPK 2021 files: "3788.74") as integer Rupiah.

    Raises AmountError for anything but digits with an optional sign and dot decimal.
    Example: decimal_billions_parse("-2431.16") == -2_431_160_000_000.
    """
    if re.fullmatch(r"-?\d+(?:\.\d+)?", text.strip(), re.ASCII) is None:
        raise AmountError(
            f"{text!r} bukan angka miliar (contoh: 3788.74)",
            f"{text!r} is not an amount in billions (e.g. 3788.74)",
            where=where,
        )
    value = Decimal(text.strip()) * 10**9
    return int(value.quantize(Decimal(1), ROUND_HALF_UP))


def amount_format(value: int) -> str:
    """Return value in Indonesian grouping, the inverse of amount_parse for integers.

    Example: amount_format(-1234567) == "-1.234.567".
    """
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")
