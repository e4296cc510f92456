"""The annex's title and introduction, and each dataset's period against the report's quarter."""

from __future__ import annotations

from datetime import date

import pandas as pd

from mapreport.core.periods import Quarter
from mapreport.reports.annex.data import Annex

PAS_ETHNICITY_PERIOD = (date(2015, 4, 1), date(2021, 3, 31))
EFF_PERIOD_LABEL = "year ending March 2023"
"""The EFF files state no period; this label comes from the source MANIFEST and is unverified."""
CENSUS_DAY = date(2021, 3, 21)


def month_name(month: str) -> str:
    """'September 2022' from '2022-09'."""
    return date(int(month[:4]), int(month[5:]), 1).strftime("%B %Y")


def month_range(month: str) -> tuple[date, date]:
    """The first and last days of a month given as 'YYYY-MM'."""
    first = date(int(month[:4]), int(month[5:]), 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def relation(start: date, end: date, quarter: Quarter) -> str:
    """Where a data period lies against the report's quarter, in words."""
    if end < quarter.first_month:
        return "before this report's quarter"
    if start > quarter.end_date:
        return "after this report's quarter"
    if start >= quarter.first_month and end <= quarter.end_date:
        return "within this report's quarter"
    if start <= quarter.first_month and end >= quarter.end_date:
        return "includes this report's quarter"
    return "overlaps this report's quarter"


def stop_search_period(annex: Annex) -> str:
    """The months of police.uk records shown, in words ('September 2022')."""
    return ", ".join(month_name(m) for m in sorted(annex.settings.stop_search_months))


def stop_search_span(annex: Annex) -> tuple[date, date]:
    """The first and last days of the police.uk records shown."""
    months = sorted(annex.settings.stop_search_months)
    return month_range(months[0])[0], month_range(months[-1])[1]


def records_held(annex: Annex) -> str:
    """How the months shown relate to the record-level data held."""
    if len(annex.settings.stop_search_months) == 1:
        return "the only month of record-level data held"
    return "the months of record-level data held"


def periods_table(annex: Annex) -> pd.DataFrame:
    """Each dataset shown, the period it covers, and how that period lies against the report's quarter."""
    q = annex.quarter
    years = sorted(annex.use_of_force["year"].unique())
    uof_start = date(int(years[0][:4]), 4, 1)
    uof_end = date(int(years[-1][:4]) + 1, 3, 31)
    pas_first = str(annex.pas_total["quarter"].min())
    rows = [
        (
            "Stop and search (police.uk records)",
            f"{stop_search_period(annex)}: {records_held(annex)}",
            relation(*stop_search_span(annex), q),
        ),
        (
            "Stop and search (Ethnicity Facts and Figures)",
            f"{EFF_PERIOD_LABEL}: not stated in the published file; label from the source manifest, unverified",
            relation(date(2022, 4, 1), date(2023, 3, 31), q) + " (if the label is right)",
        ),
        (
            "Population (Census 2021)",
            f"Census day, {CENSUS_DAY.day} March {CENSUS_DAY.year}",
            relation(CENSUS_DAY, CENSUS_DAY, q),
        ),
        (
            "Use of force and Taser (Home Office)",
            " and ".join(f"financial year {y}" for y in years),
            relation(uof_start, uof_end, q),
        ),
        (
            "Public Attitude Survey, MPS and boroughs",
            f"rolling 12 months; the trend runs from the 12 months ending {Quarter.parse(pas_first).end_date:%-d %B %Y} "
            f"({pas_first}) to the 12 months ending {q.end_date:%-d %B %Y} ({q})",
            "ends with this report's quarter",
        ),
        (
            "Public Attitude Survey by ethnicity (neighbourhoods)",
            "April 2015 to March 2021, pooled",
            relation(*PAS_ETHNICITY_PERIOD, q),
        ),
    ]
    return pd.DataFrame(rows, columns=["Data", "Period covered", f"Against {q}"])


def title(annex: Annex) -> str:
    """The annex's title, naming its quarter."""
    return f"Equality data annex: {annex.quarter.label}"


def introduction(annex: Annex) -> str:
    """The opening paragraph: what the annex shows, and that most data do not cover the quarter."""
    q = annex.quarter
    return (
        f"This annex to the quarterly report for {q.label} sets out the use of police powers in London by "
        "ethnicity, as rates per 1,000 people and as ratios to the rate for White people with 95% confidence "
        "intervals, and what Londoners say about the police in the Public Attitude Survey. Most of the data held "
        "do not cover this quarter: the table below gives each dataset's own period."
    )
