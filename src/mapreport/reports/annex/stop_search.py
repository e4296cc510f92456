"""Stop and search by ethnicity from the police.uk records: rates, ratios to White, outcomes, and their text."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from mapreport.analysis import stats
from mapreport.analysis.rates import REFERENCE_GROUP, rates_by_group
from mapreport.present import numbers, wording
from mapreport.present.charts import Chart, bar_chart
from mapreport.reports.annex.data import DEFINITION_LABELS, FOCUS_GROUP, Annex
from mapreport.reports.annex.periods import records_held, relation, stop_search_period, stop_search_span
from mapreport.reports.annex.rate_tables import rates_table
from mapreport.sources import census, stopsearch

SHARES = ("Arrest", "No further action")
"""The outcomes whose share of searches is shown with an interval."""


def stop_search_rates(annex: Annex) -> pd.DataFrame:
    """Person searches by broad group on both definitions, with rates per 1,000 a month and ratios to White."""
    frames = []
    months = len(annex.settings.stop_search_months)
    for definition, label in DEFINITION_LABELS.items():
        counts = stopsearch.searches_by_ethnicity(annex.records, definition)
        table = rates_by_group(counts, annex.population, annex.threshold)
        for column in ("rate", "rate_lower", "rate_upper"):
            table[column] = table[column] / months
        table.insert(0, "definition", label)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def stop_search_not_stated(annex: Annex) -> pd.DataFrame:
    """Person searches with no ethnicity on each definition, and vehicle-only searches."""
    rows = []
    people = int(annex.records["person"].sum())
    for definition, label in DEFINITION_LABELS.items():
        count = int(stopsearch.searches_by_ethnicity(annex.records, definition)[census.NOT_STATED])
        rows.append((f"{label}: ethnicity not stated", count, 100 * count / people))
    vehicle = stopsearch.vehicle_only_searches(annex.records)
    rows.append(("Vehicle-only searches (no person searched; not counted by ethnicity)", vehicle, float("nan")))
    return pd.DataFrame(rows, columns=["Searches", "Number", "% of person searches"])


def stop_search_intro(annex: Annex) -> str:
    """What the stop and search figures are, and when, against the report's quarter."""
    records = annex.records
    people = int(records["person"].sum())
    return (
        f"Stop and search: {stop_search_period(annex)}, {records_held(annex)}; it is "
        f"{relation(*stop_search_span(annex), annex.quarter)}, "
        f"{annex.quarter.label}. The police.uk records list {len(records):,} searches by the "
        f"{annex.settings.stop_search_force.replace('-', ' ').title()} Police, {people:,} of them searches of a "
        "person. The chart gives searches of a person per 1,000 London residents of each ethnic group in the "
        "month, on the ethnicity the officer recorded (officer-defined) and the ethnicity the person gave "
        "(self-defined); its table gives the counts, the Census 2021 population, and each rate's ratio to the rate "
        "for White people with 95% confidence intervals."
    )


def stop_search_chart(annex: Annex) -> Chart:
    """Rates of stop and search per 1,000 people a month by broad group, on both ethnicity definitions."""
    table = stop_search_rates(annex)
    order = {group: i for i, group in enumerate(census.BROAD_GROUPS)}
    plotted = (
        table.dropna(subset=["rate"])
        .assign(rate=lambda t: t["rate"].round(2), _order=lambda t: t["group"].map(order))
        .sort_values(["_order", "definition"], kind="stable")
        .drop(columns="_order")
    )
    period = stop_search_period(annex)
    focus = table[(table["group"] == FOCUS_GROUP)].set_index("definition")
    alt = (
        f"Bar chart of person searches per 1,000 people in London by ethnic group, {period}, on officer-defined and "
        f"self-defined ethnicity. The rate for Black people is the highest on both: "
        f"{focus['rate']['Officer-defined']:.2f} (officer-defined) and {focus['rate']['Self-defined']:.2f} "
        "(self-defined) per 1,000. The data table follows."
    )
    chart = bar_chart(
        plotted,
        x="group",
        y="rate",
        hue="definition",
        title=f"Stop and search per 1,000 people, {period}",
        alt=alt,
        ylabel="Searches per 1,000 people (one month)",
    )
    return dataclasses.replace(chart, data=rates_table(table, "Person searches", "Rate per 1,000 (month)"))


def ratio_estimate(row: pd.Series[Any]) -> stats.Estimate | None:
    """The ratio and its interval in a row of `analysis.rates.rates_by_group`, or None where it is suppressed."""
    if pd.isna(row["ratio"]):
        return None
    return stats.Estimate(float(row["ratio"]), float(row["ratio_lower"]), float(row["ratio_upper"]))


