"""R038 Excessive disqualified bids (Cardinal), per buyer, procuring entity or tenderer.

Methodology: for each buyer (`buyer.id`) and procuring entity (`tender.procuringEntity.id`)
the ratio is disqualified bids / submitted bids across all its processes; for each tenderer,
its disqualified bids / its submitted bids. An organization is flagged, with its ratio as
value, when the ratio is at least the upper fence Q3 + 1.5·IQR of the ratios of its group (or
`threshold`). Organizations with fewer submitted bids than `minimum_contracting_processes`
(buyers, procuring entities; default 2 — Cardinal compares this minimum with the number of
submitted bids) or `minimum_submitted_bids` (tenderers; default 2) are left out first.

Settings: `[R038] threshold = 0.5`, `minimum_submitted_bids = 2`,
`minimum_contracting_processes = 2`.
"""

from __future__ import annotations

from typing import ClassVar

from terbuka.flags.indicators.base import Indicator
from terbuka.flags.release import JsonObject, array, has_status, ident, obj, submitted_bids
from terbuka.flags.run import Ratio, Run
from terbuka.flags.settings import Settings
from terbuka.flags.stats import upper_fence


class R038(Indicator):
    """Flag organizations with a high share of disqualified bids."""

    code: ClassVar[str] = "R038"
    keys: ClassVar[frozenset[str]] = frozenset(
        {"threshold", "minimum_submitted_bids", "minimum_contracting_processes"}
    )

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.threshold = self.section.decimal("threshold")
        self.minimum_bids = self.section.integer("minimum_submitted_bids", 2)
        self.minimum_processes = self.section.integer("minimum_contracting_processes", 2)
        self.ratios: dict[str, dict[str, Ratio]] = {
            "Buyer": {},
            "ProcuringEntity": {},
            "Tenderer": {},
        }

    def fold(self, release: JsonObject, ocid: str, run: Run) -> None:
        """Count submitted and disqualified bids per buyer, procuring entity and tenderer."""
        submitted = list(submitted_bids(release))
        if not submitted:
            return
        disqualified = 0
        for bid in submitted:
            hit = int(has_status(bid, "disqualified"))
            disqualified += hit
            for tenderer in array(bid, "tenderers"):
                if (tenderer_id := ident(tenderer)) is not None:
                    self.ratios["Tenderer"].setdefault(tenderer_id, Ratio()).add(hit, 1)
        organizations = (
            ("Buyer", ident(obj(release, "buyer"))),
            ("ProcuringEntity", ident(obj(obj(release, "tender"), "procuringEntity"))),
        )
        for group, org_id in organizations:
            if org_id is not None:
                self.ratios[group].setdefault(org_id, Ratio()).add(disqualified, len(submitted))

    def finalize(self, run: Run) -> None:
        """Flag, group by group, the ratios at or above the upper fence."""
        for group, ratios in self.ratios.items():
            minimum = self.minimum_bids if group == "Tenderer" else self.minimum_processes
            kept = {key: r.value for key, r in ratios.items() if r.denominator >= minimum}
            if not kept:
                continue
            values = list(kept.values())
            fence = self.threshold if self.threshold is not None else upper_fence(values)
            for key, value in kept.items():
                if value >= fence:
                    run.flag(group, key, self.code, value)
