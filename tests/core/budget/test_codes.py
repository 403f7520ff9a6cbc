"""Permendagri 90/2019 and 20/2018 codes: golden normalisation, wrong shapes and levels."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terbuka.budget.accounts import account_name, account_parse
from terbuka.budget.errors import BudgetCodeError, UnknownCode
from terbuka.budget.programmes import fungsi_parse, programme_parse
from terbuka.budget.village import village_account_parse, village_bidang_parse


@pytest.mark.parametrize(
    ("text", "normal", "level"),
    [
        ("5.1.02.01.01.0024", "5.1.02.01.01.0024", "sub_rincian_objek"),
        ("5.1.02.01.01.024", "5.1.02.01.01.0024", "sub_rincian_objek"),
        ("4.1.01", "4.1.01", "jenis"),
        ("6", "6", "akun"),
        ("5.2.04.01", "5.2.04.01", "objek"),
    ],
)
def test_account_codes(text: str, normal: str, level: str) -> None:
    code = account_parse(text)
    assert str(code) == normal
    assert code.level == level


def test_account_prefix_and_name() -> None:
    code = account_parse("5.1.02.01.01.0024")
    assert code.prefix("jenis") == "5.1.02"
    assert account_name(str(code)) == "Belanja Barang dan Jasa"


@pytest.mark.parametrize("text", ["5.1.2", "5.1.02.01.01.00024", "5..1", "5.1.02.01.01.01.1", "x"])
def test_bad_account_shapes(text: str) -> None:
    with pytest.raises(BudgetCodeError) as caught:
        account_parse(text, where="baris 2, kode_rekening")
    assert caught.value.where == "baris 2, kode_rekening"


@pytest.mark.parametrize("text", ["7.1.01", "5.9.01", "5.1.09.01.01.0001"])
def test_unknown_accounts(text: str) -> None:
    with pytest.raises(UnknownCode, match="unknown in Permendagri 90/2019"):
        account_parse(text)


def test_account_wrong_level() -> None:
    with pytest.raises(BudgetCodeError, match="level type, but object sub-detail"):
        account_parse("5.1.02", level="sub_rincian_objek")


def test_programme_codes() -> None:
    code = programme_parse("1.02.02.2.01.01")
    assert str(code) == "1.02.02.2.01.0001"
    assert (code.level, code.urusan, code.bidang) == ("sub_kegiatan", "1", "1.02")
    assert programme_parse("1.03.10.2.01").level == "kegiatan"
    with pytest.raises(UnknownCode):
        programme_parse("1.40.02.2.01.0001")
    with pytest.raises(UnknownCode):
        programme_parse("9.01.02")
    with pytest.raises(BudgetCodeError, match="sub-activity is required"):
        programme_parse("1.02.02", level="sub_kegiatan")
    with pytest.raises(BudgetCodeError):
        programme_parse("1.02.02.2")


def test_fungsi() -> None:
    assert fungsi_parse("7") == "07"
    with pytest.raises(UnknownCode):
        fungsi_parse("12")


def test_village_codes() -> None:
    assert village_account_parse("4.2.1") == "4.2.1"
    assert village_bidang_parse("2.3.1") == "2.3.01"
    with pytest.raises(UnknownCode):
        village_account_parse("4.2.9")
    with pytest.raises(BudgetCodeError):
        village_account_parse("7.1")
    with pytest.raises(UnknownCode):
        village_bidang_parse("2.9")
    with pytest.raises(BudgetCodeError):
        village_bidang_parse("23")


@given(st.text(max_size=24))
def test_parsers_raise_only_their_errors(text: str) -> None:
    for parse in (account_parse, programme_parse, village_account_parse, village_bidang_parse):
        with contextlib.suppress(BudgetCodeError, UnknownCode):
            parse(text)


@given(st.lists(st.integers(min_value=0, max_value=99), min_size=1, max_size=6))
def test_account_parse_is_idempotent(numbers: list[int]) -> None:
    widths = (1, 1, 2, 2, 2, 4)
    text = ".".join(str(n % 10**w).zfill(w) for n, w in zip(numbers, widths, strict=False))
    try:
        code = account_parse(text)
    except UnknownCode:
        return
    assert str(account_parse(str(code))) == str(code)
