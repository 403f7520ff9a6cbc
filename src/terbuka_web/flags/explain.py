"""Explain the stored flags of one process for its page: title, what it means, the facts
behind it (terbuka.flags.evidence) in words and numbers, and its methodology anchor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format

from terbuka.flags.evidence import flag_evidence
from terbuka_web.contracting.templatetags.terbuka_words import when
from terbuka_web.flags import words
from terbuka_web.flags.selectors import process_flag_values
from terbuka_web.portal.templatetags.terbuka import rupiah


@dataclass(frozen=True)
class FlagExplained:
    """Hold what the process page shows of one flag."""

    code: str
    measures: str
    facts: list[tuple[str, str]]  # (label, value written out)


def percent(rate: float) -> str:
    """Return a share as "12,5%" in the active language's number format."""
    return number_format(round(rate * 100, 1), decimal_pos=1) + "%"


def count(n: int) -> str:
    """Return a whole number with the active language's grouping ("1.200")."""
    return number_format(n, force_grouping=True)


def _written(value: Any, kind: str) -> str:
    """Return a fact in the active language: money as Rupiah, a share as a percentage."""
    if kind == "money":
        return rupiah(value)
    if kind == "percent":
        return percent(float(value))
    if kind == "date":
        return when(value)
    if kind == "number":
        return count(value)
    return str(value)


def process_flags_explained(process_id: int, compiled: dict[str, Any]) -> list[FlagExplained]:
    """Return the explained flags of a process, in code order (empty when it has none)."""
    found = []
    for code in process_flag_values(process_id):
        facts = flag_evidence(code, compiled)
        shown = [
            (str(label), _written(facts[key], kind))
            for key, label, kind in words.FACTS.get(code, ())
            if key in facts
        ]
        found.append(FlagExplained(code, str(words.MEASURES.get(code, "")), shown))
    return found
