"""ID003 Same supplier repeatedly direct-awarded by one agency (Indonesia-specific).

Penunjukan Langsung and Pengadaan Langsung (OCDS `direct` and `limited` in Terbuka's
mapping) skip open competition; one agency (buyer) awarding the same supplier this way again
and again is a reason to look at the relationship.

Methodology: for each (buyer `buyer.id`, supplier) pair, count the processes whose
`tender.procurementMethod` is one of `procurement_methods` (default `direct|limited`) with an
active award to that supplier. When a pair's count reaches `minimum_awards` (default 3),
each of its processes is flagged (OCID), and so are the supplier (Tenderer) and the buyer
(Buyer), each with the largest such count it takes part in.

Settings: `[ID003] procurement_methods = direct|limited`, `minimum_awards = 3`.
"""

from __future__ import annotations

from typing import ClassVar

from terbuka.flags.indicators.base import Indicator
from terbuka.flags.release import (
    JsonObject,
    array,
    has_status,
    ident,
    matches_methods,
    obj,
    supplier_ids,
)
from terbuka.flags.run import Run
from terbuka.flags.settings import Settings


class ID003(Indicator):
    """Flag buyer–supplier pairs with repeated direct awards."""

    code: ClassVar[str] = "ID003"
    keys: ClassVar[frozenset[str]] = frozenset({"procurement_methods", "minimum_awards"})

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.methods = self.section.pipe_list("procurement_methods", "direct|limited")
        self.minimum = max(self.section.integer("minimum_awards", 3), 1)
        self.pairs: dict[tuple[str, str], list[str]] = {}

    def fold(self, release: JsonObject, ocid: str, run: Run) -> None:
        """Remember the process under each (buyer, supplier) pair it direct-awards."""
        buyer = ident(obj(release, "buyer"))
        if buyer is None or not matches_methods(release, self.methods):
            return
        active = [award for award in array(release, "awards") if has_status(award, "active")]
        for supplier in sorted(supplier_ids(active)):
            self.pairs.setdefault((buyer, supplier), []).append(ocid)

    def finalize(self, run: Run) -> None:
        """Flag the processes, suppliers and buyers of pairs at or above the minimum."""
        for (buyer, supplier), ocids in self.pairs.items():
            count = float(len(ocids))
            if count < self.minimum:
                continue
            for key, group in [
                *((o, "OCID") for o in ocids),
                (supplier, "Tenderer"),
                (buyer, "Buyer"),
            ]:
                current = run.results[group].get(key, {}).get(self.code, 0.0)
                run.flag(group, key, self.code, max(current, count))
