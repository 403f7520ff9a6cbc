"""ID002 Award just below a method's ceiling (Indonesia-specific): possible splitting.

Perpres 16/2018 as amended by Perpres 12/2021 caps Pengadaan Langsung (direct purchase) at
Rp200,000,000 for goods, works and other services (Rp100,000,000 for consulting); above the
ceiling a tender is required. Splitting a need into packages priced just under the ceiling
(memecah paket) avoids the tender.

Methodology: for a process whose `tender.procurementMethodDetails` has a ceiling in
`[ID002.procurement_method_details]` (default `Pengadaan Langsung = 200000000`), each active
award's value in `currency` (default IDR) is compared with the ceiling: the process is
flagged, with the largest amount / ceiling as value, when an award is within `band` (default
0.1, i.e. 90%–100% of the ceiling) below or at the ceiling.

Settings: `[ID002] band = 0.1`, `currency = IDR`;
`[ID002.procurement_method_details] Pengadaan Langsung = 200000000`.
"""

from __future__ import annotations

from typing import ClassVar

from terbuka.flags.indicators.base import Indicator
from terbuka.flags.release import JsonObject, array, bid_price, has_status, obj, text
from terbuka.flags.run import Run
from terbuka.flags.settings import Settings

DEFAULT_CEILINGS = {"Pengadaan Langsung": 200_000_000}


class ID002(Indicator):
    """Flag processes awarded just below their method's ceiling."""

    code: ClassVar[str] = "ID002"
    local: ClassVar[bool] = True
    keys: ClassVar[frozenset[str]] = frozenset({"band", "currency"})
    subsections: ClassVar[tuple[str, ...]] = ("procurement_method_details",)

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        band = self.section.decimal("band")
        self.band = 0.1 if band is None else band
        self.currency = self.section.text("currency") or "IDR"
        name = "ID002.procurement_method_details"
        self.ceilings = (
            settings.section(name).natural_numbers() if settings.has(name) else DEFAULT_CEILINGS
        )

    def fold(self, release: JsonObject, ocid: str, run: Run) -> None:
        """Flag the process when an active award sits in the band under the ceiling."""
        ceiling = self.ceilings.get(text(obj(release, "tender"), "procurementMethodDetails") or "")
        if not ceiling:
            return
        shares = [
            price[0] / ceiling
            for award in array(release, "awards")
            if has_status(award, "active")
            and (price := bid_price(award)) is not None
            and price[1] == self.currency
        ]
        near = [share for share in shares if 1.0 - self.band <= share <= 1.0]
        if near:
            run.flag("OCID", ocid, self.code, max(near))
