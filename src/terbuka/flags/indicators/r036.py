"""R036 Lowest bid disqualified (Cardinal), while the award criterion is price only.

Methodology: the process is flagged (1.0) when it has an active award, a valid bid with an
amount, and its lowest submitted bid (status other than invited or withdrawn; amount in the
main currency; the first in bid order among equal amounts) is disqualified.

Exclusions: prices predetermined by the buyer. Settings: none.
"""

from __future__ import annotations

from typing import ClassVar

from terbuka.flags.indicators.base import Indicator, compares_prices
from terbuka.flags.release import JsonObject, array, bid_price, has_status, submitted_bids, text
from terbuka.flags.run import Run


class R036(Indicator):
    """Flag processes whose lowest submitted bid was disqualified."""

    code: ClassVar[str] = "R036"
    local: ClassVar[bool] = True

    def fold(self, release: JsonObject, ocid: str, run: Run) -> None:
        """Flag the process when the lowest submitted bid is disqualified."""
        if not compares_prices(release, run):
            return
        if not any(has_status(award, "active") for award in array(release, "awards")):
            return
        lowest: float | None = None
        lowest_disqualified = has_valid = False
        for bid in submitted_bids(release):
            price = bid_price(bid)
            if price is None or not run.in_main_currency(price[1]):
                continue
            status = text(bid, "status")
            if lowest is None or price[0] < lowest:
                lowest, lowest_disqualified = price[0], status == "disqualified"
            has_valid = has_valid or status == "valid"
        if has_valid and lowest_disqualified:
            run.flag("OCID", ocid, self.code, 1.0)
