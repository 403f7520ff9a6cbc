"""R025 Excessive unsuccessful bids (Cardinal): a top tenderer rarely wins.

Methodology: for each tenderer, the ratio is numberOfWinningBids / numberOfValidBids across
all processes, each tenderer counted once per process (valid bids with one tenderer; the
process's single active award to a single supplier is the win). A tenderer is flagged, with
its ratio as value, when its number of valid bids is at least the `percentile` (default 75th)
of all tenderers' numbers of valid bids, and its ratio is at most the lower fence
Q1 − 1.5·IQR of all ratios (or `threshold`). Nothing is flagged when Q1 or the fence is not
above 0.

Exclusions: an award pending or invalid; several active awards; an award with several
suppliers. Settings: `[R025] percentile = 75`, `threshold = 0.05`.
"""

from __future__ import annotations

from typing import ClassVar

from terbuka.flags.indicators.base import Indicator
from terbuka.flags.release import (
    JsonObject,
    bids,
    single_tenderer,
    sole_supplier,
    text,
)
from terbuka.flags.run import Ratio, Run
from terbuka.flags.settings import Settings
from terbuka.flags.stats import lower_fence, quantile


class R025(Indicator):
    """Flag frequent tenderers whose share of wins is a low outlier."""

    code: ClassVar[str] = "R025"
    keys: ClassVar[frozenset[str]] = frozenset({"percentile", "threshold"})

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.percentile = self.section.integer("percentile", 75)
        self.threshold = self.section.decimal("threshold")
        self.wins: dict[str, Ratio] = {}

    def fold(self, release: JsonObject, ocid: str, run: Run) -> None:
        """Count, for each valid tenderer of the process, one bid and whether it won."""
        supplier = sole_supplier(release)
        if supplier is None:
            return
        tenderers = {
            tenderer
            for bid in bids(release)
            if text(bid, "status") == "valid" and (tenderer := single_tenderer(bid)) is not None
        }
        for tenderer in tenderers:
            self.wins.setdefault(tenderer, Ratio()).add(int(tenderer == supplier), 1)

    def finalize(self, run: Run) -> None:
        """Flag top tenderers whose win ratio is at or below the lower fence."""
        top = quantile([float(r.denominator) for r in self.wins.values()], self.percentile / 100)
        if self.threshold is not None:
            fence, q1 = self.threshold, 1.0
        else:
            fence, q1 = lower_fence([r.value for r in self.wins.values()])
        if not (q1 > 0.0 and fence > 0.0):
            return
        for tenderer, ratio in self.wins.items():
            if ratio.denominator >= top and ratio.value <= fence:
                run.flag("Tenderer", tenderer, self.code, ratio.value)
