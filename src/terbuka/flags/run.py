"""Hold the state of one computation: the results by group and the main currency.

Results have Cardinal's shape (`ocdscardinal indicators --no-meta`): a group ("OCID",
"Buyer", "ProcuringEntity", "Tenderer") → an identifier → an indicator code → a decimal.
Example: {"OCID": {"ocds-213czf-1": {"R018": 1.0}}, "Tenderer": {"W": {"R030": 1.0}}}.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from terbuka.flags.settings import ROOT, Settings

GROUPS = ("OCID", "Buyer", "ProcuringEntity", "Tenderer")
Results = dict[str, dict[str, dict[str, float]]]


@dataclass
class Ratio:
    """Count a numerator over a denominator (summed across processes, a mediant)."""

    numerator: int = 0
    denominator: int = 0

    def add(self, numerator: int, denominator: int) -> None:
        """Add to both counts."""
        self.numerator += numerator
        self.denominator += denominator

    @property
    def value(self) -> float:
        """Return numerator / denominator (the denominator is never 0 when read)."""
        return self.numerator / self.denominator


@dataclass(frozen=True)
class BidRatio:
    """Hold one process's winner-to-runner-up difference and the two tenderers compared."""

    ratio: float
    winner: str
    runner_up: str


@dataclass
class Run:
    """Collect results and resolve the main currency while releases are folded in."""

    settings: Settings
    currency: str | None = None
    results: Results = field(default_factory=lambda: {group: {} for group in GROUPS})
    bid_ratios: dict[str, BidRatio] = field(default_factory=dict)  # by ocid; see bid_ratio
    price_compared: frozenset[str] = frozenset()  # procurementMethodDetails allow list
    price_set_by_buyer: frozenset[str] = frozenset()  # deny list, used when no allow list

    def __post_init__(self) -> None:
        self.currency = self.settings.currency
        root = self.settings.section(ROOT)
        self.price_compared = root.pipe_list("price_comparison_procurement_methods")
        self.price_set_by_buyer = root.pipe_list("no_price_comparison_procurement_methods")

    def flag(self, group: str, key: str, code: str, value: float) -> None:
        """Record value for indicator code on the identifier key of group."""
        self.results[group].setdefault(key, {})[code] = float(value)

    def in_main_currency(self, currency: str) -> bool:
        """Return whether currency is the main one; the first one seen becomes it if unset."""
        if self.currency is None:
            self.currency = currency
        return currency == self.currency

    def output(self) -> Results:
        """Return the results without empty groups, groups in Cardinal's order."""
        return {group: found for group in GROUPS if (found := self.results[group])}
