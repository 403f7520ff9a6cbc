"""Compute, per process, how far the second-lowest valid bid is above the winning bid.

Shared by R024 (price close to winning bid) and R058 (heavily discounted bid), as Cardinal's
`SecondLowestBidRatio` is. For a process whose prices are compared (see
`compares_prices`), whose awards are all final and which has exactly one active award to
exactly one supplier: among valid bids with one tenderer and an amount in the main currency,
the winner's amount is its lowest bid and the runner-up is the lowest bid of any other
tenderer. The difference is (runnerUp − winner) / winner, kept only when the winner's bid is
the lowest (price-only award criterion assumed).
"""

from __future__ import annotations

from typing import ClassVar

from terbuka.flags.indicators.base import Indicator, compares_prices
from terbuka.flags.release import (
    JsonObject,
    bid_price,
    bids,
    single_tenderer,
    sole_supplier,
    text,
)
from terbuka.flags.run import BidRatio, Run
from terbuka.flags.settings import Settings
from terbuka.flags.stats import divide


class SecondLowestBidRatios(Indicator):
    """Collect the BidRatio of every eligible process into `Run.bid_ratios`; flag nothing."""

    def __init__(self, settings: Settings) -> None:
        """Take no settings: this step has no section of its own."""

    def fold(self, release: JsonObject, ocid: str, run: Run) -> None:
        """Record the process's BidRatio when it has one."""
        if not compares_prices(release, run):
            return
        supplier = sole_supplier(release)
        if supplier is None:
            return
        winner: tuple[float, str] | None = None
        runner_up: tuple[float, str] | None = None
        for bid in bids(release):
            tenderer, price = single_tenderer(bid), bid_price(bid)
            if text(bid, "status") != "valid" or tenderer is None or price is None:
                continue
            if not run.in_main_currency(price[1]):
                continue
            if tenderer == supplier:
                if winner is None or price[0] < winner[0]:
                    winner = (price[0], tenderer)
            elif runner_up is None or price[0] < runner_up[0]:
                runner_up = (price[0], tenderer)
        if winner and runner_up and runner_up[0] >= winner[0]:
            ratio = divide(runner_up[0] - winner[0], winner[0])
            run.bid_ratios[ocid] = BidRatio(ratio, winner[1], runner_up[1])


class DifferenceIndicator(Indicator):
    """Base of R024 and R058: a `threshold` that, when set, replaces the computed fence."""

    keys: ClassVar[frozenset[str]] = frozenset({"threshold"})

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.threshold = self.section.decimal("threshold")

    @staticmethod
    def differences(run: Run) -> list[float]:
        """Return every process's difference (see SecondLowestBidRatios)."""
        return [found.ratio for found in run.bid_ratios.values()]
