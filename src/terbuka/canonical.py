"""Encode JSON values canonically (RFC 8785, JSON Canonicalization Scheme)."""

from __future__ import annotations

from typing import Any

import rfc8785

from terbuka.errors import FormatError


def canonical_json(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of value.

    Raises FormatError when value holds something JSON cannot carry (floats that are NaN,
    integers beyond 2^53, non-string keys). Example: {"b":1,"a":"x"} → b'{"a":"x","b":1}'.
    """
    try:
        return bytes(rfc8785.dumps(value))
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise FormatError(
            f"nilai tidak dapat dikanonikkan sebagai JSON: {exc}",
            f"value cannot be canonicalized as JSON: {exc}",
        ) from exc
