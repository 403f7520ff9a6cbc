"""Parse a settings file in Cardinal's INI format (`ocdscardinal --settings FILE`).

The file is a list of sections (`[R024]`) holding `name = value` properties; properties
before the first section are global; `;` or `#` starts a comment line (or an inline comment
after a space). A section's presence enables an indicator; its properties override defaults.
Example (Cardinal's `init` file, shortened):

    currency = IDR
    no_price_comparison_procurement_methods = E-Purchasing

    [exclusions]
    procurement_method_details = Penunjukan Langsung

    [R003]
    threshold = 15

    [R003.procurement_method_details]
    Seleksi = 10

Every problem raises FlagsSettingsError naming the file and line.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from terbuka.flags.errors import FlagsSettingsError

ROOT = ""  # the name under which global properties (before any section) are kept
ROOT_KEYS = frozenset(
    {"currency", "no_price_comparison_procurement_methods", "price_comparison_procurement_methods"}
)


@dataclass(frozen=True)
class Entry:
    """Hold one property's text value and the line it was read from."""

    value: str
    line: int


@dataclass(frozen=True)
class Section:
    """Hold one section's properties and read them as typed values."""

    name: str
    entries: dict[str, Entry]
    source: str
    line: int = 0

    def _fail(self, key: str, message_id: str, message_en: str) -> FlagsSettingsError:
        line = self.entries[key].line if key in self.entries else self.line
        title = f"[{self.name}]" if self.name else "(global)"
        return FlagsSettingsError(
            f"{title} {key}: {message_id}",
            f"{title} {key}: {message_en}",
            where=f"{self.source}:{line}",
        )

    def check_keys(self, allowed: Iterable[str]) -> None:
        """Raise FlagsSettingsError for the first property whose name is not in allowed."""
        known = set(allowed)
        for key in self.entries:
            if key not in known:
                names = ", ".join(sorted(known)) or "-"
                raise self._fail(
                    key,
                    f"properti tidak dikenal (yang dikenal: {names})",
                    f"unknown property (known: {names})",
                )

    def text(self, key: str) -> str | None:
        """Return the property's text, or None when it is not set."""
        entry = self.entries.get(key)
        return entry.value if entry else None

    def integer(self, key: str, default: int) -> int:
        """Return the property as a natural number (0, 1, 2…), or default when not set."""
        value = self.text(key)
        if value is None:
            return default
        if not value.isdigit() or not value.isascii():
            raise self._fail(
                key, f"{value!r} bukan bilangan asli", f"{value!r} is not a natural number"
            )
        return int(value)

    def decimal(self, key: str) -> float | None:
        """Return the property as a finite decimal, or None when it is not set."""
        value = self.text(key)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or "_" in value:
            raise self._fail(
                key, f"{value!r} bukan bilangan desimal", f"{value!r} is not a decimal"
            )
        return number

    def boolean(self, key: str) -> bool:
        """Return the property as true/false (false when not set)."""
        value = self.text(key)
        if value is None:
            return False
        if value.lower() not in ("true", "false"):
            raise self._fail(key, f"{value!r} bukan true/false", f"{value!r} is not true or false")
        return value.lower() == "true"

    def pipe_list(self, key: str, default: str = "") -> frozenset[str]:
        """Return the pipe-separated values of the property ("open|selective"), or of default."""
        return pipe_split(self.text(key) if key in self.entries else default)

    def natural_numbers(self) -> dict[str, int]:
        """Return every property read as a natural number (a name → number table)."""
        return {key: self.integer(key, 0) for key in self.entries}


def pipe_split(value: str | None) -> frozenset[str]:
    """Return the parts of "a|b|c" (a trailing "|" adds nothing; "" is no part)."""
    parts = (value or "").split("|")
    if parts[-1] == "":
        parts.pop()
    return frozenset(parts)


@dataclass(frozen=True)
class Settings:
    """Hold every section of a settings file, the global properties under ROOT."""

    sections: dict[str, Section] = field(default_factory=dict)
    source: str = "settings"

    def section(self, name: str) -> Section:
        """Return the named section, or an empty one when the file does not have it."""
        return self.sections.get(name) or Section(name, {}, self.source)

    def has(self, name: str) -> bool:
        """Return whether the file has the named section (which enables an indicator)."""
        return name in self.sections

    @property
    def currency(self) -> str | None:
        """Return the main currency set globally, or None (the first observed one is used)."""
        return self.section(ROOT).text("currency")


def _strip_comment(value: str) -> str:
    """Return value without an inline comment that starts with " ;" or " #"."""
    for marker in (" ;", " #", "\t;", "\t#"):
        if marker in value:
            value = value.split(marker, 1)[0]
    return value.strip()


def settings_parse(text: str, *, source: str) -> Settings:
    """Return the sections of an INI text; raise FlagsSettingsError (file:line) when malformed."""
    sections: dict[str, Section] = {ROOT: Section(ROOT, {}, source)}
    current = sections[ROOT]
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        where = f"{source}:{number}"
        if line.startswith("[") and line.endswith("]") and line[1:-1].strip():
            name = line[1:-1].strip()
            if name in sections:
                raise FlagsSettingsError(
                    f"bagian [{name}] muncul dua kali",
                    f"section [{name}] appears twice",
                    where=where,
                )
            current = sections[name] = Section(name, {}, source, number)
            continue
        key, equals, value = line.partition("=")
        key = key.strip()
        if not equals or not key:
            raise FlagsSettingsError(
                f"baris bukan [bagian] atau nama = nilai: {line[:60]!r}",
                f"line is neither [section] nor name = value: {line[:60]!r}",
                where=where,
            )
        if key in current.entries:
            raise FlagsSettingsError(
                f"properti {key!r} muncul dua kali", f"property {key!r} appears twice", where=where
            )
        current.entries[key] = Entry(_strip_comment(value), number)
    sections[ROOT].check_keys(ROOT_KEYS)
    return Settings(sections, source)
