"""Sentences never state a ratio without its interval, or a change that is not significant."""

from __future__ import annotations

from mapreport.analysis import stats
from mapreport.present import wording


def test_a_significant_ratio_is_stated_with_its_interval() -> None:
    sentence = wording.ratio_sentence("Black", "White", "stopped and searched", stats.Estimate(2.76, 2.63, 2.90), 10)
    assert sentence == (
        "Black people were stopped and searched at 2.76 times the rate of White people "
        "(95% confidence interval 2.63 to 2.90)."
    )


def test_a_ratio_whose_interval_includes_one_is_not_called_a_difference() -> None:
    sentence = wording.ratio_sentence("Asian", "White", "stopped and searched", stats.Estimate(0.97, 0.91, 1.03), 10)
    assert "not statistically different" in sentence and "times the rate" not in sentence


def test_a_suppressed_ratio_says_why() -> None:
    sentence = wording.ratio_sentence("Mixed", "White", "stopped and searched", None, 10)
    assert sentence.startswith("No ratio is given") and "below 10" in sentence


def test_a_non_significant_change_is_not_called_up_or_down() -> None:
    change = stats.proportion_change(0.73, 0.72, 12_800, shared_fraction=0.75, rounding=0.005)
    sentence = wording.change_sentence("Trust the MPS", change, "the previous quarter")
    assert sentence == (
        "Trust the MPS: 72%, against 73% the previous quarter; the difference is not statistically significant, "
        "so no change is claimed."
    )


def test_a_significant_change_gives_points_and_significance() -> None:
    change = stats.proportion_change(0.79, 0.72, 12_800, rounding=0.005)
    sentence = wording.change_sentence("Trust the MPS", change, "a year earlier")
    assert "down 7 points on a year earlier (79%); statistically significant" in sentence


def test_unsupported_claims_finds_times_more_likely_without_interval() -> None:
    assert wording.unsupported_claims("Black people were 3.6 times more likely to be searched.") == [
        "Black people were 3.6 times more likely to be searched."
    ]


def test_unsupported_claims_finds_points_change_without_test() -> None:
    assert wording.unsupported_claims("Trust fell 2 points this quarter.") == ["Trust fell 2 points this quarter."]


def test_unsupported_claims_accepts_the_helpers_own_sentences() -> None:
    ratio = wording.ratio_sentence("Black", "White", "searched", stats.Estimate(3.6, 3.5, 3.8), 10)
    change = wording.change_sentence("Trust", stats.proportion_change(0.79, 0.72, 12_800), "a year earlier")
    assert wording.unsupported_claims(f"{ratio} {change}") == []
