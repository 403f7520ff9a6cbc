"""R028 Identical bid prices (Cardinal): different tenderers bid exactly the same price.

Methodology: among the process's submitted bids (status other than invited or withdrawn)
with an amount, a currency and at least one tenderer id, the process is flagged (1.0) when a
bid has the same amount and currency as the previous bid at that price but a different set
of tenderers. Both sets of tenderers are flagged too (1.0).

Exclusions: prices predetermined by the buyer (`no_price_comparison_procurement_methods`,
`price_comparison_procurement_methods`). Settings: none.
"""

from __future__ import annotations

from typing import ClassVar

from terbuka.flags.indicators.base import Indicator, compares_prices
from terbuka.flags.release import JsonObject, array, bid_price, ident, submitted_bids
from terbuka.flags.run import Run


class R028(Indicator):
    """Flag processes where different tenderers bid identical prices."""

    code: ClassVar[str] = "R028"
    local: ClassVar[bool] = True

    def fold(self, release: JsonObject, ocid: str, run: Run) -> None:
        """Flag the process and the tenderers of any two same-price bids."""
        if not compares_prices(release, run):
            return
        seen: dict[tuple[float, str], frozenset[str]] = {}
        for bid in submitted_bids(release):
            price = bid_price(bid)
            ids = frozenset(i for t in array(bid, "tenderers") if (i := ident(t)) is not None)
            if price is None or not ids:
                continue
            other = seen.get(price)
            if other is not None and other != ids:
                run.flag("OCID", ocid, self.code, 1.0)
                for tenderer in ids | other:
                    run.flag("Tenderer", tenderer, self.code, 1.0)
            seen[price] = ids
