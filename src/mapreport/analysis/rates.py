"""Rates per 1,000 people and rate ratios by broad ethnic group, with the suppression rule: numbers and frames only,
no formatting."""

from __future__ import annotations

from typing import Any

import pandas as pd

from mapreport.analysis import stats
from mapreport.sources import census

REFERENCE_GROUP = "White"
"""The group every rate ratio is taken against."""
RATE_COLUMNS = (
    "group",
    "count",
    "population",
    "rate",
    "rate_lower",
    "rate_upper",
    "ratio",
    "ratio_lower",
    "ratio_upper",
)


def _ratio_or_none(
    count: int, population: int, ref_count: int, ref_population: int, threshold: int
) -> stats.Estimate | None:
    if not (stats.shown(count, threshold) and stats.shown(ref_count, threshold)):
        return None
    return stats.rate_ratio(count, population, ref_count, ref_population)


def rates_by_group(counts: pd.Series[Any], population: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Rate per 1,000 with interval and ratio to White with interval, per broad group; NaN where suppressed.

    `counts` is indexed by group (Not stated is reported as a count only). Columns: `RATE_COLUMNS`.
    """
    people = population.set_index("group")["population"]
    ref_count, ref_population = int(counts[REFERENCE_GROUP]), int(people[REFERENCE_GROUP])
    rows = []
    for group in census.BROAD_GROUPS:
        count, denominator = int(counts[group]), int(people[group])
        row: dict[str, Any] = {"group": group, "count": count, "population": denominator}
        if stats.shown(count, threshold):
            estimate = stats.rate(count, denominator)
            row |= {"rate": estimate.value, "rate_lower": estimate.lower, "rate_upper": estimate.upper}
        ratio = (
            None
            if group == REFERENCE_GROUP
            else _ratio_or_none(count, denominator, ref_count, ref_population, threshold)
        )
        if ratio is not None:
            row |= {"ratio": ratio.value, "ratio_lower": ratio.lower, "ratio_upper": ratio.upper}
        rows.append(row)
    return pd.DataFrame.from_records(rows, columns=list(RATE_COLUMNS))
