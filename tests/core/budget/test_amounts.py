"""Indonesian amount strings → integer Rupiah: golden pairs, bad inputs, fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lokal.rupiah import parse_rupiah

from terbuka.budget.amounts import amount_format, amount_parse, decimal_billions_parse
from terbuka.budget.errors import AmountError

GOLDEN = [
    ("1.234.567,89", 1_234_568),
    ("1.234.567,49", 1_234_567),
    ("1.234.567", 1_234_567),
    ("1234567", 1_234_567),
    ("Rp 1.234.567", 1_234_567),
    ("Rp1.234.567,00", 1_234_567),
    ("5.509,68 M", 5_509_680_000_000),
    ("0,00 M", 0),
    ("Rp 1,2 T", 1_200_000_000_000),
    ("Rp 12,3 juta", 12_300_000),
    ("12,3 jt", 12_300_000),
    ("750 ribu", 750_000),
    ("750rb", 750_000),
    ("2 miliar", 2_000_000_000),
    ("2 milyar", 2_000_000_000),
    ("3 triliun", 3_000_000_000_000),
    ("-2.431,16 M", -2_431_160_000_000),
    ("(1.500.000)", -1_500_000),
    ("IDR 25.000", 25_000),
    (" 904,00 M ", 904_000_000_000),
]
BAD = ["", "Rp", "abc", "1,234.56", "3788.74", "1.23.456", "12 ekor", "1..2", "1.2345", "1,5,6"]


@pytest.mark.parametrize(("text", "value"), GOLDEN)
def test_golden_amounts(text: str, value: int) -> None:
    assert amount_parse(text) == value


@pytest.mark.parametrize("text", BAD)
def test_bad_amounts_name_their_field(text: str) -> None:
    with pytest.raises(AmountError) as caught:
        amount_parse(text, where="baris 3, anggaran")
    assert caught.value.where == "baris 3, anggaran"
    assert "rupiah" in caught.value.message_id.lower()
    assert "Rupiah" in caught.value.message_en


def test_billions_of_the_2021_files() -> None:
    assert decimal_billions_parse("3788.74") == 3_788_740_000_000
    assert decimal_billions_parse("-2431.16") == -2_431_160_000_000
    with pytest.raises(AmountError):
        decimal_billions_parse("3.788,74 M")


@given(st.integers(min_value=-(10**17), max_value=10**17))
def test_format_parse_round_trip(value: int) -> None:
    assert amount_parse(amount_format(value)) == value


@given(
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=0, max_value=99),
    st.sampled_from(["juta", "M", "T", "ribu"]),
)
def test_agrees_with_lokal_id_on_shapes_both_read(whole: int, cents: int, unit: str) -> None:
    text = f"Rp {amount_format(whole)},{cents:02d} {unit}"
    parsed = parse_rupiah(text)
    assert parsed is not None
    # lokal-id reads through a float: equal up to the float's precision.
    assert amount_parse(text) == pytest.approx(parsed.amount, rel=1e-12, abs=1)


@given(st.text(max_size=30))
def test_any_text_parses_or_raises_amount_error(text: str) -> None:
    try:
        value = amount_parse(text)
    except AmountError:
        return
    assert isinstance(value, int)
