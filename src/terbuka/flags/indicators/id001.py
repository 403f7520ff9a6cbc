"""ID001 Contract value raised by amendments beyond 10% (Indonesia-specific).

Perpres 16/2018 as amended by Perpres 12/2021 (Pengadaan Barang/Jasa Pemerintah) lets a
contract addendum add work worth at most 10% of the original contract price. A compiled
release keeps only the current contract value, so the award value stands for the original
price.

Methodology: for each contract with at least one entry in `contracts[].amendments`, a value
(amount and currency) and an `awardID` naming an award whose value has the same currency and
a positive amount, the increase is (contractAmount − awardAmount) / awardAmount. The process
is flagged, with its largest increase as value, when that increase is above `threshold`
(default 0.1).

Settings: `[ID001] threshold = 0.1`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from terbuka.flags.indicators.base import Indicator
from terbuka.flags.release import JsonObject, array, bid_price
from terbuka.flags.run import Run
from terbuka.flags.settings import Settings


def _reference(value: Any) -> str | None:
    """Return an award id or awardID (string or integer) as text, else None."""
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


class ID001(Indicator):
    """Flag processes whose amended contract value exceeds the award value beyond the limit."""

    code: ClassVar[str] = "ID001"
    local: ClassVar[bool] = True
    keys: ClassVar[frozenset[str]] = frozenset({"threshold"})

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        threshold = self.section.decimal("threshold")
        self.threshold = 0.1 if threshold is None else threshold

    def fold(self, release: JsonObject, ocid: str, run: Run) -> None:
        """Flag the process when an amended contract grew beyond the threshold."""
        awards = {
            ref: price
            for award in array(release, "awards")
            if isinstance(award, dict)
            and (ref := _reference(award.get("id"))) is not None
            and (price := bid_price(award)) is not None
            and price[0] > 0
        }
        increases = [
            (contract_price[0] - award_price[0]) / award_price[0]
            for contract in array(release, "contracts")
            if isinstance(contract, dict)
            and array(contract, "amendments")
            and (contract_price := bid_price(contract)) is not None
            and (award_price := awards.get(_reference(contract.get("awardID")) or "")) is not None
            and award_price[1] == contract_price[1]
        ]
        if increases and max(increases) > self.threshold:
            run.flag("OCID", ocid, self.code, max(increases))
