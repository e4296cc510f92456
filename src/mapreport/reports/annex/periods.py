"""The annex's title and introduction, and each dataset's period against the report's quarter."""

from __future__ import annotations

from datetime import date

import pandas as pd

from mapreport.core.periods import Quarter
from mapreport.reports.annex.data import Annex
from mapreport.sources.published import CITY, MET

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


FORCE_NAMES = {MET: "Metropolitan Police", CITY: "City of London Police"}


def force_name(force: str) -> str:
    """'Metropolitan Police' from police.uk's 'metropolitan'."""
    return FORCE_NAMES.get(force, force.replace("-", " ").title() + " Police")


def month_list(months: list[str]) -> str:
    """'April, May and June 2022' (each month's year given where the years differ); '' for none."""
    if not months:
        return ""
    names = [month_name(m) for m in months]
    if len({m[:4] for m in months}) == 1:
        names = [n.split(" ")[0] for n in names[:-1]] + [names[-1]]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def stop_search_period(annex: Annex) -> str:
    """The quarter's months of police.uk records held, in words ('February and March 2022'); '' for none."""
    return month_list(annex.held())


def months_note(annex: Annex) -> str:
    """Which of the quarter's months are held, with their records, and which are missing."""
    rows = annex.rows_by_file().set_index(["month", "force"])["rows"]
    held = annex.held()
    missing = annex.missing()
    listed = "; ".join(f"{month_name(m)}, {int(rows[(m, MET)]):,} records" for m in held)
    text = f"the {force_name(MET)} files held for the quarter are {listed}."
    if missing:
        text += (
            f" No file is held for {month_list(missing)}, so the quarter's figures are computed on "
            f"{len(held)} of its 3 months."
        )
    else:
        text += " All three of the quarter's months are held."
    return text[0].upper() + text[1:]


def stop_search_span(annex: Annex) -> tuple[date, date]:
    """The first and last days of the quarter's police.uk records held."""
    months = annex.held()
    return month_range(months[0])[0], month_range(months[-1])[1]


def records_held(annex: Annex) -> str:
    """The quarter's months held and missing, in words, for the periods table."""
    held, missing = annex.held(), annex.missing()
    if not held:
        return f"none held for the quarter ({month_list(missing)} missing); no figures shown"
    return month_list(held) + (f"; {month_list(missing)} not held" if missing else "; all three months held")


def periods_table(annex: Annex) -> pd.DataFrame:
    """Each dataset shown, the period it covers, and how that period lies against the report's quarter."""
    q = annex.quarter
    years = sorted(annex.use_of_force["year"].unique())
    uof_start = date(int(years[0][:4]), 4, 1)
    uof_end = date(int(years[-1][:4]) + 1, 3, 31)
    pas_first = str(annex.pas_total["quarter"].min())
    rows = [
        (
            "Stop and search (police.uk records), the quarter",
            records_held(annex),
            relation(*stop_search_span(annex), q) if annex.held() else "no data for this quarter",
        ),
        (
            "Stop and search (police.uk records), 12-month view",
            trend_held(annex),
            "the 12 months ending with this report's quarter",
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


def trend_held(annex: Annex) -> str:
    """The months of the 12-month view held, and those missing, in words."""
    held, missing = annex.held(months=annex.window), annex.missing(months=annex.window)
    if not held:
        return f"{month_name(annex.window[0])} to {month_name(annex.window[-1])}: no month held"
    text = f"{month_name(annex.window[0])} to {month_name(annex.window[-1])}: {len(held)} of 12 months held"
    return text + (f" ({', '.join(month_name(m) for m in missing)} not held)" if missing else "")


def latest_available(label: str, period: str) -> str:
    """A heading for an annual dataset, never presented as the quarter's own: '<label>: latest available: <period>'."""
    return f"{label} (latest available: {period})"


def title(annex: Annex) -> str:
    """The annex's title, naming its quarter."""
    return f"Equality data annex: {annex.quarter.label}"


def introduction(annex: Annex) -> str:
    """The opening paragraph: what the annex shows, and that most data do not cover the quarter."""
    q = annex.quarter
    return (
        f"This annex to the quarterly report for {q.label} sets out the use of police powers in London by "
        "ethnicity, as rates per 1,000 people and as ratios to the rate for White people with 95% confidence "
        "intervals, and what Londoners say about the police in the Public Attitude Survey. Stop and search is "
        "shown for the quarter's own months only, where police.uk records are held; the annual datasets (use of "
        "force, Ethnicity Facts and Figures, the Public Attitude Survey by ethnicity) are the latest available and "
        "are not this quarter's own figures. The table below gives each dataset's own period."
    )