def stop_search_sentences(annex: Annex) -> list[str]:
    """The Black/White rate ratio on each definition, with its interval."""
    table = stop_search_rates(annex)
    sentences = []
    for label in DEFINITION_LABELS.values():
        row = table[(table["definition"] == label) & (table["group"] == FOCUS_GROUP)].iloc[0]
        sentence = wording.ratio_sentence(
            FOCUS_GROUP, REFERENCE_GROUP, "stopped and searched", ratio_estimate(row), annex.threshold
        )
        sentences.append(f"{label} ethnicity, {stop_search_period(annex)}: {sentence}")
    officer = table[table["definition"] == DEFINITION_LABELS["officer"]].set_index("group")
    if officer["count"]["Mixed"] == 0:
        sentences.append(
            "Officer-defined ethnicity in these records has no Mixed category (no search is recorded as Mixed), so "
            "there is no officer-defined Mixed rate; officers record people of Mixed ethnicity under another group, "
            "which raises those groups' officer-defined rates a little against their Census populations."
        )
    return sentences


def outcomes_intro(annex: Annex) -> str:
    """What the outcomes chart shows, and for which month."""
    return (
        f"What followed each search of a person in {stop_search_period(annex)}, by self-defined ethnicity: the "
        "number of searches with each outcome recorded on police.uk, and the percentage ending in arrest and in no "
        "further action with 95% confidence intervals. Searches with no self-defined ethnicity are shown as their "
        "own row."
    )


def outcomes(annex: Annex, definition: str = "self") -> pd.DataFrame:
    """Outcomes of person searches by broad group: counts and the share ending in arrest and in no further action,
    with Wilson intervals; shares not shown on fewer searches than the threshold."""
    table = stopsearch.outcomes_by_ethnicity(annex.records, definition)
    rows = []
    for group, counts in table.iterrows():
        total = int(counts.sum())
        row: dict[str, Any] = {"group": group, "searches": total}
        row |= {outcome: int(counts[outcome]) for outcome in stopsearch.OUTCOME_GROUPS}
        for outcome in SHARES:
            if stats.shown(total, annex.threshold):
                estimate = stats.wilson_interval(float(counts[outcome]) / total, total)
                row |= {
                    f"{outcome} %": 100 * estimate.value,
                    f"{outcome} lower": 100 * estimate.lower,
                    f"{outcome} upper": 100 * estimate.upper,
                }
            else:
                row |= {
                    f"{outcome} %": float("nan"),
                    f"{outcome} lower": float("nan"),
                    f"{outcome} upper": float("nan"),
                }
        rows.append(row)
    return pd.DataFrame.from_records(rows)


def outcomes_chart(annex: Annex, definition: str = "self") -> Chart:
    """Share of person searches ending in arrest and in no further action, by broad group."""
    table = outcomes(annex, definition).dropna(subset=["Arrest %"])
    label = DEFINITION_LABELS[definition].lower()
    long = pd.concat(
        [
            pd.DataFrame({"group": table["group"], "outcome": outcome, "percent": table[f"{outcome} %"].round(1)})
            for outcome in SHARES
        ],
        ignore_index=True,
    )
    arrests = table.set_index("group")["Arrest %"]
    alt = (
        f"Bar chart of the percentage of person searches ending in arrest and in no further action, by {label} "
        f"ethnic group, {stop_search_period(annex)}. Arrest: {arrests[FOCUS_GROUP]:.1f}% for Black and "
        f"{arrests[REFERENCE_GROUP]:.1f}% for White people. The data table follows."
    )
    chart = bar_chart(
        long,
        x="group",
        y="percent",
        hue="outcome",
        title=f"Outcome of person searches by {label} ethnicity, {stop_search_period(annex)}",
        alt=alt,
        ylabel="% of person searches",
    )
    full = outcomes(annex, definition)
    shown = pd.DataFrame({"Ethnic group": full["group"], "Person searches": full["searches"]})
    for outcome in stopsearch.OUTCOME_GROUPS:
        shown[outcome] = full[outcome]
    for outcome in SHARES:
        shown[f"{outcome} % (95% CI)"] = [
            numbers.with_interval(v, lo, hi, 1)
            for v, lo, hi in zip(full[f"{outcome} %"], full[f"{outcome} lower"], full[f"{outcome} upper"], strict=True)
        ]
    return dataclasses.replace(chart, data=shown)
