"""R024 Price close to winning bid (Cardinal): the runner-up's price is a low outlier.

Methodology: for each process the difference is (secondLowestValidBidAmount −
winningBidAmount) / winningBidAmount (see `bid_ratio`). The process is flagged, with the
difference as value, when the difference is at most the lower fence Q1 − 1.5·IQR of all
differences (or `threshold`). Both tenderers compared are also flagged, with 0.0. Nothing is
flagged when Q1 or the fence is not above 0 (most processes have no difference at all).

Exclusions: prices predetermined by the buyer; an award pending or invalid; several active
awards, a bid with several tenderers or an award with several suppliers; the winning bid not
the lowest. Settings: `[R024] threshold = 0.05`.
"""

from __future__ import annotations

from typing import ClassVar

from terbuka.flags.indicators.bid_ratio import DifferenceIndicator
from terbuka.flags.run import Run
from terbuka.flags.stats import lower_fence


class R024(DifferenceIndicator):
    """Flag processes whose second-lowest bid is suspiciously close to the winning bid."""

    code: ClassVar[str] = "R024"

    def finalize(self, run: Run) -> None:
        """Flag every difference at or below the lower fence, and both tenderers."""
        differences = self.differences(run)
        fence, q1 = (
            (self.threshold, 1.0) if self.threshold is not None else lower_fence(differences)
        )
        if not (q1 > 0.0 and fence > 0.0):
            return
        for ocid, found in run.bid_ratios.items():
            if found.ratio <= fence:
                run.flag("OCID", ocid, self.code, found.ratio)
                run.flag("Tenderer", found.winner, self.code, 0.0)
                run.flag("Tenderer", found.runner_up, self.code, 0.0)
