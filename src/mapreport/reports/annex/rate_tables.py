"""The rate tables shared by the stop and search and use of force sections: counts, rates and ratios as text."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from mapreport.analysis import stats
from mapreport.analysis.rates import REFERENCE_GROUP
from mapreport.present import numbers

NOT_APPLICABLE = "not applicable"
"""A cell for a category the data have no such thing as (officer-defined Mixed), or a rate with no fitting
denominator."""


def count_cell(value: float, threshold: int) -> str:
    """A count by ethnic group as shown: the number, or 'not shown' below the suppression threshold."""
    return numbers.count(int(value)) if stats.shown(value, threshold) else numbers.NOT_SHOWN


def ratio_cells(groups: Iterable[str], ratios: Iterable[float], decimals: int = 2) -> list[str]:
    """Each group's ratio to the reference group; the reference group's own cell says so."""
    return [
        numbers.REFERENCE if group == REFERENCE_GROUP else numbers.number(ratio, decimals)
        for group, ratio in zip(groups, ratios, strict=True)
    ]


def rates_table(
    table: pd.DataFrame, count_label: str, rate_label: str, threshold: int, decimals: int = 2
) -> pd.DataFrame:
    """A frame of `analysis.rates.rates_by_group` (optionally with `definition` and `applicable` columns) as shown in
    the annex: counts below the threshold and their rates read 'not shown'; a row not applicable says so throughout."""
    shown = pd.DataFrame(
        {
            "Ethnic group": table["group"],
            count_label: [count_cell(v, threshold) for v in table["count"]],
            "Population (Census 2021)": table["population"].astype(int),
            rate_label: [numbers.number(v, decimals) for v in table["rate"]],
            "95% CI (rate)": [
                numbers.interval(lo, hi, decimals)
                for lo, hi in zip(table["rate_lower"], table["rate_upper"], strict=True)
            ],
            f"Ratio to {REFERENCE_GROUP}": ratio_cells(table["group"], table["ratio"]),
            "95% CI (ratio)": [
                "" if g == REFERENCE_GROUP else numbers.interval(lo, hi, 2)
                for g, lo, hi in zip(table["group"], table["ratio_lower"], table["ratio_upper"], strict=True)
            ],
        }
    )
    if "applicable" in table:
        mask = ~table["applicable"].astype(bool).to_numpy()
        keep = ("Ethnic group", "Population (Census 2021)")
        shown.loc[mask, [c for c in shown.columns if c not in keep]] = NOT_APPLICABLE
    if "definition" in table:
        shown.insert(0, "Ethnicity recorded as", table["definition"])
    return shown.reset_index(drop=True)
