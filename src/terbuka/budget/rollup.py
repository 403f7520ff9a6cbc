"""Roll budget lines up the region tree: own totals per government, subtree totals per code.

The rule (Permendagri 77/2020 figures as the pages show them): a government's planned is its
agencies' DPA, adjusted each agency's perubahan where it has one (else its DPA), realised the
sum of its realisations; a region's subtree totals add every government at or below its code
(Kemendagri codes nest by prefix: 35 ⊃ 35.22 ⊃ 35.22.01 ⊃ 35.22.01.2001).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

Figures = list[int]  # [planned, adjusted, realised]


def totals_roll(
    sums: Mapping[tuple[str, Hashable, str], int],
) -> tuple[dict[str, Figures], dict[str, Figures]]:
    """Return (own, subtree) figures per region code from spending per (region, agency, phase).

    Example: {("35.22", 1, "dpa"): 10, ("35.22", 1, "perubahan"): 12} → own["35.22"] ==
    [10, 12, 0] and subtree["35"] == [10, 12, 0].
    """
    own: dict[str, Figures] = defaultdict(lambda: [0, 0, 0])
    for region, agency in {(r, a) for r, a, _p in sums}:
        dpa = sums.get((region, agency, "dpa"), 0)
        figures = own[region]
        figures[0] += dpa
        figures[1] += sums.get((region, agency, "perubahan"), dpa)
        figures[2] += sums.get((region, agency, "realisasi"), 0)
    subtree: dict[str, Figures] = defaultdict(lambda: [0, 0, 0])
    for region, figures in own.items():
        parts = region.split(".")
        for cut in range(1, len(parts) + 1):
            target = subtree[".".join(parts[:cut])]
            for index in range(3):
                target[index] += figures[index]
    return dict(own), dict(subtree)
