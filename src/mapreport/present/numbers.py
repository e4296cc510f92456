"""How numbers, intervals and missing values are written in report tables: defined once, used by every report."""

from __future__ import annotations

from typing import TypeGuard

import pandas as pd

from mapreport.analysis.stats import Change

NOT_SHOWN = "not shown"
"""A rate, ratio or percentage withheld because its count is below the suppression threshold."""
NO_FIGURE = "no figure"
"""A figure the published data do not have."""
REFERENCE = "reference"
"""The ratio cell of the group the ratios are taken against."""


def fixed(value: float, decimals: int = 1) -> str:
    """A number with thousands separators and fixed decimals ('1,234.5')."""
    return f"{value:,.{decimals}f}"


def whole_percent(proportion: float) -> str:
    """A proportion as a whole percentage ('72%')."""
    return f"{proportion * 100:.0f}%"


def known(value: float | None) -> TypeGuard[float]:
    """Neither None nor NaN."""
    return value is not None and not pd.isna(value)


def count(value: int) -> str:
    """A whole number with thousands separators ('12,345')."""
    return f"{value:,}"


def number(value: float | None, decimals: int = 1, *, missing: str = NOT_SHOWN) -> str:
    """A number with thousands separators and fixed decimals ('1,234.5'), or `missing`."""
    return fixed(value, decimals) if known(value) else missing


def interval(lower: float | None, upper: float | None, decimals: int, *, missing: str = NOT_SHOWN) -> str:
    """'2.63 to 2.90', or `missing`."""
    if not (known(lower) and known(upper)):
        return missing
    return f"{number(lower, decimals)} to {number(upper, decimals)}"


def with_interval(
    value: float | None, lower: float | None, upper: float | None, decimals: int, *, missing: str = NOT_SHOWN
) -> str:
    """'2.76 (2.63 to 2.90)', or `missing`."""
    if not known(value):
        return missing
    return f"{number(value, decimals)} ({interval(lower, upper, decimals, missing=missing)})"


def percent(proportion: float | None, *, missing: str = NO_FIGURE) -> str:
    """A proportion as a whole percentage ('72%'), or `missing`."""
    return whole_percent(proportion) if known(proportion) else missing


def percentage(value: float | None, decimals: int = 0, *, missing: str = "") -> str:
    """A value already in percent, with a percent sign ('72%'), or `missing`."""
    return f"{number(value, decimals)}%" if known(value) else missing


def change(value: Change | None) -> str:
    """A survey change in whole points, called a change only if significant ('+3 points, significant')."""
    if value is None:
        return NO_FIGURE
    points = round(value.difference * 100)
    unit = "point" if abs(points) == 1 else "points"
    if value.significant and points != 0:
        return f"{points:+d} {unit}, significant"
    return f"difference {points:+d} {unit}, not significant" if points else "no difference"
