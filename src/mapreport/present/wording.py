"""Sentences that state statistics honestly.

Two rules are built in: a ratio ("N times the rate") is never written without its 95% confidence interval, and a
survey change is never written as "up/down N points" unless it is statistically significant on its base; otherwise
both figures are given and the sentence says the difference is not significant. `unsupported_claims` finds text
that breaks either rule, so tests can check every sentence a report prints.
"""

from __future__ import annotations

import re

from mapreport.analysis.stats import Change, Estimate
from mapreport.present.numbers import fixed as number
from mapreport.present.numbers import whole_percent as percent

INTERVAL = "95% confidence interval"


def interval(estimate: Estimate, decimals: int = 1) -> str:
    """'95% confidence interval 2.6 to 2.9'."""
    return f"{INTERVAL} {number(estimate.lower, decimals)} to {number(estimate.upper, decimals)}"


def ratio_phrase(estimate: Estimate) -> str:
    """'2.8 (95% confidence interval 2.6 to 2.9)': a ratio, always with its interval."""
    return f"{number(estimate.value, 2)} ({interval(estimate, 2)})"


def ratio_sentence(group: str, reference: str, action: str, estimate: Estimate | None, threshold: int) -> str:
    """One sentence comparing `group`'s rate with `reference`'s, with the interval, or saying why there is no ratio.

    `action` completes 'were ... at': e.g. 'stopped and searched'. `estimate` is None when a count is below the
    suppression `threshold`.
    """
    if estimate is None:
        return (
            f"No ratio is given for {group} against {reference} people: a count is below {threshold}, "
            "too few for a reliable rate."
        )
    if not estimate.excludes(1.0):
        return (
            f"The rate at which {group} people were {action} was not statistically different from that of "
            f"{reference} people (ratio {ratio_phrase(estimate)})."
        )
    return (
        f"{group} people were {action} at {number(estimate.value, 2)} times the rate of {reference} people "
        f"({interval(estimate, 2)})."
    )


def change_sentence(measure: str, change: Change, earlier_label: str, base_note: str = "") -> str:
    """One sentence on a survey measure's change since `earlier_label`, claiming a change only if significant.

    `change.earlier` and `change.later` are proportions. `base_note` (e.g. 'on about 12,800 respondents') is added
    to say what the test was based on.
    """
    later, earlier = percent(change.later), percent(change.earlier)
    points = abs(round(change.difference * 100))
    basis = f" {base_note}" if base_note else ""
    if change.significant and points > 0:
        direction = "up" if change.difference > 0 else "down"
        unit = "point" if points == 1 else "points"
        return (
            f"{measure}: {later}, {direction} {points} {unit} on {earlier_label} ({earlier}); "
            f"statistically significant at the 95% level{basis}."
        )
    return (
        f"{measure}: {later}, against {earlier} {earlier_label}; the difference is not statistically "
        f"significant{basis}, so no change is claimed."
    )


_TIMES = re.compile(r"\b\d+(\.\d+)?\s+times\b", re.IGNORECASE)
_POINTS = re.compile(
    r"\b(up|down|rose|fell|increased|decreased)\b[^.]*?\b\d+\s+(percentage\s+)?points?\b", re.IGNORECASE
)


def unsupported_claims(text: str) -> list[str]:
    """Sentences in `text` that state 'N times' without a confidence interval, or 'up/down N points' without saying
    the change is statistically significant."""
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        ratio_without_interval = bool(_TIMES.search(sentence)) and INTERVAL not in sentence
        claims_significance = "statistically significant" in sentence.replace("not statistically significant", "")
        change_without_test = bool(_POINTS.search(sentence)) and not claims_significance
        if ratio_without_interval or change_without_test:
            found.append(sentence)
    return found
