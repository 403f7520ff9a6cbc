"""Sizes and dates in words: golden examples in both languages, and any size reads short."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terbuka.human import date_words, size_over_words, size_words

WIB = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    ("size", "words"),
    [
        (0, ("0 bita", "0 bytes")),
        (1, ("1 bita", "1 byte")),
        (1023, ("1023 bita", "1023 bytes")),
        (1024, ("1 KB", "1 KB")),
        (1536, ("1,5 KB", "1.5 KB")),
        (65535, ("64 KB", "64 KB")),
        (20 * 1024 * 1024, ("20 MB", "20 MB")),  # not "20971520 bita"
        (int(2.25 * 1024**3), ("2,2 GB", "2.2 GB")),
        (5 * 1024**5, ("5120 TB", "5120 TB")),
    ],
)
def test_size_words(size: int, words: tuple[str, str]) -> None:
    assert size_words(size) == words


@given(st.integers(min_value=0, max_value=2**50))
def test_any_size_reads_as_at_most_four_digits_and_one_decimal(size: int) -> None:
    size_id, size_en = size_words(size)
    assert re.fullmatch(r"\d{1,4}(,\d)? (bita|KB|MB|GB|TB)", size_id)
    assert size_en.replace(".", ",").split(" ")[0] == size_id.split(" ")[0]


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2026, 3, 1), ("1 Maret 2026", "1 March 2026")),
        ("2026-12-31", ("31 Desember 2026", "31 December 2026")),
        ("2026-08-17T00:00:00+07:00", ("17 Agustus 2026", "17 August 2026")),
        ("2026-02-01T23:00:00Z", ("1 Februari 2026", "1 February 2026")),
        (
            datetime(2026, 5, 2, 9, tzinfo=timezone(timedelta(hours=7))),
            ("2 Mei 2026", "2 May 2026"),
        ),
        ("kemarin", ("kemarin", "kemarin")),
    ],
)
def test_date_words(day: date | str, words: tuple[str, str]) -> None:
    assert date_words(day) == words


@pytest.mark.parametrize(
    ("size", "limit", "words"),
    [
        (
            25 * 1024 * 1024,
            20 * 1024 * 1024,
            ("25 MB melebihi batas 20 MB", "25 MB exceeds the 20 MB limit"),
        ),
        (
            65536,
            65535,
            (
                "64 KB (65.536 bita) melebihi batas 64 KB (65.535 bita)",
                "64 KB (65,536 bytes) exceeds the 64 KB limit (65,535 bytes)",
            ),
        ),
    ],
)
def test_size_over_words_is_exact_when_sizes_round_alike(
    size: int, limit: int, words: tuple[str, str]
) -> None:
    assert size_over_words(size, limit) == words
