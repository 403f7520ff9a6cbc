"""R018 Single bid received (Cardinal): only one tenderer bid in a competitive procedure.

Methodology: the process is flagged (value 1.0) when `tender.numberOfTenderers` is the
integer 1 and `tender.procurementMethod` is competitive: one of `procurement_methods`
(default `open|selective`).

Settings: `[R018] procurement_methods = open|selective`.
"""

from __future__ import annotations

from typing import ClassVar

from terbuka.flags.indicators.base import Indicator
from terbuka.flags.release import JsonObject, matches_methods, obj
from terbuka.flags.run import Run
from terbuka.flags.settings import Settings


class R018(Indicator):
    """Flag competitive processes with exactly one tenderer."""

    code: ClassVar[str] = "R018"
    local: ClassVar[bool] = True
    keys: ClassVar[frozenset[str]] = frozenset({"procurement_methods"})

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.methods = self.section.pipe_list("procurement_methods", "open|selective")

    def fold(self, release: JsonObject, ocid: str, run: Run) -> None:
        """Flag the process when it is competitive and had a single tenderer."""
        count = obj(release, "tender").get("numberOfTenderers")
        single = count == 1 and type(count) is int
        if single and matches_methods(release, self.methods):
            run.flag("OCID", ocid, self.code, 1.0)
