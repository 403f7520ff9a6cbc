"""Check the dictionary roots and NPWP forms that let a search find derived words and suppliers.

WORDS is part of the list PySastrawi was compared on with the hand-made prefix stripper it
replaced (commit message; docs/api.md, "Search: words, roots, NPWP and ranking"): words of the
demo's titles and common procurement words with their true roots, and roots that look derived
("sekolah", "sejahtera").
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terbuka.words import npwp_digits, root_forms, root_of, with_root_forms

WORDS = {
    "pengaspalan": "aspal",
    "penyediaan": "sedia",
    "pembangunan": "bangun",
    "pemeliharaan": "pelihara",
    "peningkatan": "tingkat",
    "berjalan": "jalan",
    "kesehatan": "sehat",
    "pengadaan": "ada",
    "pemasangan": "pasang",
    "penerangan": "terang",
    "pengawasan": "awas",
    "pengecatan": "cat",
    "perencanaan": "rencana",
    "perkerasan": "keras",
    "pekerjaan": "kerja",
    "kebersihan": "bersih",
    "kecamatan": "camat",
    "bertulang": "tulang",
    "saluran": "salur",
    "jaringan": "jaring",
    "diperbaiki": "baik",
    "memperbaiki": "baik",
    "pengembangan": "kembang",
    "pengendalian": "kendali",
    "pendidikan": "didik",
    "penanganan": "tangan",
    "pelaksanaan": "laksana",
    "penyelenggaraan": "selenggara",
    "pelabuhan": "labuh",
    "bendungan": "bendung",
    "terbuka": "buka",
    # roots the hand-made stripper cut into noise ("kolah", "jahtera", "lompok", "mester")
    "sekolah": "sekolah",
    "sejahtera": "sejahtera",
    "kelompok": "kelompok",
    "semester": "semester",
    "menara": "menara",
    "perkasa": "perkasa",
    "pelangi": "pelangi",
    "jalan": "jalan",
    "rehabilitasi": "rehabilitasi",
    "puskesmas": "puskesmas",
    "irigasi": "irigasi",
}


@pytest.mark.parametrize(("word", "root"), WORDS.items())
def test_root_of_is_the_dictionary_root(word: str, root: str) -> None:
    assert root_of(word) == root
    assert root_forms(word) == ([] if root == word else [root])


@pytest.mark.parametrize("word", ["jl", "k350", "2024", "ünï", "desa"])
def test_short_or_non_letter_words_are_their_own_root(word: str) -> None:
    assert root_forms(word) == []


def test_with_root_forms_appends_new_roots_once() -> None:
    text = "pengaspalan jalan, penyediaan air (pengaspalan) aspal di sekolah"
    assert with_root_forms(text) == text + " sedia"  # aspal is already there; no "kolah"
    assert with_root_forms("jalan desa") == "jalan desa"


@given(st.text(max_size=60))
def test_with_root_forms_keeps_the_text_first(text: str) -> None:
    assert with_root_forms(text).startswith(text)


@given(st.lists(st.sampled_from([*sorted(WORDS), "pembersihan", "x", "air"]), max_size=8))
def test_with_root_forms_twice_changes_nothing(words: list[str]) -> None:
    once = with_root_forms(" ".join(words))
    assert with_root_forms(once) == once


@pytest.mark.parametrize(
    "written",
    [
        "01.234.567.8-901.000",
        "012345678901000",
        "0012345678901000",
        "0 0123 4567 8901 000",
        "01-234-567-8-901-000",
        "01/234/567/8/901/000",
    ],
)
def test_npwp_digits_gives_every_format_the_16_digits(written: str) -> None:
    assert npwp_digits(written) == "0012345678901000"


def test_a_nik_based_npwp_keeps_its_16_digits() -> None:
    assert npwp_digits("3522.0112.3456.0001") == "3522011234560001"


@pytest.mark.parametrize(
    "text", ["", "jalan", "0123456789", "01.234.567.8-901.00", "٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥"]
)
def test_what_is_not_an_npwp_has_no_digits(text: str) -> None:
    assert npwp_digits(text) is None
