"""R035 All except winning bid disqualified (Cardinal).

Methodology: the process is flagged when exactly one tenderer has valid bids, that tenderer
is exactly the set of suppliers of the active awards, and at least `threshold` (default 1,
never less than 1) other tenderers have disqualified bids. The value is the number of those
other tenderers; the winner is flagged with 0.0.

Exclusions: an award pending or invalid. Settings: `[R035] threshold = 1`.
"""

from __future__ import annotations

from typing import ClassVar

from terbuka.flags.indicators.base import Indicator
from terbuka.flags.release import JsonObject, array, bids, final_awards, ident, supplier_ids, text
from terbuka.flags.run import Run
from terbuka.flags.settings import Settings


class R035(Indicator):
    """Flag processes where every bid but the winner's was disqualified."""

    code: ClassVar[str] = "R035"
    local: ClassVar[bool] = True
    keys: ClassVar[frozenset[str]] = frozenset({"threshold"})

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.threshold = max(self.section.integer("threshold", 1), 1)

    def fold(self, release: JsonObject, ocid: str, run: Run) -> None:
        """Flag the process and its winner when the other tenderers were disqualified."""
        awards = final_awards(release)
        if awards is None:
            return
        valid: set[str] = set()
        disqualified: set[str] = set()
        for bid in bids(release):
            status = text(bid, "status")
            group = (
                valid if status == "valid" else disqualified if status == "disqualified" else None
            )
            if group is not None:
                group.update(i for t in array(bid, "tenderers") if (i := ident(t)) is not None)
        others = len(disqualified - valid)
        if len(valid) == 1 and valid == supplier_ids(awards) and others >= self.threshold:
            run.flag("OCID", ocid, self.code, float(others))
            run.flag("Tenderer", next(iter(valid)), self.code, 0.0)
