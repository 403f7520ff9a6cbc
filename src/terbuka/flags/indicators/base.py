"""Define what every indicator provides: its code, its settings and the fold/finalize steps.

An indicator is built from the settings (its `[CODE]` section), then sees every included
compiled release once (`fold`), then flags outliers across all of them (`finalize`), the
order of Cardinal's `Calculate` trait (fold, reduce, finalize; Terbuka runs in one process,
so there is nothing to reduce).
"""

from __future__ import annotations

from typing import ClassVar

from terbuka.flags.release import JsonObject, matches_details
from terbuka.flags.run import Run
from terbuka.flags.settings import Section, Settings


class Indicator:
    """Compute one indicator; subclasses set `code`, `keys` and override fold/finalize."""

    code: ClassVar[str] = ""
    keys: ClassVar[frozenset[str]] = frozenset()  # properties allowed in [code]
    subsections: ClassVar[tuple[str, ...]] = ()  # [code.name] sections of name = number
    local: ClassVar[bool] = False  # True when a process's result depends on it alone

    def __init__(self, settings: Settings) -> None:
        self.section: Section = settings.section(self.code)
        self.section.check_keys(self.keys)

    def fold(self, release: JsonObject, ocid: str, run: Run) -> None:
        """Take in one included compiled release (no-op unless overridden)."""

    def finalize(self, run: Run) -> None:
        """Flag across every release seen (no-op unless overridden)."""


def compares_prices(release: JsonObject, run: Run) -> bool:
    """Return whether the process's prices are set by bidders, not predetermined by the buyer.

    Uses the global `price_comparison_procurement_methods` (an allow list of
    `tender.procurementMethodDetails`) or else `no_price_comparison_procurement_methods`
    (a deny list), as Cardinal's price-based indicators (R024, R028, R036, R058) do.
    """
    return matches_details(release, run.price_compared, run.price_set_by_buyer)
