"""Check the bounds every value Terbuka stores must keep: text, numbers and dates.

What a database, RFC 8785 canonical JSON and the OCDS tools (ocdskit, flatten-tool, Excel,
JavaScript) all handle:
- text: no NUL (PostgreSQL text and jsonb cannot hold U+0000) and no lone UTF-16 surrogate
  (U+D800–U+DFFF cannot be encoded as UTF-8, so no file or column can hold one);
- numbers: finite and within ±(2^53 − 1), the integers an IEEE double holds exactly
  (RFC 7493 I-JSON §2.2, RFC 8785 §3.2.2.3); a schema's number fields (amounts, quantities)
  within ±10^15, what Excel's 15 significant digits show exactly (Rp 1.000 triliun, far
  above any procurement);
- dates: years 1–9999 once converted to UTC (0001-01-01T00:00:00+14:00 is 1 BC in UTC), with
  14 hours to spare so that every time zone can show them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1
MAX_AMOUNT = 10**15
MIN_YEAR, MAX_YEAR = 1, 9999

_SURROGATES = range(0xD800, 0xE000)


@dataclass(frozen=True)
class Fault:
    """Describe one value out of bounds: where (path of keys and indexes), code, id, en."""

    path: tuple[str | int, ...]
    code: str
    message_id: str
    message_en: str


def text_fault(text: str) -> tuple[str, str, str] | None:
    """Return (code, Indonesian, English) when text holds a NUL or a lone surrogate, else None.

    Example: text_fault("a\\x00") → ("text_nul", "teks berisi karakter NUL (U+0000)…", …).
    """
    if text.isascii():
        if "\x00" not in text:
            return None
    elif "\x00" not in text and not any(ord(c) in _SURROGATES for c in text):
        return None
    if "\x00" in text:
        return (
            "text_nul",
            f"teks berisi karakter NUL (U+0000) di posisi {text.index(chr(0))}",
            f"text holds a NUL character (U+0000) at position {text.index(chr(0))}",
        )
    at = next(i for i, c in enumerate(text) if ord(c) in _SURROGATES)
    return (
        "text_surrogate",
        f"teks berisi surrogate UTF-16 tunggal (U+{ord(text[at]):04X}) di posisi {at}",
        f"text holds a lone UTF-16 surrogate (U+{ord(text[at]):04X}) at position {at}",
    )


def number_fault(number: float, limit: int = MAX_SAFE_INTEGER) -> tuple[str, str, str] | None:
    """Return (code, Indonesian, English) when number is not finite or beyond ±limit, else None.

    Example: number_fault(1e400) → ("number_range", "angka tak hingga…", …).
    """
    if isinstance(number, float) and not math.isfinite(number):
        return (
            "number_range",
            "angka tak hingga atau terlalu besar untuk JSON",
            "number is infinite or too large for JSON",
        )
    if -limit <= number <= limit:
        return None
    if abs(number) < 10**30:
        shown = repr(number)
    else:  # no str() of a huge int: Python limits that conversion to 4300 digits
        shown = f"{'-' if number < 0 else ''}10^{int(math.log10(abs(number)))}"
    return (
        "number_range",
        f"angka {shown} di luar batas ±{limit:,}".replace(",", "."),
        f"number {shown} is beyond ±{limit:,}",
    )


# A path is None (the root) or (parent path, key or index): pointers are built for faults only.
_Path = tuple[Any, str | int] | None


def path_of(path: _Path) -> tuple[str | int, ...]:
    """Return the keys and indexes of a linked path, root first."""
    parts: list[str | int] = []
    while path is not None:
        path, key = path
        parts.append(key)
    return tuple(reversed(parts))


def printable(part: str | int) -> str:
    """Return part with NUL and lone surrogates written as JSON escapes (\\u0000, \\ud800)."""
    text = str(part)
    if text_fault(text) is None:
        return text
    return "".join(f"\\u{ord(c):04x}" if c == "\x00" or ord(c) in _SURROGATES else c for c in text)


def pointer(path: tuple[str | int, ...]) -> str:
    """Return the RFC 6901 JSON pointer of path, printable (see printable).

    Example: pointer(("a", 0, "b/c")) → "/a/0/b~1c"; pointer(("\\ud800",)) → "/\\\\ud800".
    """
    return "".join("/" + printable(p).replace("~", "~0").replace("/", "~1") for p in path)


def json_faults(value: Any) -> Iterator[Fault]:
    """Yield a Fault for each key or string with NUL or a lone surrogate and each bad number.

    Walks without recursion, so any depth json.loads produced is safe. Spec: RFC 8259 §8.2
    (unpaired surrogates), RFC 7493 §2.2 (numbers).
    Example: json_faults({"a": [1e400]}) yields Fault(("a", 0), "number_range", …).
    """
    stack: list[tuple[_Path, Any]] = [(None, value)]
    while stack:
        path, item = stack.pop()
        kind = type(item)
        if kind is dict:
            for key, sub in item.items():
                found = text_fault(key)
                if found is not None:
                    where = path_of((path, key))
                    yield Fault(where, found[0], f"kunci JSON: {found[1]}", f"JSON key: {found[2]}")
                stack.append(((path, key), sub))
        elif kind is list:
            stack.extend(((path, i), sub) for i, sub in enumerate(item))
        elif kind is str:
            found = text_fault(item)
            if found is not None:
                yield Fault(path_of(path), *found)
        elif kind is int or kind is float:
            found = number_fault(item)
            if found is not None:
                yield Fault(path_of(path), *found)


# Years MIN_YEAR-MAX_YEAR in UTC, with 14 hours to spare at each end: any time zone (UTC-12
# to UTC+14, e.g. Asia/Jakarta for display) can then show the moment without overflowing.
EARLIEST = datetime(MIN_YEAR, 1, 1, 14, tzinfo=UTC)
LATEST = datetime(MAX_YEAR, 12, 31, 10, tzinfo=UTC)


def utc_in_range(moment: datetime) -> bool:
    """Report whether aware moment lies in years MIN_YEAR–MAX_YEAR in UTC and every time zone.

    Example: datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))) → False (1 BC in UTC);
    "9999-12-31T23:59:59+14:00" → True (09:59:59 UTC).
    """
    try:
        return EARLIEST <= moment.astimezone(UTC) < LATEST
    except OverflowError:
        return False
