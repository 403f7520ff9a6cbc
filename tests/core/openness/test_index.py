"""The openness index formula: golden values, missing components, bounds and monotonicity."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from terbuka.openness import WEIGHTS, Component, index


def test_golden_all_components() -> None:
    found = index(
        [
            Component("coverage", 8, 10),  # 80 × 25
            Component("completeness", 30, 50),  # 60 × 20
            Component("timeliness", 9, 10),  # 90 × 15
            Component("documents", 1, 2),  # 50 × 15
            Component("flags", 1, 4),  # 75 × 15
            Component("complaints", 3, 3),  # 100 × 10
            Component("satisfaction", 3, 4),  # 75 × 10
        ]
    )
    # (2000 + 1200 + 1350 + 750 + 1125 + 1000 + 750) / 110 = 74.318… → 74.3
    assert found.score == 74.3
    assert found.missing == ()


def test_missing_components_are_left_out_not_zero() -> None:
    found = index([Component("coverage", 1, 2), Component("flags", 0, 0)])
    assert found.score == 50.0
    assert found.missing == (
        "completeness", "timeliness", "documents", "flags", "complaints", "satisfaction"
    )  # fmt: skip


def test_no_data_no_score() -> None:
    assert index([]).score is None
    assert index([Component("documents", 0, 0)]).score is None


def test_flags_are_inverted_and_counts_clamped() -> None:
    assert Component("flags", 0, 5).score == 100.0
    assert Component("flags", 5, 5).score == 0.0
    assert Component("coverage", 7, 5).score == 100.0
    assert Component("unknown", 1, 1).weight == 0


counts = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000))
groups = st.fixed_dictionaries({k: counts for k in WEIGHTS})


def _components(raw: dict[str, tuple[int, int]]) -> list[Component]:
    return [Component(k, min(n, d), d) for k, (n, d) in raw.items()]


@given(groups)
def test_bounded(raw: dict[str, tuple[int, int]]) -> None:
    found = index(_components(raw))
    assert found.score is None or 0.0 <= found.score <= 100.0
    for c in found.components:
        assert c.score is None or 0.0 <= c.score <= 100.0


@given(groups, st.sampled_from(sorted(WEIGHTS)), st.integers(1, 10_000))
def test_monotone_in_each_component(raw: dict[str, tuple[int, int]], key: str, more: int) -> None:
    before = index(_components(raw))
    n, d = raw[key]
    d = max(d, 1)
    n = min(n, d)
    better_n = max(n - more, 0) if key == "flags" else min(n + more, d)
    worse = index([c if c.key != key else Component(key, n, d) for c in _components(raw)])
    better = index([c if c.key != key else Component(key, better_n, d) for c in _components(raw)])
    assert worse.score is not None and better.score is not None
    assert better.score >= worse.score
    del before
