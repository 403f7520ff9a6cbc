"""Roll budget lines up the region tree: own totals per government, subtree totals per code.

A government's own figures follow terbuka.budget.publication.own_totals (planned: its
agencies' DPA; adjusted: each agency's perubahan where it has one, else its DPA; realised:
its realisations); a region's subtree totals add every government at or below its code
(Kemendagri codes nest by prefix: 35 ⊃ 35.22 ⊃ 35.22.01 ⊃ 35.22.01.2001).

The spending breakdowns (by urusan, bidang and account group) roll up the same way: each
line falls under one key per breakdown (breakdown_keys), and a region's breakdown adds the
lines of every government at or below it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

from terbuka.budget.publication import own_totals

Figures = list[int]  # [planned, adjusted, realised]
BREAKDOWNS = ("urusan", "bidang", "account")
PROGRAMME_CUT = 4  # programme[:4] holds the urusan (1 character) and the bidang ("1.03")
ACCOUNT_CUT = 6  # account[:6] is the account group: "5.2.04"
VILLAGE_WIDTH = 8  # a code longer than a district's ("35.22.01") is a village's


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


def breakdown_keys(region: str, programme: str, account: str) -> dict[str, str]:
    """Return a spending line's key in each breakdown: its programme's urusan and bidang and
    its account group. A village's bidang 1–5 is no urusan 1–5: its urusan is "desa-N".

    Example: ("35.22", "1.03.10.2.01", "5.2.04.01") → {"urusan": "1", "bidang": "1.03",
    "account": "5.2.04"}; ("35.22.01.2001", "2.1.01", "5.1") → urusan "desa-2", bidang "2.1".
    """
    village = "desa-" if len(region) > VILLAGE_WIDTH else ""
    return {
        "urusan": village + programme[:1].rstrip("."),
        "bidang": programme[:PROGRAMME_CUT].rstrip("."),
        "account": account[:ACCOUNT_CUT].rstrip("."),
    }


# (region, breakdown, key, phase) → [amount, lines]
Breakdowns = dict[tuple[str, str, str, str], list[int]]


def breakdowns_own(rows: list[tuple[str, str, str, str, int, int]]) -> Breakdowns:
    """Return each government's own breakdowns from its spending lines grouped as (region,
    programme[:PROGRAMME_CUT], account[:ACCOUNT_CUT], phase, amount, line count)."""
    own: Breakdowns = defaultdict(lambda: [0, 0])
    for region, programme, account, phase, amount, lines in rows:
        for by, key in breakdown_keys(region, programme, account).items():
            target = own[(region, by, key, phase)]
            target[0] += amount
            target[1] += lines
    return dict(own)


def breakdowns_subtree(own: Breakdowns) -> Breakdowns:
    """Return every region's subtree breakdowns: the own breakdowns at or below its code."""
    subtree: Breakdowns = defaultdict(lambda: [0, 0])
    for (region, by, key, phase), (amount, lines) in own.items():
        for code in code_chain(region):
            target = subtree[(code, by, key, phase)]
            target[0] += amount
            target[1] += lines
    return dict(subtree)
