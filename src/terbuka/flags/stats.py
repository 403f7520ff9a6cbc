"""Compute the order statistics and fences the outlier indicators use, as Cardinal does.

Cardinal uses statrs 0.16 `Data::quantile`, which is the approximately median-unbiased
estimator (Hyndman & Fan 1996, definition 8): with n sorted values x₁…xₙ and
h = (n + 1/3)·τ + 1/3, the quantile is x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋), clamped to the
minimum and maximum. An empty set has no quantile (NaN, so nothing is flagged).
Example: quantile([0, 0, 100, 100, 100, 100, 100, 100, 100], 0.25) = 66.666…
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction


def quantile(values: Iterable[float], tau: float) -> float:
    """Return the τ-quantile of values (Hyndman & Fan def. 8); NaN if empty or τ ∉ [0, 1]."""
    data = sorted(values)
    n = len(data)
    if not 0.0 <= tau <= 1.0 or n == 0:
        return math.nan
    h = (n + 1.0 / 3.0) * tau + 1.0 / 3.0
    floor = int(h)
    if floor <= 0 or tau == 0.0:
        return data[0]
    if floor >= n or tau == 1.0:
        return data[-1]
    low, high = data[floor - 1], data[floor]
    return low + (h - floor) * (high - low)


def divide(numerator: float, denominator: float) -> float:
    """Return numerator / denominator with IEEE 754 results for 0 (±inf, or NaN for 0/0)."""
    if denominator:
        return numerator / denominator
    if numerator == 0 or math.isnan(numerator):
        return math.nan
    return math.copysign(math.inf, numerator) * math.copysign(1.0, denominator)


def fused(a: float, b: float, c: float) -> float:
    """Return a·b + c rounded once, like Rust's f64::mul_add (NaN when any input is NaN)."""
    if not all(math.isfinite(x) for x in (a, b, c)):
        return a * b + c
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def lower_fence(values: list[float]) -> tuple[float, float]:
    """Return (Q1 − 1.5·IQR, Q1) of values."""
    q1, q3 = quantile(values, 0.25), quantile(values, 0.75)
    return fused(q3 - q1, -1.5, q1), q1


def upper_fence(values: list[float]) -> float:
    """Return Q3 + 1.5·IQR of values."""
    q1, q3 = quantile(values, 0.25), quantile(values, 0.75)
    return fused(q3 - q1, 1.5, q3)
