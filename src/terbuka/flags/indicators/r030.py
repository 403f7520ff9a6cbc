"""R030 Late bid won (Cardinal): the winning bid was received after the submission deadline.

Methodology: the process is flagged (1.0) when a valid bid's `date` is after
`tender.tenderPeriod.endDate` and one of its tenderers is a supplier of an active award;
those tenderers are flagged too (1.0). Dates are compared as RFC 3339 date-times (Cardinal
compares the strings, which agrees when both use the same offset). Assumes the tenderer did
not also bid on time. Settings: none.
"""

from __future__ import annotations

from typing import ClassVar

from terbuka.flags.indicators.base import Indicator
from terbuka.flags.release import (
    JsonObject,
    array,
    bids,
    has_status,
    ident,
    obj,
    rfc3339,
    supplier_ids,
    text,
)
from terbuka.flags.run import Run


class R030(Indicator):
    """Flag processes won by a bid received after the deadline."""

    code: ClassVar[str] = "R030"
    local: ClassVar[bool] = True

    def fold(self, release: JsonObject, ocid: str, run: Run) -> None:
        """Flag the process and the winning tenderers of late valid bids."""
        deadline = rfc3339(text(obj(obj(release, "tender"), "tenderPeriod"), "endDate"))
        if deadline is None:
            return
        winners = supplier_ids([a for a in array(release, "awards") if has_status(a, "active")])
        for bid in bids(release):
            received = rfc3339(text(bid, "date"))
            if not has_status(bid, "valid") or received is None or received <= deadline:
                continue
            for tenderer in array(bid, "tenderers"):
                tenderer_id = ident(tenderer)
                if tenderer_id is not None and tenderer_id in winners:
                    run.flag("OCID", ocid, self.code, 1.0)
                    run.flag("Tenderer", tenderer_id, self.code, 1.0)
