"""Decide whether a process is obliged to be published, and each stage's status by its deadline.

>>> policy = policy_parse(PILOT)  # doctest: +SKIP
>>> evaluate(policy, Facts("goods", "pengadaan_langsung", 150_000_000, "3522-disdik"))
Obligation(obligatory=True, rule='Pengadaan langsung s.d. Rp200 juta', ...)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from terbuka.scope.policy import Policy, Rule
from terbuka.workdays import WorkCalendar


@dataclass(frozen=True)
class Facts:
    """Hold what the scope looks at in a process: category, method, value (Rupiah), agency code.

    An unknown fact (None) meets no criterion that names it.
    """

    category: str | None
    method: str | None
    value: int | None
    agency: str | None


@dataclass(frozen=True)
class Obligation:
    """Hold the verdict on a process: obligatory or voluntary, the matching rule, the reason."""

    obligatory: bool
    rule: str
    reason_id: str
    reason_en: str

    @property
    def label(self) -> str:
        """Return "wajib" or "sukarela"."""
        return "wajib" if self.obligatory else "sukarela"


class StageStatus(StrEnum):
    """Name where an obligatory stage stands against its deadline."""

    ON_TIME = "on_time"  # published by its deadline
    LATE = "late"  # published after its deadline
    MISSING = "missing"  # unpublished, its deadline passed
    PENDING = "pending"  # unpublished, its deadline not yet passed


def _miss(rule: Rule, facts: Facts) -> tuple[str, str] | None:
    """Return (id, en) of the first criterion of rule that facts fail, None when all are met."""
    checks = (
        (rule.categories, facts.category, "kategori", "category"),
        (rule.methods, facts.method, "metode", "method"),
        (rule.agencies, facts.agency, "perangkat daerah", "agency"),
    )
    for allowed, fact, name_id, name_en in checks:
        if allowed is not None and fact not in allowed:
            shown = fact or "?"
            return f"{name_id} {shown} di luar {', '.join(allowed)}", (
                f"{name_en} {shown} not in {', '.join(allowed)}"
            )
    low, high = rule.value_min, rule.value_max
    if low is not None or high is not None:
        if facts.value is None:
            return "nilai belum diketahui", "value not known yet"
        if low is not None and facts.value < low:
            return (
                f"nilai Rp{facts.value:,} di bawah Rp{low:,}",
                f"value Rp{facts.value:,} below Rp{low:,}",
            )
        if high is not None and facts.value > high:
            return (
                f"nilai Rp{facts.value:,} di atas Rp{high:,}",
                f"value Rp{facts.value:,} above Rp{high:,}",
            )
    return None


def evaluate(policy: Policy | None, facts: Facts) -> Obligation:
    """Return whether facts make a process obligatory under policy (None: no scope in force).

    The first rule whose every criterion holds makes it obligatory; otherwise the reason
    names why the first rule did not match.
    """
    if policy is None:
        return Obligation(False, "", "belum ada cakupan yang berlaku", "no scope in force yet")
    first: tuple[str, str] | None = None
    for rule in policy.rules:
        missed = _miss(rule, facts)
        if missed is None:
            return Obligation(
                True,
                rule.name,
                f"memenuhi aturan {rule.name!r} (fase {policy.phase})",
                f"meets rule {rule.name!r} (phase {policy.phase})",
            )
        first = first or (f"{rule.name}: {missed[0]}", f"{rule.name}: {missed[1]}")
    assert first is not None  # a parsed policy has at least one rule
    return Obligation(False, "", first[0], first[1])


def deadline(policy: Policy, stage: str, event: dt.date, calendar: WorkCalendar) -> dt.date:
    """Return the last day to publish stage: its deadline in working days after event."""
    return calendar.add(event, policy.deadlines[stage])


def stage_status(due: dt.date, published: dt.date | None, today: dt.date) -> StageStatus:
    """Return the status of an obligatory stage due on due, published on published (or not)."""
    if published is not None:
        return StageStatus.ON_TIME if published <= due else StageStatus.LATE
    return StageStatus.MISSING if today > due else StageStatus.PENDING
