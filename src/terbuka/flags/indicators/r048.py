"""R048 Heterogeneous supplier (Cardinal): a supplier's variety of items is a high outlier.

Methodology: for each supplier of an active award with exactly one supplier, the variety is
the number of distinct first `digits` (default 2) characters of `awards[].items[].
classification.id` across all its processes (the UNSPSC segment or CPV division). Only
suppliers awarded in at least `minimum_contracting_processes` (default 20) processes are
considered. A supplier is flagged, with its variety as value, when the variety is at least
the upper fence Q3 + 1.5·IQR of the varieties (or `threshold`).

Settings: `[R048] digits = 2`, `threshold = 10`, `minimum_contracting_processes = 20`.
"""

from __future__ import annotations

from typing import ClassVar

from terbuka.flags.indicators.base import Indicator
from terbuka.flags.release import JsonObject, array, has_status, ident, obj, single_supplier
from terbuka.flags.run import Run
from terbuka.flags.settings import Settings
from terbuka.flags.stats import upper_fence


class R048(Indicator):
    """Flag suppliers whose awarded items span an outlying number of categories."""

    code: ClassVar[str] = "R048"
    keys: ClassVar[frozenset[str]] = frozenset(
        {"digits", "threshold", "minimum_contracting_processes"}
    )

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.digits = self.section.integer("digits", 2)
        threshold = self.section.text("threshold")
        self.threshold = None if threshold is None else float(self.section.integer("threshold", 0))
        self.minimum = self.section.integer("minimum_contracting_processes", 20)
        self.codes: dict[str, set[str]] = {}
        self.processes: dict[str, int] = {}

    def fold(self, release: JsonObject, ocid: str, run: Run) -> None:
        """Collect the classification prefixes of the items awarded to each single supplier."""
        seen: set[str] = set()
        for award in array(release, "awards"):
            supplier = single_supplier(award)
            if supplier is None or not has_status(award, "active"):
                continue
            for item in array(award, "items"):
                code = ident(obj(item, "classification"))
                if code is None:
                    continue
                if supplier not in seen:
                    seen.add(supplier)
                    self.processes[supplier] = self.processes.get(supplier, 0) + 1
                self.codes.setdefault(supplier, set()).add(code[: self.digits])

    def finalize(self, run: Run) -> None:
        """Flag the suppliers whose variety is at or above the upper fence."""
        varieties = {
            supplier: float(len(codes))
            for supplier, codes in self.codes.items()
            if self.processes[supplier] >= self.minimum
        }
        values = list(varieties.values())
        fence = self.threshold if self.threshold is not None else upper_fence(values)
        for supplier, variety in varieties.items():
            if variety >= fence:
                run.flag("Tenderer", supplier, self.code, variety)
