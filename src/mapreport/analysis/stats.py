"""Rates, ratios and proportions with 95% confidence intervals: pure functions, no data access.

Methods (each a textbook formula, checked in tests/unit/test_stats.py against hand-worked examples):

- a rate's interval: Byar's approximation to the exact Poisson interval of the count;
- a rate ratio's interval: the log (Katz) method, SE of ln(RR) = sqrt(1/a + 1/b), counts treated as Poisson and
  the populations as fixed (Kirkwood and Sterne, Essential Medical Statistics, 2nd ed., section 23.3);
- a proportion's interval: Wilson's score interval;
- a change between two survey proportions: a two-sided z test on the difference, allowing for samples that overlap
  (rolling 12-month survey figures a quarter apart share three quarters of their respondents).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054
"""The standard normal quantile for a two-sided 95% interval."""
CONFIDENCE = 0.95
PER = 1000
"""Rates are per 1,000 population."""


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its 95% confidence interval."""

    value: float
    lower: float
    upper: float

    def excludes(self, null: float) -> bool:
        """True when the interval does not contain `null` (1 for a ratio, 0 for a difference)."""
        return not (self.lower <= null <= self.upper)


@dataclass(frozen=True)
class Change:
    """The difference between two proportions (later minus earlier), its standard error and test."""

    earlier: float
    later: float
    difference: float
    standard_error: float
    z: float
    p_value: float

    @property
    def significant(self) -> bool:
        """Significant at the 5% level (two-sided)."""
        return self.p_value < 1 - CONFIDENCE


def _check_count(name: str, value: float) -> None:
    if value < 0 or math.isnan(value):
        raise ValueError(f"{name} must be a count of zero or more (got {value})")


def _check_positive(name: str, value: float) -> None:
    if not value > 0:
        raise ValueError(f"{name} must be greater than zero (got {value})")


def poisson_interval(count: float) -> tuple[float, float]:
    """Byar's approximate 95% interval for a Poisson count (lower bound 0 for a count of 0)."""
    _check_count("count", count)
    lower = 0.0 if count == 0 else count * (1 - 1 / (9 * count) - Z95 / (3 * math.sqrt(count))) ** 3
    upper_count = count + 1
    upper = upper_count * (1 - 1 / (9 * upper_count) + Z95 / (3 * math.sqrt(upper_count))) ** 3
    return lower, upper


def rate(count: float, population: float, per: float = PER) -> Estimate:
    """A rate per `per` population with Byar's 95% interval."""
    _check_positive("population", population)
    lower, upper = poisson_interval(count)
    scale = per / population
    return Estimate(count * scale, lower * scale, upper * scale)


def rate_ratio(count: float, population: float, reference_count: float, reference_population: float) -> Estimate:
    """The ratio of two rates (group over reference) with the log-method 95% interval.

    Both counts must be above zero: a ratio on a zero count has no finite log interval.
    """
    _check_positive("count", count)
    _check_positive("reference count", reference_count)
    _check_positive("population", population)
    _check_positive("reference population", reference_population)
    ratio = (count / population) / (reference_count / reference_population)
    error_factor = math.exp(Z95 * math.sqrt(1 / count + 1 / reference_count))
    return Estimate(ratio, ratio / error_factor, ratio * error_factor)


def wilson_interval(proportion: float, base: float) -> Estimate:
    """Wilson's score 95% interval for a proportion observed on `base` respondents."""
    _check_positive("base", base)
    if not 0 <= proportion <= 1:
        raise ValueError(f"proportion must be between 0 and 1 (got {proportion})")
    z2 = Z95**2
    centre = (proportion + z2 / (2 * base)) / (1 + z2 / base)
    half = Z95 * math.sqrt(proportion * (1 - proportion) / base + z2 / (4 * base**2)) / (1 + z2 / base)
    return Estimate(proportion, centre - half, centre + half)


def proportion_change(
    earlier: float, later: float, base: float, shared_fraction: float = 0.0, rounding: float = 0.0
) -> Change:
    """Test the change between two proportions each observed on `base` respondents.

    `rounding` is the half-width of the rounding of each published figure (0.005 for figures published to two
    decimals): the difference is tested after moving it towards zero by twice that, the least favourable case, so a
    change that rounding alone could produce is never called significant.

    `shared_fraction` is the share of respondents the two figures have in common. With independent samples (0) the
    variance of the difference is 2 p(1-p) / n; when a fraction f is shared, only the non-shared parts differ, and the
    variance is 2 (1 - f) p(1-p) / n (p pooled). Rolling 12-month figures a quarter apart share f = 3/4; a year apart,
    f = 0.
    """
    _check_positive("base", base)
    if not 0 <= shared_fraction < 1:
        raise ValueError(f"shared_fraction must be at least 0 and below 1 (got {shared_fraction})")
    for name, value in (("earlier", earlier), ("later", later)):
        if not 0 <= value <= 1:
            raise ValueError(f"{name} must be a proportion between 0 and 1 (got {value})")
    pooled = (earlier + later) / 2
    standard_error = math.sqrt(2 * (1 - shared_fraction) * pooled * (1 - pooled) / base)
    if rounding < 0:
        raise ValueError(f"rounding must be zero or more (got {rounding})")
    difference = later - earlier
    tested = math.copysign(max(abs(difference) - 2 * rounding, 0.0), difference)
    z = tested / standard_error if standard_error > 0 else (0.0 if tested == 0 else math.copysign(math.inf, tested))
    p_value = math.erfc(abs(z) / math.sqrt(2))
    return Change(earlier, later, difference, standard_error, z, p_value)


def shown(count: float, threshold: int) -> bool:
    """The suppression rule: a rate or ratio is shown only on a count of at least `threshold`."""
    return count >= threshold


@dataclass(frozen=True)
class RatioChange:
    """The change between two rate ratios (later over earlier) with its 95% interval and a two-sided z test."""

    estimate: Estimate
    z: float
    p_value: float

    @property
    def significant(self) -> bool:
        """Significant at the 5% level (two-sided)."""
        return self.p_value < 1 - CONFIDENCE


def ratio_change(earlier: tuple[float, float], later: tuple[float, float]) -> RatioChange:
    """Test whether a rate ratio changed: each argument is (group count, reference count) in one period.

    With the same populations in both periods, the ratio of the two rate ratios is (a2 / b2) / (a1 / b1); on the log
    scale its standard error is sqrt(1/a1 + 1/b1 + 1/a2 + 1/b2) (the four counts independent Poisson), which gives
    the interval and the z test of no change.
    """
    counts = (*earlier, *later)
    for count in counts:
        _check_positive("count", count)
    a1, b1 = earlier
    a2, b2 = later
    value = (a2 / b2) / (a1 / b1)
    standard_error = math.sqrt(sum(1 / c for c in counts))
    factor = math.exp(Z95 * standard_error)
    z = math.log(value) / standard_error
    return RatioChange(Estimate(value, value / factor, value * factor), z, math.erfc(abs(z) / math.sqrt(2)))
