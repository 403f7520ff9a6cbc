"""Roll budget lines up the region tree: own totals per government, subtree totals per code.

A government's own figures follow terbuka.budget.publication.own_totals (planned: its
agencies' DPA; adjusted: each agency's perubahan where it has one, else its DPA; realised:
its realisations); a region's subtree totals add every government at or below its code
(Kemendagri codes nest by prefix: 35 ⊃ 35.22 ⊃ 35.22.01 ⊃ 35.22.01.2001).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

from terbuka.budget.publication import own_totals

Figures = list[int]  # [planned, adjusted, realised]


def code_chain(code: str) -> list[str]:
    """Return code and its ancestors' codes, widest first: "35.22" → ["35", "35.22"]."""
    parts = code.split(".")
    return [".".join(parts[:cut]) for cut in range(1, len(parts) + 1)]


def totals_roll(
    sums: Mapping[tuple[str, Hashable, str], int],
) -> tuple[dict[str, Figures], dict[str, Figures]]:
    """Return (own, subtree) figures per region code from spending per (region, agency, phase).

    Example: {("35.22", 1, "dpa"): 10, ("35.22", 1, "perubahan"): 12} → own["35.22"] ==
    [10, 12, 0] and subtree["35"] == [10, 12, 0].
    """
    by_region: dict[str, dict[tuple[Hashable, str], int]] = defaultdict(dict)
    for (region, agency, phase), total in sums.items():
        by_region[region][(agency, phase)] = total
    own = {region: list(own_totals(by_agency)) for region, by_agency in by_region.items()}
    subtree: dict[str, Figures] = defaultdict(lambda: [0, 0, 0])
    for region, figures in own.items():
        for code in code_chain(region):
            target = subtree[code]
            for index in range(3):
                target[index] += figures[index]
    return own, dict(subtree)
