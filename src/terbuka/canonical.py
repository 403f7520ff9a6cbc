"""Encode JSON values canonically (RFC 8785, JSON Canonicalization Scheme)."""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
import rfc8785

from terbuka.errors import FormatError

_SAFE_INT = 2**53 - 1
_FAST_OPTIONS = orjson.OPT_SORT_KEYS


def canonical_json(value: Any, *, plain: bool = False) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of value.

    plain=True skips checking that value is plain (see _plain), for a value the caller knows
    is: json_loads_plain said so. Raises FormatError when value holds something JSON cannot
    carry (floats that are NaN, integers beyond 2^53, non-string keys).
    Example: {"b":1,"a":"x"} → b'{"a":"x","b":1}'.
    """
    if plain or _plain(value):
        try:
            return orjson.dumps(value, option=_FAST_OPTIONS)
        except orjson.JSONEncodeError:
            pass  # lone surrogates: rfc8785 below names the error
    try:
        return bytes(rfc8785.dumps(value))
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise FormatError(
            f"nilai tidak dapat dikanonikkan sebagai JSON: {exc}",
            f"value cannot be canonicalized as JSON: {exc}",
        ) from exc


def canonical_string(text: str) -> str:
    """Return the RFC 8785 canonical JSON text of the string text, quotes included.

    Printable ASCII without a quote or a backslash is written as is (nothing to escape), the
    fast path of the formats built by string (terbuka.money.posting, terbuka.registry.cycles);
    anything else goes through canonical_json. Example: 'a"b' → '"a\\"b"'.
    """
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return canonical_json(text).decode()


# The escape of a UTF-16 high surrogate: JSON text's way to write a character beyond U+FFFF.
_ESCAPED_HIGH_HALF = re.compile(r"\\u[dD][89abAB]")


def json_loads_plain(text: str, **options: Any) -> tuple[Any, bool]:
    """Return json.loads(text, **options) and whether the value is plain for canonical_json.

    Plain means no float, no integer beyond ±(2^53-1) and no character beyond U+FFFF anywhere
    (json.loads gives exact types and string keys): then canonical_json(…, plain=True) of
    the value or of its parts is exact. options must not set parse_int or parse_float.
    Raises what json.loads raises. Example: '{"a":1}' → ({"a": 1}, True); '[1.5]' → False.
    """
    value, plain, _bounded = json_loads_checked(text, **options)
    return value, plain


# A NUL or a lone UTF-16 surrogate can only reach a parsed string through an escape: raw
# control characters are not JSON, and UTF-8 text holds no surrogate.
_ESCAPED_FAULT = re.compile(
    r"\\u0000|\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def json_loads_checked(text: str, **options: Any) -> tuple[Any, bool, bool]:
    """Return json_loads_plain(text, **options) and whether the value surely keeps the bounds.

    Bounded (terbuka.bounds): every number finite and within ±(2^53-1), and no escape that
    could give a NUL or a lone surrogate; False means "maybe not": walk it with
    terbuka.bounds.json_faults to find where. Example: '[1e400]' → ([inf], False, False).
    """
    numbers = _Numbers()
    value = json.loads(text, parse_int=numbers.integer, parse_float=numbers.real, **options)
    bounded = numbers.bounded and ("\\u" not in text or not _ESCAPED_FAULT.search(text))
    return value, numbers.plain and _within_bmp(text), bounded


def _within_bmp(text: str) -> bool:
    """Report whether text has no character beyond U+FFFF, written as such or escaped."""
    if "\\" in text and _ESCAPED_HIGH_HALF.search(text):  # a memchr first: often no escape
        return False
    return text.isascii() or len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)


class _Numbers:
    """Parse JSON numbers, noting whether each is an integer canonical_json's fast path takes."""

    __slots__ = ("bounded", "plain")

    def __init__(self) -> None:
        self.plain = True
        self.bounded = True

    def integer(self, token: str) -> int | float:
        """Return the integer of token, noting one beyond ±(2^53-1).

        A token of more than 20 characters is beyond any int64 and RFC 8785: its float (inf
        past 309 digits) is returned, as int() refuses more than 4300 digits (CVE-2020-10735)
        and terbuka.bounds reports it with its place.
        """
        if len(token) > 20:
            self.plain = self.bounded = False
            return float(token)
        number = int(token)
        if not -_SAFE_INT <= number <= _SAFE_INT:
            self.plain = self.bounded = False
        return number

    def real(self, token: str) -> float:
        """Return the float of token, noting that a float was seen (and one out of bounds)."""
        self.plain = False
        number = float(token)
        if not -_SAFE_INT <= number <= _SAFE_INT:  # False for inf and nan too
            self.bounded = False
        return number


def _plain(value: Any) -> bool:
    """Report whether orjson (keys sorted) gives value's RFC 8785 bytes exactly.

    True for nests of exact dict/list/str/bool/None and ints within ±(2^53-1), with string
    keys free of characters beyond U+FFFF (code point order then equals UTF-16 order). Its
    escapes (\\" \\\\ \\b \\f \\n \\r \\t, \\u00xx) are RFC 8785's. Floats take
    the reference path (ECMAScript number formatting).
    """
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or (not key.isascii() and max(key) > "\uffff"):
                return False
            if not _plain(item):
                return False
        return True
    if kind is list:
        return all(map(_plain, value))
    if kind is str or kind is bool or value is None:
        return True
    return kind is int and -_SAFE_INT <= value <= _SAFE_INT
