"""R003 Short submission period (Cardinal): the tender period is shorter than a threshold.

Methodology: the submission period is `tender.tenderPeriod.endDate − startDate` in whole days
(truncated toward zero; both must be RFC 3339 date-times, else the process is skipped). The
process is flagged (value 1.0) when the period is shorter than the threshold: the number set
for its `tender.procurementMethodDetails` in `[R003.procurement_method_details]`, else
`threshold` (default 15 days). With `procurement_methods` (pipe-separated
`tender.procurementMethod` codes) only those methods are considered.

Settings: `[R003] threshold = 15`, `procurement_methods = open|selective|limited`;
`[R003.procurement_method_details] Seleksi = 10`.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from terbuka.flags.indicators.base import Indicator
from terbuka.flags.release import JsonObject, matches_methods, obj, rfc3339, text
from terbuka.flags.run import Run
from terbuka.flags.settings import Settings

DAY_MICROSECONDS = 86_400_000_000
DEFAULT_THRESHOLD = 15  # days, Cardinal's default


def whole_days(start: datetime, end: datetime) -> int:
    """Return end − start in whole days, truncated toward zero (Cardinal's rule)."""
    delta = end - start
    micro = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return abs(micro) // DAY_MICROSECONDS * (1 if micro >= 0 else -1)


class R003(Indicator):
    """Flag processes whose submission period is shorter than the threshold."""

    code: ClassVar[str] = "R003"
    local: ClassVar[bool] = True
    keys: ClassVar[frozenset[str]] = frozenset({"threshold", "procurement_methods"})
    subsections: ClassVar[tuple[str, ...]] = ("procurement_method_details",)

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.threshold = self.section.integer("threshold", DEFAULT_THRESHOLD)
        self.methods = self.section.pipe_list("procurement_methods")
        self.by_details = settings.section("R003.procurement_method_details").natural_numbers()

    def fold(self, release: JsonObject, ocid: str, run: Run) -> None:
        """Flag the process when its whole-day submission period is below its threshold."""
        if not matches_methods(release, self.methods):
            return
        tender = obj(release, "tender")
        period = obj(tender, "tenderPeriod")
        start, end = rfc3339(text(period, "startDate")), rfc3339(text(period, "endDate"))
        if start is None or end is None:
            return
        days = whole_days(start, end)
        details = text(tender, "procurementMethodDetails")
        threshold = (
            self.threshold if details is None else self.by_details.get(details, self.threshold)
        )
        if days < threshold:
            run.flag("OCID", ocid, self.code, 1.0)
