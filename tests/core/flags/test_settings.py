"""Settings files in Cardinal's INI format: typed values, and bad files refused with file:line."""

from __future__ import annotations

import pytest

from terbuka.flags.errors import FlagsSettingsError
from terbuka.flags.registry import CODES, indicators_build, settings_default, settings_load
from terbuka.flags.settings import pipe_split


def test_properties_are_read_with_comments_and_global_keys() -> None:
    settings = settings_load(
        "; Kabupaten Bojonegoro\ncurrency = IDR\n\n"
        "[R025]\n# komentar\npercentile = 80 # default 75\n"
        "[R003.procurement_method_details]\nSeleksi = 10\nPengadaan Langsung = 5\n[R003]\n",
        source="pengaturan.ini",
    )
    assert settings.currency == "IDR"
    assert settings.section("R025").integer("percentile", 75) == 80
    assert settings.section("R003.procurement_method_details").natural_numbers() == {
        "Seleksi": 10,
        "Pengadaan Langsung": 5,
    }
    assert [type(i).__name__ for i in indicators_build(settings)] == ["R003", "R025"]


def test_pipe_lists_follow_cardinal() -> None:
    assert pipe_split("open|selective") == {"open", "selective"}
    assert pipe_split("open|") == {"open"}
    assert pipe_split("") == frozenset()
    assert pipe_split(None) == frozenset()


def test_default_settings_enable_every_indicator_once() -> None:
    built = [type(i).__name__ for i in indicators_build(settings_default())]
    assert built == ["SecondLowestBidRatios", *CODES]
    assert len(CODES) == 14


@pytest.mark.parametrize(
    ("text", "line", "indonesian", "english"),
    [
        ("[R003]\ntreshold = 3\n", 2, "properti tidak dikenal", "unknown property"),
        ("[R999]\n", 1, "bagian [R999] tidak dikenal", "unknown section [R999]"),
        ("[R003]\n\nthreshold = sepuluh\n", 3, "bukan bilangan asli", "is not a natural number"),
        ("[R024]\nthreshold = 0,05\n", 2, "bukan bilangan desimal", "is not a decimal"),
        ("[R024]\nthreshold = nan\n", 2, "bukan bilangan desimal", "is not a decimal"),
        ("[R018]\n[R018]\n", 2, "muncul dua kali", "appears twice"),
        ("[R035]\nthreshold = 1\nthreshold = 2\n", 3, "muncul dua kali", "appears twice"),
        ("[R035]\njust words\n", 2, "bukan [bagian] atau nama = nilai", "neither [section] nor"),
        ("kurs = IDR\n", 1, "properti tidak dikenal", "unknown property"),
        ("[defaults]\nparty_roles = yes\n", 2, "bukan true/false", "not true or false"),
        ("[R003.procurement_method_details]\nTender = -1\n", 2, "bilangan asli", "natural number"),
    ],
)
def test_bad_settings_name_the_file_and_line_in_both_languages(
    text: str, line: int, indonesian: str, english: str
) -> None:
    with pytest.raises(FlagsSettingsError) as caught:
        settings_load(text, source="pengaturan.ini")
    assert caught.value.where == f"pengaturan.ini:{line}"
    assert indonesian in caught.value.message_id
    assert english in caught.value.message_en
