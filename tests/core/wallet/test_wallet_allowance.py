"""Test the offline allowance: golden bytes, issuer signature, parser fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.core.wallet.samples import ISSUER, OTHER, WALLET, allowance_of

from terbuka.money.allowance import Allowance, SignedAllowance, allowance_verify
from terbuka.money.errors import SignatureRefused, WalletFormatError

SIGNING_BYTES = (
    b'{"amount":150000,"categories":["atk","warung"],"count":5,"day_cap":100000,'
    b'"expires":1797120000,"payment_cap":50000,"programme":"pip-2026","regions":["3522"],'
    b'"start":1,"type":"terbuka/offline-allowance/1",'
    b'"wallet":"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"}'
)
WIRE = (
    "TOA1.z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp.pip-2026.150000.5.1.1797120000."
    "50000.100000.atk,warung.3522."
    "tpZlgyo4toVXrRg0pey9LVL__BsqmvzXhLMOpPPvrRv3YHQxo3aKK9VBK6YlnbhgCuFQyH4Q3m6_F_M5q06oBQ"
)


def test_golden_allowance_formats_parses_and_verifies() -> None:
    signed = allowance_of()
    assert signed.allowance.signing_bytes() == SIGNING_BYTES
    assert signed.format() == WIRE
    assert SignedAllowance.parse(WIRE) == signed
    allowance_verify(signed, ISSUER.did)
    assert signed.hash() == "QhiK6YDbomV0S17ZkmTHmTrIYdIx8RksmSwp34USPt4"


def test_short_form_takes_wallet_and_programme_from_the_intent() -> None:
    short = allowance_of().format_short()
    assert short.startswith("TOA1...150000.")
    parsed = SignedAllowance.parse(short, wallet=WALLET.did, programme="pip-2026")
    assert parsed == allowance_of()
    with pytest.raises(WalletFormatError, match="leave the wallet and programme fields empty"):
        SignedAllowance.parse(WIRE, wallet=WALLET.did, programme="pip-2026")


def test_allowance_of_another_issuer_or_altered_is_refused() -> None:
    with pytest.raises(SignatureRefused, match="not the issuer's"):
        allowance_verify(allowance_of(), OTHER.did)
    with pytest.raises(SignatureRefused):
        allowance_verify(SignedAllowance.parse(WIRE.replace(".150000.", ".950000.")), ISSUER.did)


def test_empty_lists_mean_any() -> None:
    text = WIRE.replace(".atk,warung.3522.", "...")
    assert SignedAllowance.parse(text).allowance.categories == ()
    assert SignedAllowance.parse(text).allowance.regions == ()


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (".atk,warung.", ".warung,atk.", "categories"),
        (".atk,warung.", ".atk,atk.", "categories"),
        (".3522.", ".35.22.", "allowance"),
        (".3522.", ".352.", "regions"),
        (".3522.", ".35220120.", "regions"),
        (".5.1.", ".0.1.", "count"),
        (".5.1.", ".5.0.", "start"),
    ],
)
def test_malformed_allowance_names_the_field(old: str, new: str, where: str) -> None:
    with pytest.raises(WalletFormatError) as info:
        SignedAllowance.parse(WIRE.replace(old, new))
    assert info.value.where == where
    assert info.value.message_id != info.value.message_en


def test_counters_covered() -> None:
    allowance = allowance_of(start=3, count=2).allowance
    assert [n for n in range(1, 7) if allowance.covers(n)] == [3, 4]
    assert isinstance(allowance, Allowance)


@given(st.integers(0, len(WIRE) - 1), st.text(max_size=3), st.integers(0, 3))
def test_parser_never_crashes_on_mutations(at: int, insert: str, cut: int) -> None:
    text = WIRE[:at] + insert + WIRE[at + cut :]
    try:
        signed = SignedAllowance.parse(text)
    except WalletFormatError as exc:
        assert exc.message_id != exc.message_en and exc.where
    else:
        assert signed.format() == text


@given(st.text(max_size=500))
def test_parser_never_crashes_on_any_text(text: str) -> None:
    try:
        SignedAllowance.parse(text)
    except WalletFormatError as exc:
        assert exc.message_id != exc.message_en


ids = st.from_regex(r"[A-Za-z0-9_-]{1,32}", fullmatch=True)
regions = st.from_regex(r"[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10}", fullmatch=True)
big = st.integers(0, 2**53 - 1)


@given(
    programme=ids,
    numbers=st.tuples(big, big, big, big, big, big),
    categories=st.sets(ids, max_size=4),
    places=st.sets(regions, max_size=4),
)
def test_any_allowance_round_trips(
    programme: str,
    numbers: tuple[int, int, int, int, int, int],
    categories: set[str],
    places: set[str],
) -> None:
    amount, count, start, expires, payment_cap, day_cap = numbers
    allowance = Allowance(
        wallet=WALLET.did,
        programme=programme,
        amount=amount + 1 if amount < 2**53 - 1 else amount,
        count=max(count, 1),
        start=max(start, 1),
        expires=expires,
        payment_cap=payment_cap,
        day_cap=day_cap,
        categories=tuple(sorted(categories)),
        regions=tuple(sorted(places)),
    )
    signed = SignedAllowance(allowance, bytes(64))
    assert SignedAllowance.parse(signed.format()) == signed
    short = signed.format_short()
    assert SignedAllowance.parse(short, wallet=WALLET.did, programme=programme) == signed
