"""Find the root forms of Indonesian words and the one form of an NPWP, for search.

Indonesian builds words with affixes whose letters merge with the root ("pengaspalan" =
peng + aspal + an, "penyediaan" = peny + sedia + an), so a search for "aspal" must find
"pengaspalan". Roots come from PySastrawi (MIT), the Nazief–Adriani stemmer checked against
its dictionary of Indonesian root words: a word it cannot reduce to a dictionary root is kept
as it is, so roots are real words ("sekolah" stays "sekolah", never "kolah").
See docs/api.md, "Search: words, roots, NPWP and ranking".

An NPWP (tax number) is written 01.234.567.8-901.000 (15 digits) or, since 2024, in 16 digits
(0 + the 15, or a person's NIK); npwp_digits gives every form the same 16 digits.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

MIN_ROOT = 3
_WORD = re.compile(r"[^\W\d_]+")
_NPWP_MARKS = re.compile(r"[\s.\-/]")


@cache
def _stemmer() -> object:
    """Return PySastrawi's stemmer, loading its dictionary (about 30 ms) on first use."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def root_of(word: str) -> str:
    """Return the dictionary root of a lower-case Indonesian word, or word when it has none.

    Example: root_of("pengaspalan") → "aspal"; root_of("sekolah") → "sekolah";
    root_of("berjalan") → "jalan".
    """
    if not word.isalpha() or len(word) < MIN_ROOT + 2:
        return word
    root = str(_stemmer().stem(word))  # type: ignore[attr-defined]
    return root if len(root) >= MIN_ROOT and root.isalpha() else word


def root_forms(word: str) -> list[str]:
    """Return the root of a lower-case word as a list, empty when the word is its own root.

    Example: root_forms("penyediaan") → ["sedia"]; root_forms("jalan") → [].
    """
    root = root_of(word)
    return [root] if root != word else []


def with_root_forms(text: str) -> str:
    """Return text followed by the roots of its words that it does not already hold.

    Words are the runs of letters in text (lower-case it first); applying it again changes
    nothing. Example: with_root_forms("pengaspalan jalan, desa") →
    "pengaspalan jalan, desa aspal".
    """
    present = dict.fromkeys(_WORD.findall(text))
    added = dict.fromkeys(r for w in present for r in root_forms(w) if r not in present)
    return " ".join([text, *added]) if added else text


def npwp_digits(text: str) -> str | None:
    """Return the 16-digit form of an NPWP written in any common format, or None.

    Dots, dashes, slashes and spaces are ignored; 15 digits (the format before 2024) gain the
    leading 0 of their 16-digit form; 16 digits are kept. Anything else is not an NPWP.
    Example: npwp_digits("01.234.567.8-901.000") → "0012345678901000".
    """
    digits = _NPWP_MARKS.sub("", text)
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in (15, 16):
        return None
    return digits if len(digits) == 16 else "0" + digits
