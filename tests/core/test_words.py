"""Check the Indonesian root forms that let a search for a root find its derived words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terbuka.words import MIN_ROOT, root_forms, with_root_forms


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("pengaspalan", "aspalan"),  # peng + vowel
        ("penggalian", "galian"),  # peng + g
        ("penyediaan", "sediaan"),  # peny: s restored
        ("pembangunan", "bangunan"),  # pem + b
        ("pemasangan", "pasangan"),  # pem + vowel: p restored
        ("pendidikan", "didikan"),  # pen + d
        ("penataan", "tataan"),  # pen + vowel: t restored
        ("peningkatan", "tingkatan"),
        ("pengecatan", "catan"),  # penge before a one-syllable root
        ("pelaksanaan", "laksanaan"),  # pe + l
        ("perencanaan", "rencanaan"),  # pe + r
        ("kecamatan", "camatan"),
        ("terpadu", "padu"),
        ("berusaha", "usaha"),
        ("diperbaiki", "baiki"),  # two prefixes
        ("memperbaiki", "baiki"),
    ],
)
def test_root_forms_strip_prefixes_and_restore_merged_letters(word: str, root: str) -> None:
    assert root in root_forms(word)


@pytest.mark.parametrize("word", ["jalan", "puskesmas", "rehabilitasi", "desa", "jl.", "2024"])
def test_words_without_a_prefix_have_no_root_forms(word: str) -> None:
    assert root_forms(word) == []


def test_only_inner_prefixes_are_stripped_twice() -> None:
    assert root_forms("pemeliharaan") == ["peliharaan"]  # not pe + liharaan
    assert root_forms("kesehatan") == ["sehatan"]  # not se + hatan
    assert "rbaiki" not in root_forms("diperbaiki")  # a root never starts with two consonants


def test_with_root_forms_appends_new_roots_once() -> None:
    text = "pengaspalan jalan, penyediaan air (pengaspalan) aspalan"
    added = with_root_forms(text).removeprefix(text).split()
    assert added[0] == "sediaan" and len(added) == len(set(added))
    assert "aspalan" not in added  # already in the text
    assert set(added) - {"sediaan"} <= {r for w in added for r in root_forms(w)}  # roots of roots
    assert with_root_forms("jalan desa") == "jalan desa"


@given(st.text(alphabet="abcdegiklmnoprstuwy", max_size=14))
def test_root_forms_are_shorter_roots_of_the_word(word: str) -> None:
    roots = root_forms(word)
    assert word not in roots and len(set(roots)) == len(roots)
    assert all(MIN_ROOT <= len(r) < len(word) and r[1:] in word for r in roots)


@given(st.text(max_size=60))
def test_with_root_forms_keeps_the_text_first(text: str) -> None:
    assert with_root_forms(text).startswith(text)


@given(st.lists(st.text(alphabet="abdegiklmnoprstuy", min_size=4, max_size=12), max_size=8))
def test_with_root_forms_twice_changes_nothing(words: list[str]) -> None:
    once = with_root_forms(" ".join(words))
    assert with_root_forms(once) == once
