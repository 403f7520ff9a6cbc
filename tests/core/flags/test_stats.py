"""Quantiles and fences agree with statrs 0.16, which Cardinal uses."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from terbuka.flags.stats import divide, fused, lower_fence, quantile, upper_fence


def test_quantile_matches_statrs_definition_8() -> None:
    data = [0.0, 0.0] + [100.0] * 7  # R024's fixture differences
    assert quantile(data, 0.25) == 66.6666666666667  # Cardinal docs: "q1": 66.6667
    assert quantile(data, 0.75) == 100.0
    assert quantile([1.0, 1, 1, 1, 1, 1, 1, 1, 1, 10], 0.75) == 1.0
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert quantile([5.0], 0.25) == 5.0
    assert math.isnan(quantile([], 0.5))
    assert math.isnan(quantile([1.0], 1.5))


def test_fences_of_cardinal_documentation_examples() -> None:
    assert lower_fence([0.0, 0.0] + [100.0] * 7)[0] == 16.66666666666675  # docs: 16.6667
    assert upper_fence([0.0, 0.0, 0.0, 0.0, 100.0]) == 83.33333333333326


def test_divide_follows_ieee_754_for_zero() -> None:
    assert divide(1.0, 4.0) == 0.25
    assert divide(1.0, 0.0) == math.inf
    assert divide(-1.0, 0.0) == -math.inf
    assert math.isnan(divide(0.0, 0.0))


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e150, max_value=1e150)


@given(finite, finite, finite)
def test_fused_multiply_add_rounds_once(a: float, b: float, c: float) -> None:
    exact = fused(a, b, c)
    assert abs(exact - (a * b + c)) <= abs(a * b) * 4e-16 + abs(c) * 4e-16 + 1e-300


@given(st.lists(finite, min_size=1, max_size=50), st.floats(min_value=0, max_value=1))
def test_quantile_stays_between_minimum_and_maximum(values: list[float], tau: float) -> None:
    assert min(values) <= quantile(values, tau) <= max(values)
