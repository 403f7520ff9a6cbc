"""Check the index ↔ id mapping of a sequencing batch against a plain list of its ids."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from terbuka_web.transparency.batches import gaps_of, id_at, offset_of


def test_gaps_of_lists_missing_runs_inclusive() -> None:
    assert gaps_of([3, 4, 7, 9]) == [[5, 6], [8, 8]]
    assert gaps_of([5]) == [] and gaps_of([1, 2, 3]) == []


@given(st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=300, unique=True))
def test_id_at_and_offset_of_invert_each_other_over_any_gaps(raw: list[int]) -> None:
    ids = sorted(raw)
    gaps = gaps_of(ids)
    assert [id_at(ids[0], gaps, k) for k in range(len(ids))] == ids
    assert [offset_of(ids[0], gaps, i) for i in ids] == list(range(len(ids)))
