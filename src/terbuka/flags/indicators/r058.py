"""R058 Heavily discounted bid (Cardinal): the winning bid is far below the runner-up's.

Methodology: for each process the difference is (secondLowestValidBidAmount −
winningBidAmount) / winningBidAmount (see `bid_ratio`). The process is flagged, with the
difference as value, when the difference is at least the upper fence Q3 + 1.5·IQR of all
differences (or `threshold`); the winner is also flagged, with 0.0. Nothing is flagged when
the fence is not above 0.

Exclusions: as R024. Settings: `[R058] threshold = 0.5`.
"""

from __future__ import annotations

from typing import ClassVar

from terbuka.flags.indicators.bid_ratio import DifferenceIndicator
from terbuka.flags.run import Run
from terbuka.flags.stats import upper_fence


class R058(DifferenceIndicator):
    """Flag processes won with a bid far below the second-lowest bid."""

    code: ClassVar[str] = "R058"

    def finalize(self, run: Run) -> None:
        """Flag every difference at or above the upper fence, and its winner."""
        differences = self.differences(run)
        fence = self.threshold if self.threshold is not None else upper_fence(differences)
        if not fence > 0.0:
            return
        for ocid, found in run.bid_ratios.items():
            if found.ratio >= fence:
                run.flag("OCID", ocid, self.code, found.ratio)
                run.flag("Tenderer", found.winner, self.code, 0.0)
