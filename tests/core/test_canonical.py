"""Tests of terbuka.canonical: RFC 8785 bytes, fast path equal to the reference encoder."""

from __future__ import annotations

from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from terbuka.canonical import canonical_json
from terbuka.errors import FormatError

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def test_canonical_json_golden() -> None:
    value = {"b": [1, True, None, 'é\n"\\\x01'], "a": {"z": 0, "\u00e9": 1.5, "y": 1e21}}
    assert canonical_json(value) == (
        b'{"a":{"y":1e+21,"z":0,"\xc3\xa9":1.5},"b":[1,true,null,"\xc3\xa9\\n\\"\\\\\\u0001"]}'
    )
    assert canonical_json({"n": 100.0, "t": (1, 2)}) == b'{"n":100,"t":[1,2]}'


def test_canonical_json_sorts_keys_by_utf16_units() -> None:
    # U+1F600 is D83D DE00 in UTF-16, before U+FB01 (code point order says the opposite).
    assert canonical_json({"\ufb01": 1, "\U0001f600": 2}) == rfc8785.dumps(
        {"\ufb01": 1, "\U0001f600": 2}
    )
    assert canonical_json({"\ufb01": 1, "\U0001f600": 2}).index(b"\xf0") < 5


@pytest.mark.parametrize(
    "value",
    [{1: "x"}, {"n": 2**53}, {"n": [float("nan")]}, {"s": "\ud800"}, {"o": object()}],
)
def test_canonical_json_refuses_what_json_cannot_carry(value: Any) -> None:
    with pytest.raises(FormatError, match="canonicalized"):
        canonical_json(value)


@given(JSON)
def test_canonical_json_equals_reference_encoder(value: Any) -> None:
    try:
        expected = rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:
        with pytest.raises(FormatError):
            canonical_json(value)
        return
    assert canonical_json(value) == expected
