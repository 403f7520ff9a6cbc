"""Sum a rule set's outcomes per village and compare two rule sets, moving no money.

Only counts and Rupiah per village code leave this module: never a registrant's row.
Example of one village's totals as data:
    {"village_code": "35.22.01.2001", "eligible": 7, "amount": 2100000,
     "ineligible": 2, "deceased": 1, "duplicate": 0}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from terbuka.rules.environment import Registrant
from terbuka.rules.evaluate import CompiledRules, Refusal, evaluate


@dataclass(slots=True)
class VillageTotal:
    """Hold one village's counts and entitlement total under one rule set."""

    village_code: str
    eligible: int = 0
    amount: int = 0
    ineligible: int = 0
    deceased: int = 0
    duplicate: int = 0

    def as_data(self) -> dict[str, int | str]:
        """Return the totals as a plain dict (see the module example)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class VillageChange:
    """Hold how one village's eligible count and amount change from one rule set to another."""

    village_code: str
    eligible_before: int
    eligible_after: int
    amount_before: int
    amount_after: int


def dry_run(compiled: CompiledRules, registrants: Iterable[Registrant]) -> dict[str, VillageTotal]:
    """Return compiled's totals per village code (sorted by code), evaluating every registrant.

    Raises RuleEvaluationError (naming the row) on the first registrant whose rule fails.
    """
    totals: dict[str, VillageTotal] = {}
    for registrant in registrants:
        total = totals.setdefault(registrant.region, VillageTotal(registrant.region))
        outcome = evaluate(compiled, registrant)
        if outcome.refusal is Refusal.DECEASED:
            total.deceased += 1
        elif outcome.refusal is Refusal.DUPLICATE:
            total.duplicate += 1
        elif outcome.eligible:
            total.eligible += 1
            total.amount += outcome.amount
        else:
            total.ineligible += 1
    return dict(sorted(totals.items()))


def dry_run_diff(
    before: dict[str, VillageTotal], after: dict[str, VillageTotal]
) -> list[VillageChange]:
    """Return the villages whose eligible count or amount differ between before and after."""
    changes = []
    for code in sorted(set(before) | set(after)):
        old, new = before.get(code, VillageTotal(code)), after.get(code, VillageTotal(code))
        if (old.eligible, old.amount) != (new.eligible, new.amount):
            changes.append(VillageChange(code, old.eligible, new.eligible, old.amount, new.amount))
    return changes
