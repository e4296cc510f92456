"""Statistics against hand-worked and published textbook examples."""

from __future__ import annotations

import math

import pytest

from mapreport.analysis import stats


def test_rate_ratio_matches_the_log_method_worked_by_hand() -> None:
    # 100 events in 10,000 against 50 in 20,000: RR = 4; SE(ln RR) = sqrt(1/100 + 1/50) = 0.1732;
    # error factor exp(1.96 x 0.1732) = 1.4042, so 4 / 1.4042 = 2.849 to 4 x 1.4042 = 5.617.
    estimate = stats.rate_ratio(100, 10_000, 50, 20_000)
    assert (estimate.value, estimate.lower, estimate.upper) == pytest.approx((4.0, 2.849, 5.617), abs=1e-3)


def test_rate_ratio_refuses_a_zero_count() -> None:
    with pytest.raises(ValueError, match="count must be greater than zero"):
        stats.rate_ratio(0, 1000, 5, 1000)


def test_wilson_interval_matches_newcombe_1998_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857, example 81/263: Wilson interval 0.2553 to 0.3662.
    estimate = stats.wilson_interval(81 / 263, 263)
    assert (estimate.lower, estimate.upper) == pytest.approx((0.2553, 0.3662), abs=5e-4)


def test_byar_interval_is_close_to_the_exact_poisson_interval() -> None:
    # The exact 95% interval for a count of 10 is 4.795 to 18.390.
    assert stats.poisson_interval(10) == pytest.approx((4.795, 18.390), abs=0.01)


def test_rate_is_per_thousand_with_byar_interval_worked_by_hand() -> None:
    # Byar, count 10: 10 x (1 - 1/90 - 1.96/(3 sqrt 10))^3 = 4.787 and 11 x (1 - 1/99 + 1.96/(3 sqrt 11))^3 = 18.39;
    # per 1,000 of 5,000 people: divide by 5.
    estimate = stats.rate(10, 5000)
    assert estimate.value == 2.0
    assert (estimate.lower, estimate.upper) == pytest.approx((0.9575, 3.678), abs=1e-3)


def test_independent_change_matches_the_two_proportion_z_test_by_hand() -> None:
    # 50% to 55% on 1,000 each: pooled 0.525, SE = sqrt(2 x 0.525 x 0.475 / 1000) = 0.02233, z = 2.239, p = 0.0252.
    change = stats.proportion_change(0.50, 0.55, 1000)
    assert (change.standard_error, change.z, change.p_value) == pytest.approx((0.02233, 2.239, 0.0252), abs=1e-3)


def test_shared_respondents_halve_the_standard_error_at_three_quarters() -> None:
    independent = stats.proportion_change(0.50, 0.55, 1000)
    overlapping = stats.proportion_change(0.50, 0.55, 1000, shared_fraction=0.75)
    assert overlapping.standard_error == pytest.approx(independent.standard_error / 2)


def test_a_one_point_change_in_rounded_figures_is_never_significant() -> None:
    change = stats.proportion_change(0.73, 0.72, 12_800, shared_fraction=0.75, rounding=0.005)
    assert not change.significant


def test_a_large_change_survives_the_rounding_allowance() -> None:
    change = stats.proportion_change(0.79, 0.72, 12_800, rounding=0.005)
    assert change.significant and change.difference == pytest.approx(-0.07)


def test_estimate_excludes_the_null_only_when_the_interval_does() -> None:
    assert stats.Estimate(2.0, 1.5, 2.5).excludes(1.0)
    assert not stats.Estimate(1.2, 0.9, 1.5).excludes(1.0)


def test_suppression_rule_shows_counts_at_the_threshold() -> None:
    assert stats.shown(10, 10) and not stats.shown(9, 10)


def test_z95_is_the_normal_quantile() -> None:
    assert 0.5 * math.erfc(-stats.Z95 / math.sqrt(2)) == pytest.approx(0.975, abs=1e-12)


def test_ratio_change_matches_a_hand_worked_example() -> None:
    # earlier: 100 against 50 (ratio 2); later: 150 against 50 (ratio 3); change 1.5
    change = stats.ratio_change((100, 50), (150, 50))
    se = math.sqrt(1 / 100 + 1 / 50 + 1 / 150 + 1 / 50)
    assert change.estimate.value == pytest.approx(1.5)
    assert change.estimate.lower == pytest.approx(1.5 / math.exp(1.959963984540054 * se))
    assert change.z == pytest.approx(math.log(1.5) / se)
    assert change.p_value == pytest.approx(math.erfc(abs(math.log(1.5) / se) / math.sqrt(2)))
    assert not change.significant  # z = 1.74


def test_ratio_change_of_equal_ratios_is_no_change() -> None:
    change = stats.ratio_change((200, 100), (400, 200))
    assert change.estimate.value == pytest.approx(1.0) and change.p_value == pytest.approx(1.0)


def test_ratio_change_refuses_a_zero_count() -> None:
    with pytest.raises(ValueError, match="count must be greater than zero"):
        stats.ratio_change((0, 10), (5, 10))
