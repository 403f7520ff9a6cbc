"""Tests of terbuka.money.accounts and .posting: account keys, amounts, the canonical form."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from terbuka.errors import FormatError
from terbuka.money.accounts import MAX_AMOUNT, Kind, account_kind, balance_check, rupiah
from terbuka.money.errors import AmountRefused, BalanceNegative, MoneyError, PostingUnbalanced
from terbuka.money.posting import (
    Leg,
    Posting,
    Side,
    posting_format,
    posting_hash,
    posting_make,
    posting_parse,
    posting_value,
)

GOLDEN = (
    b'{"currency":"IDR","key":"cycle:pkh-2026:1:3f9a0c","legs":['
    b'{"account":"programme:pkh-2026","amount":300000,"side":"debit"},'
    b'{"account":"entitlement:pkh-2026:3f9a0c","amount":300000,"side":"credit"}],'
    b'"memo":"PKH Januari 2026"}'
)
GOLDEN_POSTING = Posting(
    "cycle:pkh-2026:1:3f9a0c",
    (
        Leg("programme:pkh-2026", Side.DEBIT, 300000),
        Leg("entitlement:pkh-2026:3f9a0c", Side.CREDIT, 300000),
    ),
    "PKH Januari 2026",
)


def test_golden_pair() -> None:
    assert posting_format(GOLDEN_POSTING) == GOLDEN
    assert posting_parse(GOLDEN) == GOLDEN_POSTING
    assert posting_hash(GOLDEN_POSTING) == hashlib.sha256(GOLDEN).hexdigest()


def test_golden_memo_non_ascii_is_utf8() -> None:
    posting = posting_make(
        "k", [("treasury:apbd", "debit", 1), ("clawback:p", "credit", 1)], "Désa"
    )
    assert posting_format(posting).endswith(b'"memo":"D\xc3\xa9sa"}')
    assert posting_parse(posting_format(posting)) == posting


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"not json", "JSON"),
        (b"\xff", "UTF-8"),
        (GOLDEN.replace(b'"IDR"', b'"USD"'), "IDR"),
        (GOLDEN.replace(b"300000", b"300000.0"), "fractional"),
        (GOLDEN.replace(b"300000", b"3e5"), "fractional"),
        (GOLDEN.replace(b':"PKH', b': "PKH'), "canonical"),
        (
            GOLDEN.replace(b'{"currency":"IDR",', b'{"currency":"IDR","currency":"IDR",'),
            "canonical",
        ),
        (GOLDEN.replace(b',"memo":"PKH Januari 2026"', b""), "members"),
        (GOLDEN.replace(b'"memo"', b'"extra":1,"memo"'), "members"),
        (GOLDEN.replace(b',"side":"debit"', b""), "members"),
        (
            GOLDEN.replace(b'"legs":[', b'"legs":{"a":[').replace(b'}],"memo"', b'}]},"memo"'),
            "array",
        ),
        (b"[1]", "members"),
    ],
)
def test_parse_refuses_bad_bytes(data: bytes, match: str) -> None:
    with pytest.raises(FormatError, match=match):
        posting_parse(data)


@pytest.mark.parametrize(
    ("data", "error", "where"),
    [
        (GOLDEN.replace(b'"debit"', b'"debet"'), MoneyError, "/legs/0/side"),
        (GOLDEN.replace(b"300000,", b"true,", 1), AmountRefused, "/legs/0/amount"),
        (GOLDEN.replace(b"300000,", b"299999,", 1), PostingUnbalanced, "/legs"),
        (GOLDEN.replace(b"300000", b"0"), AmountRefused, "/legs/0/amount"),
        (GOLDEN.replace(b"300000", b"-5"), AmountRefused, "/legs/0/amount"),
        (GOLDEN.replace(b"300000", str(2**53).encode()), AmountRefused, "/legs/0/amount"),
        (GOLDEN.replace(b"programme:", b"bank:"), MoneyError, "/legs/0/account"),
        (
            GOLDEN.replace(b"entitlement:pkh-2026:3f9a0c", b"programme:pkh-2026"),
            MoneyError,
            "/legs/1/account",
        ),
        (GOLDEN.replace(b'"key":"cycle', b'"key":" cycle'), MoneyError, "/key"),
        (GOLDEN.replace(b"PKH Januari", b"PKH\\nJanuari"), MoneyError, "/memo"),
    ],
)
def test_parse_refuses_broken_rules(data: bytes, error: type[MoneyError], where: str) -> None:
    with pytest.raises(error) as caught:
        posting_parse(data)
    assert caught.value.where == where
    assert caught.value.message_id != caught.value.message_en  # bilingual


@pytest.mark.parametrize("amount", [1.0, 300000.0, True, False, "5", None, 0, -1, 2**53])
def test_rupiah_refuses_non_integers_and_out_of_range(amount: Any) -> None:
    with pytest.raises(AmountRefused):
        rupiah(amount)
    with pytest.raises(AmountRefused):
        posting_make("k", [("treasury:a", "debit", amount), ("programme:p", "credit", amount)])


def test_rupiah_bounds() -> None:
    assert rupiah(1) == 1
    assert rupiah(MAX_AMOUNT) == MAX_AMOUNT


def test_posting_needs_two_legs_and_a_valid_leg_type() -> None:
    with pytest.raises(MoneyError, match="2 to"):
        posting_make("k", [])
    with pytest.raises(MoneyError, match="2 to"):
        Posting("k", [Leg("treasury:a", Side.DEBIT, 1)] * 2)  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match="invalid posting leg"):
        Posting("k", (Leg("treasury:a", "debit", 1), Leg("programme:p", Side.CREDIT, 1)))  # type: ignore[arg-type]


def test_account_kinds() -> None:
    assert account_kind("entitlement:pkh-2026:3f9a0c") is Kind.ENTITLEMENT
    assert account_kind("wallet:did:key:z6Mk/food") is Kind.WALLET
    assert [k for k in Kind if k.may_go_negative] == [Kind.TREASURY]
    for bad in ["programme:", "programme", "Programme:x", "programme:a b", 5, "x" * 300]:
        with pytest.raises(MoneyError):
            account_kind(bad)


def test_balance_check() -> None:
    assert balance_check("treasury:apbd", -10) == -10
    assert balance_check("merchant:m", 0) == 0
    with pytest.raises(BalanceNegative, match="merchant:m"):
        balance_check("merchant:m", -1)
    with pytest.raises(MoneyError, match="64-bit"):
        balance_check("treasury:apbd", -(2**63))


ACCOUNTS = st.builds(
    lambda kind, ref: f"{kind.value}:{ref}",
    st.sampled_from(Kind),
    st.text("abcXYZ019._:@+/=-", min_size=1, max_size=12),
)
KEYS = st.text(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@+/=-",
    min_size=1,
    max_size=200,
)
# every memo memo_check lets through: no C0 control, DEL or surrogate (C1 controls pass)
MEMOS = st.text(
    st.characters(codec="utf-8", exclude_characters=[*map(chr, range(32)), "\x7f"]), max_size=30
) | st.text('ab"\\ ~\x80\x9f/', max_size=10)


@st.composite
def postings(draw: st.DrawFn) -> Posting:
    """Draw a valid posting: distinct accounts, credits split to match the debits."""
    accounts = draw(st.lists(ACCOUNTS, min_size=2, max_size=6, unique=True))
    cut = draw(st.integers(1, len(accounts) - 1))
    debits = draw(st.lists(st.integers(1, 10**12), min_size=cut, max_size=cut))
    credits_n = len(accounts) - cut
    total = sum(debits)
    if total < credits_n:
        debits[0] += credits_n - total
        total = sum(debits)
    cuts = (
        sorted(
            draw(
                st.lists(
                    st.integers(1, total - 1),
                    min_size=credits_n - 1,
                    max_size=credits_n - 1,
                    unique=True,
                )
            )
        )
        if credits_n > 1
        else []
    )
    bounds = [0, *cuts, total]
    credits = [b - a for a, b in itertools.pairwise(bounds)]
    legs = [Leg(a, Side.DEBIT, d) for a, d in zip(accounts[:cut], debits, strict=True)]
    legs += [Leg(a, Side.CREDIT, c) for a, c in zip(accounts[cut:], credits, strict=True)]
    key = draw(KEYS)
    return Posting(key, tuple(draw(st.permutations(legs))), draw(MEMOS))


@given(postings())
def test_format_parse_round_trip(posting: Posting) -> None:
    data = posting_format(posting)
    assert posting_parse(data) == posting
    assert posting_format(posting_parse(data)) == data


@given(st.binary(max_size=200))
def test_parse_raises_only_our_errors(data: bytes) -> None:
    with contextlib.suppress(FormatError, MoneyError):
        posting_parse(data)


@given(postings())
def test_format_equals_the_reference_rfc8785_encoder(posting: Posting) -> None:
    assert posting_format(posting) == rfc8785.dumps(posting_value(posting))


def test_memo_beyond_the_bmp_round_trips_and_surrogates_are_refused() -> None:
    legs = [("treasury:a", "debit", 1), ("programme:p", "credit", 1)]
    posting = posting_make("k", legs, "banjir \U0001f30a")
    assert posting_format(posting) == rfc8785.dumps(posting_value(posting))
    assert posting_parse(posting_format(posting)) == posting
    with pytest.raises(MoneyError, match="memo"):
        posting_make("k", legs, "\ud800")
    with pytest.raises(MoneyError, match="memo"):
        posting_make("k", legs, "x" * 501)
