"""Test the public side of disbursement cycles in the core: pseudonyms (golden value), the log
entries' shape, and recomputing per-village totals from log entries alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terbuka.canonical import canonical_json
from terbuka.errors import FormatError, VerificationError
from terbuka.registry.cycles import (
    CREDIT,
    VILLAGE_TOTAL,
    credit_entry,
    credit_payload,
    cycle_totals,
    pseudonym,
    published_parse,
    totals_differences,
    village_total_payload,
)

NIK_HASH = "a" * 64


def test_the_pseudonym_is_keyed_per_programme_and_never_the_nik_hash() -> None:
    one = pseudonym(b"k" * 32, "blt-desil", NIK_HASH)
    assert one == pseudonym(b"k" * 32, "blt-desil", NIK_HASH) and len(one) == 32
    assert one != pseudonym(b"k" * 32, "banjir", NIK_HASH)
    assert one != pseudonym(b"j" * 32, "blt-desil", NIK_HASH)
    assert one not in NIK_HASH and int(one, 16) >= 0
    assert one == "d0b569b056675b31c5e1f165f49df856"  # golden: HMAC-SHA-256, first 128 bits


def test_the_credit_entry_has_the_acceptance_shape() -> None:
    data = canonical_json({"kind": CREDIT, **credit_payload(
        programme="blt-desil", cycle=1, pseudonym="5d0c" * 8, amount=300000,
        village_code="35.22.01.2001")})  # fmt: skip
    assert data == (
        b'{"amount":300000,"cycle":1,"kind":"benefit.credit","programme":"blt-desil",'
        b'"pseudonym":"5d0c5d0c5d0c5d0c5d0c5d0c5d0c5d0c","village_code":"35.22.01.2001"}'
    )
    payload = village_total_payload(
        programme="blt-desil", cycle=1, village_code="35.22.01.2001", credited=2100000
    )
    total = canonical_json({"kind": VILLAGE_TOTAL, **payload})
    assert total == (
        b'{"credited":2100000,"cycle":1,"kind":"benefit.village_total","programme":"blt-desil",'
        b'"village_code":"35.22.01.2001"}'
    )


@given(
    programme=st.text(min_size=1, max_size=20), cycle=st.integers(-(2**60), 2**60),
    pseudonym=st.text(max_size=40) | st.text("0123456789abcdef", min_size=32, max_size=32),
    amount=st.integers(-(2**60), 2**60) | st.booleans(),
    village_code=st.text(max_size=20)
    | st.from_regex(r"35\.22\.[0-9]{2}\.[0-9]{4}", fullmatch=True),
)  # fmt: skip
def test_the_credit_entry_built_by_string_is_the_canonical_json(
    programme: str, cycle: int, pseudonym: str, amount: int, village_code: str
) -> None:
    fields = {"programme": programme, "cycle": cycle, "pseudonym": pseudonym, "amount": amount,
              "village_code": village_code}  # fmt: skip
    try:
        expected = canonical_json({"kind": CREDIT, **credit_payload(**fields)})
    except FormatError:  # a lone surrogate or a number beyond 2^53: refused alike
        with pytest.raises(FormatError):
            credit_entry(**fields)
        return
    assert credit_entry(**fields) == expected


def _credit(ps: str, amount: int, village: str, cycle: int = 1, programme: str = "p") -> bytes:
    payload = credit_payload(
        programme=programme, cycle=cycle, pseudonym=ps, amount=amount, village_code=village
    )
    return canonical_json({"kind": CREDIT, **payload})


@given(st.lists(st.tuples(st.sampled_from(["35.22.01.2001", "35.22.02.2001"]),
                          st.integers(1, 10**9)), max_size=40))  # fmt: skip
def test_totals_recomputed_from_credits_are_the_sums_per_village(
    credits: list[tuple[str, int]],
) -> None:
    entries = [_credit(f"{i:032x}", amount, village) for i, (village, amount) in enumerate(credits)]
    entries += [_credit("f" * 32, 5, "35.22.01.2001", cycle=2), b"not json", b'{"kind":"x"}']
    entries.append(_credit("e" * 32, 7, "35.22.01.2001", programme="other"))
    totals = cycle_totals(entries, "p", 1)
    expected: dict[str, int] = {}
    for village, amount in credits:
        expected[village] = expected.get(village, 0) + amount
    assert totals.credited == expected and totals.credits == len(credits)
    assert totals_differences(expected, totals.credited) == []


def test_a_pseudonym_credited_twice_or_a_total_logged_twice_fails() -> None:
    with pytest.raises(VerificationError, match="twice"):
        cycle_totals([_credit("a" * 32, 1, "x"), _credit("a" * 32, 1, "y")], "p", 1)
    total = canonical_json({"kind": VILLAGE_TOTAL, **village_total_payload(
        programme="p", cycle=1, village_code="x", credited=1)})  # fmt: skip
    with pytest.raises(VerificationError):
        cycle_totals([total, total], "p", 1)


def test_published_totals_are_parsed_and_compared() -> None:
    shown = published_parse(b'[{"village_code": "x", "credited": 5, "refused": 1}]')
    assert shown == {"x": 5}
    assert totals_differences({"x": 6}, shown) == ["x: 6 \u2260 5"]
    assert totals_differences({"x": 5}, {"x": 5, "y": 0}) == []
    for bad in (b"{}", b"[1]", b"nope", b'[{"village_code": "x"}]'):
        with pytest.raises(FormatError):
            published_parse(bad)
