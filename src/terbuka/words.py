"""Find the root forms of Indonesian words, so that a search for a root finds its derivations.

Indonesian builds words with prefixes whose last consonant merges with the root's first
("pengaspalan" = peng + aspal + an, "penyediaan" = peny + sedia + an, "pembangunan" =
pem + bangun + an). A word-prefix search for "aspal" therefore misses "pengaspalan". This
module strips up to two derivational prefixes by the rules of Indonesian morphology (after
Nazief and Adriani, without their dictionary) and returns every candidate root; suffixes need
no stripping, because a root is already a prefix of root + suffix. Candidates that are not
real roots ("kolah" from "sekolah") only add words nobody searches for.
"""

from __future__ import annotations

import re

MIN_ROOT = 3
_WORD = re.compile(r"[^\W\d_]+")
VOWELS = frozenset("aeiou")

# (prefix, letters the remainder may start with, letter the merged consonant restores or "").
# An empty letter set means any letter. Longer prefixes come first.
PREFIX_RULES: tuple[tuple[str, frozenset[str], str], ...] = (
    ("menge", frozenset(), ""),  # before a one-syllable root: pengecatan = penge + cat + an
    ("penge", frozenset(), ""),
    ("meng", VOWELS | frozenset("ghk"), ""),
    ("peng", VOWELS | frozenset("ghk"), ""),
    ("meny", VOWELS, "s"),
    ("peny", VOWELS, "s"),
    ("mem", frozenset("bfpv"), ""),
    ("pem", frozenset("bfpv"), ""),
    ("mem", VOWELS, "p"),
    ("pem", VOWELS, "p"),
    ("men", frozenset("cdjstz"), ""),
    ("pen", frozenset("cdjstz"), ""),
    ("men", VOWELS, "t"),
    ("pen", VOWELS, "t"),
    ("ber", frozenset(), ""),
    ("ter", frozenset(), ""),
    ("per", frozenset(), ""),
    ("me", frozenset("lrwy"), ""),
    ("pe", frozenset("lrwy"), ""),
    ("be", frozenset("r"), ""),
    ("di", frozenset(), ""),
    ("ke", frozenset(), ""),
    ("se", frozenset(), ""),
)


INNER_PREFIXES = frozenset(["ber", "ter", "per", "be"])  # the only ones behind another


def _without_prefix(word: str, inner: bool = False) -> list[str]:
    """Return what remains of word after each prefix rule that applies, merged letter restored.

    A remainder must start like a root: a vowel, or a consonant then a vowel. With inner, only
    the prefixes that can follow another (diperbaiki = di + per + baik + i) are stripped.
    """
    found = []
    for prefix, starts, restore in PREFIX_RULES:
        if (inner and prefix not in INNER_PREFIXES) or not word.startswith(prefix):
            continue
        rest = restore + word[len(prefix) :]
        if len(rest) < MIN_ROOT or (starts and word[len(prefix)] not in starts):
            continue
        if rest[0] in VOWELS or rest[1] in VOWELS:
            found.append(rest)
    return found


def root_forms(word: str) -> list[str]:
    """Return the candidate roots of a lower-case Indonesian word, without the word itself.

    Up to two prefixes are stripped ("diperbaiki" → "perbaiki", "baiki"); a word that is not
    all letters, or too short to hold a prefix and a root, has none.
    Example: root_forms("pengaspalan") → ["aspalan"]; root_forms("penyediaan") → ["sediaan"];
    root_forms("perencanaan") → ["encanaan", "rencanaan"] (per + …, pe + r…: both kept).
    """
    if not word.isalpha() or len(word) < MIN_ROOT + 2:
        return []
    found: dict[str, None] = {}
    for first in _without_prefix(word):
        found[first] = None
        for second in _without_prefix(first, inner=True):
            found[second] = None
    found.pop(word, None)
    return list(found)


def with_root_forms(text: str) -> str:
    """Return text followed by the root forms of its words that it does not already hold.

    Words are the runs of letters in text (lower-case it first). Roots of the added roots are
    added too, so applying it again changes nothing.
    Example: with_root_forms("pengaspalan jalan, desa") → "pengaspalan jalan, desa aspalan".
    """
    present = dict.fromkeys(_WORD.findall(text))
    added: dict[str, None] = {}
    todo = list(present)
    while todo:
        new = [r for w in todo for r in root_forms(w) if r not in present and r not in added]
        added.update(dict.fromkeys(new))
        todo = new
    return " ".join([text, *added]) if added else text
