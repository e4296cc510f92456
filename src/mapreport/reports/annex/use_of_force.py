"""Use of force and Taser by perceived ethnicity (Home Office tables): rates per 1,000 a year, ratios to White."""

from __future__ import annotations

import dataclasses

import pandas as pd

from mapreport.analysis.rates import REFERENCE_GROUP, rates_by_group
from mapreport.present import numbers, wording
from mapreport.present.charts import Chart, interval_bar_chart
from mapreport.reports.annex.data import FOCUS_GROUP, Annex
from mapreport.reports.annex.periods import latest_available
from mapreport.reports.annex.rate_tables import count_cell, rates_table
from mapreport.reports.annex.stop_search import ratio_estimate
from mapreport.sources import census


def use_of_force_rates(annex: Annex) -> pd.DataFrame:
    """Uses of force (all tactics, and Taser) per 1,000 people a year by perceived ethnicity, with ratios to White."""
    frames = []
    for (year, tactic), group in annex.use_of_force.groupby(["year", "tactic"], sort=True):
        counts = group.set_index("group")["count"]
        table = rates_by_group(counts, annex.population, annex.threshold)
        table.insert(0, "tactic", str(tactic))
        table.insert(0, "year", str(year))
        table["not_stated"] = int(counts.get(census.NOT_STATED, 0))
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def use_of_force_intro(annex: Annex) -> str:
    """What the use of force figures are, and that they end before the report's quarter."""
    years = sorted(annex.use_of_force["year"].unique())
    not_stated = annex.use_of_force[annex.use_of_force["group"] == census.NOT_STATED]
    return (
        f"Use of force by the Metropolitan Police in the financial years {' and '.join(years)} (Home Office police "
        "use of force statistics, table 16), the latest years held; both are before this report's quarter "
        f"({annex.quarter}). Counts are the number of times a tactic was used on a person of each ethnicity as the "
        "officer perceived it, not the number of people or incidents. The first chart is all tactics (excluding "
        "tactical communication), the second Taser (the conducted energy device, CED: drawn, aimed, arced, "
        "red-dotted or fired, whether discharged or not). Rates are uses per 1,000 London residents of each group in the year. Uses with no "
        "perceived ethnicity ("
        + "; ".join(
            f"{year} {tactic}: {count_cell(count, annex.threshold)}"
            for year, tactic, count in zip(not_stated["year"], not_stated["tactic"], not_stated["count"], strict=True)
        )
        + ") have no rate."
    )


def use_of_force_chart(annex: Annex, tactic: str) -> Chart:
    """Rates per 1,000 people by perceived ethnicity for one tactic ("All tactics" or "Taser (CED)"), both years."""
    table = use_of_force_rates(annex)
    table = table[table["tactic"] == tactic].reset_index(drop=True)
    plotted = table.dropna(subset=["rate"])
    latest = table[table["year"] == table["year"].max()].set_index("group")
    alt = (
        f"Bar chart with 95% confidence intervals of Metropolitan Police uses of force ({tactic}) per 1,000 people by perceived ethnicity, financial "
        f"years {' and '.join(sorted(table['year'].unique()))}. In {table['year'].max()} the rate for Black people was "
        f"{numbers.number(latest['rate'][FOCUS_GROUP], 1)} and for White people "
        f"{numbers.number(latest['rate'][REFERENCE_GROUP], 1)} per 1,000. "
        "The data table follows."
    )
    chart = interval_bar_chart(
        plotted,
        x="group",
        y="rate",
        lower="rate_lower",
        upper="rate_upper",
        hue="year",
        title=f"Use of force, {tactic}: uses per 1,000 people a year, Metropolitan Police",
        alt=alt,
        ylabel="Uses per 1,000 people (a year)",
    )
    shown = rates_table(table, "Uses", "Rate per 1,000 (year)", annex.threshold)
    shown.insert(0, "Year", table["year"])
    return dataclasses.replace(chart, data=shown)


def use_of_force_sentences(annex: Annex) -> list[str]:
    """The Black/White rate ratio for each year and tactic, with its interval."""
    table = use_of_force_rates(annex)
    sentences = []
    for (year, tactic), rows in table.groupby(["year", "tactic"], sort=True):
        row = rows[rows["group"] == FOCUS_GROUP].iloc[0]
        action = "subject to force" if tactic == "All tactics" else "subject to Taser use"
        sentence = wording.ratio_sentence(FOCUS_GROUP, REFERENCE_GROUP, action, ratio_estimate(row), annex.threshold)
        sentences.append(f"{year}, {tactic}: {sentence}")
    return sentences


def use_of_force_heading(annex: Annex) -> str:
    """The section's heading: an annual dataset, so its latest available period, never the quarter's."""
    years = sorted(annex.use_of_force["year"].unique())
    return latest_available("Use of force and Taser", f"financial year {years[-1]}")
