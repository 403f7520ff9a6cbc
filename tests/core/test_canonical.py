"""Tests of terbuka.canonical: RFC 8785 bytes, fast path equal to the reference encoder."""

from __future__ import annotations

import json
from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from terbuka.canonical import canonical_json, canonical_string, json_loads_plain
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


PARSED = st.recursive(
    SCALARS | st.integers() | st.sampled_from([100.0, 2**53, -(2**53) + 1, "\U0001f600", "\ud800"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text() | st.sampled_from(["\U0001f600", "\ufb01"]), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(PARSED, st.booleans())
def test_json_loads_plain_only_vouches_for_exact_fast_bytes(value: Any, ascii_only: bool) -> None:
    parsed, plain = json_loads_plain(json.dumps(value, ensure_ascii=ascii_only))
    if plain:  # same bytes, or the same refusal (lone surrogates)
        assert _outcome(parsed, plain=True) == _outcome(parsed, plain=False)


def _outcome(value: Any, *, plain: bool) -> bytes | str:
    try:
        return canonical_json(value, plain=plain)
    except FormatError:
        return "FormatError"


def test_json_loads_plain_examples() -> None:
    assert json_loads_plain('{"a":[1,"\u00e9",null,true]}') == ({"a": [1, "é", None, True]}, True)
    for text in ("[1.5]", "[9007199254740992]", '{"\U0001f600":1}', '{"\\ud83d\\ude00":1}'):
        assert json_loads_plain(text)[1] is False, text


@given(st.text(st.characters(codec="utf-8")) | st.text('ab"\\\x00\x1f\x7f\x80 ~'))
def test_canonical_string_equals_the_reference_encoder(text: str) -> None:
    assert canonical_string(text).encode() == rfc8785.dumps(text) == canonical_json(text)


def test_canonical_string_examples() -> None:
    assert canonical_string("35.22.01.2001") == '"35.22.01.2001"'
    assert canonical_string('a"b\\c\n') == '"a\\"b\\\\c\\n"'
    assert canonical_string("Désa\x7f") == '"Désa\x7f"'
