"""Encode JSON values canonically (RFC 8785, JSON Canonicalization Scheme)."""

from __future__ import annotations

import json
from typing import Any

import rfc8785

from terbuka.errors import FormatError

_SAFE_INT = 2**53 - 1
_FAST = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
).encode


def canonical_json(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of value.

    Raises FormatError when value holds something JSON cannot carry (floats that are NaN,
    integers beyond 2^53, non-string keys). Example: {"b":1,"a":"x"} → b'{"a":"x","b":1}'.
    """
    if _plain(value):
        try:
            return _FAST(value).encode("utf-8")
        except UnicodeEncodeError:
            pass  # lone surrogates: rfc8785 below names the error
    try:
        return bytes(rfc8785.dumps(value))
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise FormatError(
            f"nilai tidak dapat dikanonikkan sebagai JSON: {exc}",
            f"value cannot be canonicalized as JSON: {exc}",
        ) from exc


def _plain(value: Any) -> bool:
    """Report whether json's C encoder gives value's RFC 8785 bytes exactly.

    True for nests of exact dict/list/str/bool/None and ints within ±(2^53-1), with string
    keys free of characters beyond U+FFFF (code point order then equals UTF-16 order). The
    C encoder's escapes (\\" \\\\ \\b \\f \\n \\r \\t, \\u00xx) are RFC 8785's. Floats take
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
