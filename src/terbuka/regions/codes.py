"""Parse and format Kemendagri region codes (Kepmendagri 300.2.2-2138/2025 code scheme).

A code has one to four dot-separated parts, one per level:

    province  "35"             two digits, 11–99
    regency   "35.22"          + two digits (01–69 kabupaten, 71–79 kota)
    district  "35.22.01"       + two digits (kecamatan/distrik)
    village   "35.22.01.2001"  + four digits; the first says the kind:
                               1 kelurahan, 2 desa, 3 desa adat

Undotted forms ("3522012001") are accepted on parse and always formatted dotted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from terbuka.regions.errors import RegionCodeError

Level = Literal["province", "regency", "district", "village"]
LEVELS: Final[tuple[Level, ...]] = ("province", "regency", "district", "village")
LEVEL_LABELS_ID: Final = {
    "province": "provinsi",
    "regency": "kabupaten/kota",
    "district": "kecamatan",
    "village": "desa/kelurahan",
}
PATTERNS: Final = {
    "province": re.compile(r"[1-9][0-9]"),
    "regency": re.compile(r"[1-9][0-9]\.(?!00)[0-9]{2}"),
    "district": re.compile(r"[1-9][0-9]\.(?!00)[0-9]{2}\.(?!00)[0-9]{2}"),
    "village": re.compile(r"[1-9][0-9]\.(?!00)[0-9]{2}\.(?!00)[0-9]{2}\.[1-3](?!000)[0-9]{3}"),
}
EXAMPLES: Final = {
    "province": "35",
    "regency": "35.22",
    "district": "35.22.01",
    "village": "35.22.01.2001",
}
VILLAGE_KINDS: Final = {"1": "kelurahan", "2": "desa", "3": "desa_adat"}
UNDOTTED = re.compile(r"[0-9]{2}(?:[0-9]{2}(?:[0-9]{2}(?:[0-9]{4})?)?)?")


@dataclass(frozen=True, slots=True)
class RegionCode:
    """Hold a parsed region code as its dotted parts, e.g. ("35", "22", "01", "2001")."""

    parts: tuple[str, ...]

    @property
    def level(self) -> Level:
        """Return the level the code names: province, regency, district or village."""
        return LEVELS[len(self.parts) - 1]

    @property
    def parent(self) -> RegionCode | None:
        """Return the code of the enclosing region, or None for a province."""
        return RegionCode(self.parts[:-1]) if len(self.parts) > 1 else None

    @property
    def village_kind(self) -> str | None:
        """Return "kelurahan", "desa" or "desa_adat" for a village, None otherwise."""
        return VILLAGE_KINDS[self.parts[3][0]] if len(self.parts) == 4 else None

    def __str__(self) -> str:
        return code_format(self)


def code_parse(text: str, *, level: Level | None = None) -> RegionCode:
    """Parse a dotted or undotted Kemendagri code, optionally requiring a level.

    Raises RegionCodeError, bilingual, naming the expected pattern, when text is not a code
    of any level (or not of the level asked for).
    Example: code_parse("3522012001") == RegionCode(("35", "22", "01", "2001")).
    """
    raw = text.strip() if isinstance(text, str) else ""
    dotted = _dot(raw) if UNDOTTED.fullmatch(raw) else raw
    found = next((lv for lv, rx in PATTERNS.items() if rx.fullmatch(dotted)), None)
    if found is None:
        raise RegionCodeError(
            f"kode wilayah {text!r} tidak sah: harus berpola seperti 35, 35.22, 35.22.01 "
            "atau 35.22.01.2001 (Kepmendagri)",
            f"region code {text!r} is invalid: expected a pattern like 35, 35.22, 35.22.01 "
            "or 35.22.01.2001 (Kemendagri)",
            where="code",
        )
    if level is not None and found != level:
        raise RegionCodeError(
            f"kode {dotted} adalah kode {LEVEL_LABELS_ID[found]}, bukan "
            f"{LEVEL_LABELS_ID[level]} (contoh {EXAMPLES[level]})",
            f"code {dotted} is a {found} code, not a {level} code (e.g. {EXAMPLES[level]})",
            where="code",
        )
    return RegionCode(tuple(dotted.split(".")))


def code_format(code: RegionCode) -> str:
    """Return the dotted form of code, e.g. "35.22.01.2001"."""
    return ".".join(code.parts)


def code_level(text: str) -> Level:
    """Return the level of a code; raises RegionCodeError when it is not a code."""
    return code_parse(text).level


def _dot(digits: str) -> str:
    cuts = ((0, 2), (2, 4), (4, 6), (6, 10))
    return ".".join(digits[a:b] for a, b in cuts if len(digits) > a)
