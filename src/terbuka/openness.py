"""Compute the openness index of a group of processes (an agency or a region, one fiscal year).

Seven components, each a share turned into a score 0–100 from its raw numerator and denominator:

- coverage:     obligatory stages published (on time or late) / obligatory stages due
- completeness: stage slots published / (public processes × 5 stages)
- timeliness:   obligatory stages published on time / obligatory stages published
- documents:    published stages with a document attached / published stages
- flags:        100 − 100 × processes with a red flag / processes judged (lower rate is better)
- complaints:   citizens' reports followed up on time / reports followed up
- satisfaction: survey answers Sangat Puas or Puas / survey answers (cases and visits)

score = Σ weight × component / Σ weight, over the components that have data (denominator > 0).
A component without data is left out of both sums and named as such, never counted as zero;
with no component at all there is no score (None). Example: index([Component("coverage", 8,
10)]).score == 80.0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

WEIGHTS: dict[str, int] = {
    "coverage": 25,
    "completeness": 20,
    "timeliness": 15,
    "documents": 15,
    "flags": 15,
    "complaints": 10,
    "satisfaction": 10,
}
INVERTED = frozenset({"flags"})  # the numerator counts what is bad


@dataclass(frozen=True)
class Component:
    """Hold one component's raw counts: numerator out of denominator (0 ≤ numerator)."""

    key: str
    numerator: int
    denominator: int

    @property
    def weight(self) -> int:
        """Return the component's weight in WEIGHTS (0 for an unknown key)."""
        return WEIGHTS.get(self.key, 0)

    @property
    def score(self) -> float | None:
        """Return the component's score 0–100 (one decimal), None without data.

        A numerator above the denominator is clamped (it cannot happen with consistent data).
        Example: Component("flags", 1, 4).score == 75.0.
        """
        if self.denominator <= 0:
            return None
        share = min(max(self.numerator, 0), self.denominator) / self.denominator
        if self.key in INVERTED:
            share = 1.0 - share
        return round(100.0 * share, 1)


@dataclass(frozen=True)
class Index:
    """Hold the components of a group and its weighted score (None when no data at all)."""

    components: tuple[Component, ...]
    score: float | None

    @property
    def missing(self) -> tuple[str, ...]:
        """Return the keys of WEIGHTS that have no data here, in WEIGHTS order."""
        present = {c.key for c in self.components if c.score is not None}
        return tuple(k for k in WEIGHTS if k not in present)


def index(components: Iterable[Component]) -> Index:
    """Return the index of components: the weighted mean of those with data, one decimal.

    Components of unknown keys weigh 0. Example: index([Component("coverage", 1, 2),
    Component("flags", 0, 0)]) gives score 50.0 and missing ending with "flags".
    """
    found = tuple(components)
    scored = [(c.weight, c.score) for c in found if c.score is not None and c.weight > 0]
    total = sum(w for w, _ in scored)
    if not total:
        return Index(found, None)
    return Index(found, round(sum(w * s for w, s in scored) / total, 1))
