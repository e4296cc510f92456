"""Stop and search by ethnicity in the quarter's own police.uk months: rates, ratios to White, outcomes, and their
text. Where none of the quarter's months is held, the section says so and shows no figures."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from mapreport.analysis import stats
from mapreport.analysis.rates import RATE_COLUMNS, REFERENCE_GROUP, rates_by_group
from mapreport.present import numbers, show, wording
from mapreport.present.charts import Chart, interval_bar_chart
from mapreport.reports.annex.data import DEFINITION_LABELS, FOCUS_GROUP, Annex
from mapreport.reports.annex.periods import force_name, month_list, months_note, stop_search_period
from mapreport.reports.annex.rate_tables import count_cell, rates_table
from mapreport.sources import census, stopsearch
from mapreport.sources.published import MET

SHARES = ("Arrest", "No further action")
"""The outcomes whose share of searches is shown with an interval."""
NOT_APPLICABLE_GROUPS = {"officer": ("Mixed",)}
"""police.uk's officer-defined ethnicity has no Mixed category: no officer-defined Mixed count or rate exists (it is
not zero), unless a file ever records one."""


def applicable(definition: str, group: str, count: int) -> bool:
    """False for a group the definition has no category for (officer-defined Mixed), when nothing is recorded in it."""
    return not (group in NOT_APPLICABLE_GROUPS.get(definition, ()) and count == 0)


def rates_for(records: pd.DataFrame, months: int, annex: Annex) -> pd.DataFrame:
    """Person searches by broad group on both definitions, rates per 1,000 a month (averaged over `months`) and
    ratios to White; `applicable` is False for officer-defined Mixed."""
    frames = []
    for definition, label in DEFINITION_LABELS.items():
        counts = stopsearch.searches_by_ethnicity(records, definition)
        table = rates_by_group(counts, annex.population, annex.threshold)
        for column in ("rate", "rate_lower", "rate_upper"):
            table[column] = table[column] / months
        table["applicable"] = [applicable(definition, g, c) for g, c in zip(table["group"], table["count"], strict=True)]
        table.insert(0, "definition", label)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def stop_search_rates(annex: Annex, force: str = MET) -> pd.DataFrame:
    """The quarter's rates and ratios (see `rates_for`); no rows where none of the quarter's months is held."""
    months = len(annex.held(force))
    if months == 0:
        return pd.DataFrame(columns=["definition", *RATE_COLUMNS, "applicable"])
    return rates_for(annex.quarter_records(force), months, annex)


def stop_search_not_stated(annex: Annex) -> pd.DataFrame:
    """Person searches with no ethnicity on each definition, and vehicle-only searches (counts below the threshold
    not shown)."""
    records = annex.quarter_records()
    rows = []
    people = int(records["person"].sum())
    for definition, label in DEFINITION_LABELS.items():
        count = int(stopsearch.searches_by_ethnicity(records, definition)[census.NOT_STATED])
        shown = stats.shown(count, annex.threshold)
        rows.append(
            (
                f"{label}: ethnicity not stated",
                numbers.count(count) if shown else numbers.NOT_SHOWN,
                numbers.number(100 * count / people, 1) if shown and people else numbers.NOT_SHOWN,
            )
        )
    vehicle = stopsearch.vehicle_only_searches(records)
    shown_vehicle = numbers.count(vehicle) if stats.shown(vehicle, annex.threshold) else numbers.NOT_SHOWN
    rows.append(("Vehicle-only searches (no person searched; not counted by ethnicity)", shown_vehicle, ""))
    return pd.DataFrame(rows, columns=["Searches", "Number", "% of person searches"])


def no_data_sentence(annex: Annex) -> str:
    """What is said where none of the quarter's months is held."""
    return (
        f"No police.uk record-level stop and search data are held for {annex.quarter.label}: no file for "
        f"{month_list(annex.months)}. So no stop and search figures are shown for the quarter, and figures for other "
        "months are not shown in their place."
    )


def stop_search_intro(annex: Annex) -> str:
    """What the stop and search figures are: the quarter's months held, their records, and any month missing."""
    records = annex.quarter_records()
    people = int(records["person"].sum())
    held = annex.held()
    average = "in a month" if len(held) == 1 else f"in an average month of the {len(held)} held"
    return (
        f"Stop and search in {annex.quarter.label}: {months_note(annex)} The police.uk records list "
        f"{len(records):,} searches by the {force_name(MET)}, {people:,} of them searches of a person. The chart gives "
        f"searches of a person per 1,000 London residents of each ethnic group {average}, on the ethnicity the officer "
        "recorded (officer-defined) and the ethnicity the person gave (self-defined), with 95% confidence intervals "
        "drawn; its table gives the counts, the Census 2021 population, and each rate's ratio to the rate for White "
        "people with 95% confidence intervals."
    )


def stop_search_chart(annex: Annex) -> Chart:
    """Rates of stop and search per 1,000 people a month by broad group, on both definitions, with intervals."""
    table = stop_search_rates(annex)
    order = {group: i for i, group in enumerate(census.BROAD_GROUPS)}
    plotted = (
        table.dropna(subset=["rate"])
        .assign(_order=lambda t: t["group"].map(order))
        .sort_values(["_order", "definition"], kind="stable")
        .drop(columns="_order")
    )
    period = stop_search_period(annex)
    focus = table[(table["group"] == FOCUS_GROUP)].set_index("definition")["rate"]
    alt = (
        f"Bar chart with 95% confidence intervals of person searches per 1,000 people in London by ethnic group, "
        f"{period}, on officer-defined and self-defined ethnicity. The rate for Black people: "
        f"{numbers.number(focus.get('Officer-defined'), 2)} (officer-defined) and "
        f"{numbers.number(focus.get('Self-defined'), 2)} (self-defined) per 1,000 a month. The data table follows."
    )
    chart = interval_bar_chart(
        plotted,
        x="group",
        y="rate",
        lower="rate_lower",
        upper="rate_upper",
        hue="definition",
        title=f"Stop and search per 1,000 people a month, {period}",
        alt=alt,
        ylabel="Searches per 1,000 people (a month)",
    )
    return dataclasses.replace(
        chart, data=rates_table(table, "Person searches", "Rate per 1,000 (a month)", annex.threshold)
    )


def ratio_estimate(row: pd.Series[Any]) -> stats.Estimate | None:
    """The ratio and its interval in a row of `analysis.rates.rates_by_group`, or None where it is suppressed."""
    if pd.isna(row["ratio"]):
        return None
    return stats.Estimate(float(row["ratio"]), float(row["ratio_lower"]), float(row["ratio_upper"]))


def stop_search_sentences(annex: Annex) -> list[str]:
    """The Black/White rate ratio on each definition, with its interval, and the officer-defined Mixed note."""
    table = stop_search_rates(annex)
    sentences = []
    for label in DEFINITION_LABELS.values():
        row = table[(table["definition"] == label) & (table["group"] == FOCUS_GROUP)].iloc[0]
        sentence = wording.ratio_sentence(
            FOCUS_GROUP, REFERENCE_GROUP, "stopped and searched", ratio_estimate(row), annex.threshold
        )
        sentences.append(f"{label} ethnicity, {stop_search_period(annex)}: {sentence}")
    officer = table[table["definition"] == DEFINITION_LABELS["officer"]].set_index("group")
    if not officer["applicable"]["Mixed"]:
        sentences.append(
            "Officer-defined ethnicity on police.uk has no Mixed category, so an officer-defined Mixed count or rate "
            "is not applicable (shown as such, not as zero); officers record people of Mixed ethnicity under another "
            "group, which raises those groups' officer-defined rates a little against their Census populations."
        )
    return sentences


def outcomes_intro(annex: Annex) -> str:
    """What the outcomes chart shows, and for which months."""
    return (
        f"What followed each search of a person in {stop_search_period(annex)}, by self-defined ethnicity: the "
        "number of searches with each outcome recorded on police.uk, and the percentage ending in arrest and in no "
        "further action with 95% confidence intervals (drawn on the chart). Searches with no self-defined ethnicity "
        "are shown as their own row."
    )


def outcomes(annex: Annex, definition: str = "self") -> pd.DataFrame:
    """Outcomes of person searches by broad group: counts and the share ending in arrest and in no further action,
    with Wilson intervals; shares not shown on fewer searches than the threshold."""
    table = stopsearch.outcomes_by_ethnicity(annex.quarter_records(), definition)
    rows = []
    for group, counts in table.iterrows():
        total = int(counts.sum())
        row: dict[str, Any] = {"group": group, "searches": total}
        row |= {outcome: int(counts[outcome]) for outcome in stopsearch.OUTCOME_GROUPS}
        for outcome in SHARES:
            estimate = (
                stats.wilson_interval(float(counts[outcome]) / total, total)
                if stats.shown(total, annex.threshold) and stats.shown(int(counts[outcome]), annex.threshold)
                else None
            )
            row |= {
                f"{outcome} %": 100 * estimate.value if estimate else float("nan"),
                f"{outcome} lower": 100 * estimate.lower if estimate else float("nan"),
                f"{outcome} upper": 100 * estimate.upper if estimate else float("nan"),
            }
        rows.append(row)
    return pd.DataFrame.from_records(rows)


def outcomes_chart(annex: Annex, definition: str = "self") -> Chart:
    """Share of person searches ending in arrest and in no further action, by broad group, with intervals."""
    full = outcomes(annex, definition)
    label = DEFINITION_LABELS[definition].lower()
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "group": full["group"],
                    "outcome": outcome,
                    "percent": full[f"{outcome} %"],
                    "lower": full[f"{outcome} lower"],
                    "upper": full[f"{outcome} upper"],
                }
            )
            for outcome in SHARES
        ],
        ignore_index=True,
    ).dropna(subset=["percent"])
    arrests = full.set_index("group")["Arrest %"]
    period = stop_search_period(annex)
    alt = (
        f"Bar chart with 95% confidence intervals of the percentage of person searches ending in arrest and in no "
        f"further action, by {label} ethnic group, {period}. Arrest: "
        f"{numbers.number(arrests.get(FOCUS_GROUP), 1)}% for Black and "
        f"{numbers.number(arrests.get(REFERENCE_GROUP), 1)}% for White people. The data table follows."
    )
    chart = interval_bar_chart(
        long,
        x="group",
        y="percent",
        lower="lower",
        upper="upper",
        hue="outcome",
        title=f"Outcome of person searches by {label} ethnicity, {period}",
        alt=alt,
        ylabel="% of person searches",
    )
    shown = pd.DataFrame({"Ethnic group": full["group"]})
    shown["Person searches"] = [count_cell(v, annex.threshold) for v in full["searches"]]
    for outcome in stopsearch.OUTCOME_GROUPS:
        shown[outcome] = [count_cell(v, annex.threshold) for v in full[outcome]]
    for outcome in SHARES:
        shown[f"{outcome} % (95% CI)"] = [
            numbers.with_interval(v, lo, hi, 1)
            for v, lo, hi in zip(full[f"{outcome} %"], full[f"{outcome} lower"], full[f"{outcome} upper"], strict=True)
        ]
    return dataclasses.replace(chart, data=shown)


def section(annex: Annex) -> list[show.HTML]:
    """The stop and search section for the quarter: its figures, or the plain statement that none are held."""
    if not annex.held():
        return [show.paragraph(no_data_sentence(annex))]
    return [
        show.paragraph(stop_search_intro(annex)),
        show.chart(stop_search_chart(annex)),
        *(show.paragraph(s) for s in stop_search_sentences(annex)),
        show.table(stop_search_not_stated(annex), "Searches with no ethnicity recorded, and vehicle-only searches"),
    ]


def outcomes_section(annex: Annex) -> list[show.HTML]:
    """The outcomes of the quarter's searches, or nothing but a sentence where none of its months is held."""
    if not annex.held():
        return [show.paragraph(f"No outcomes are shown for {annex.quarter.label}: no police.uk file is held for its months.")]
    return [show.paragraph(outcomes_intro(annex)), show.chart(outcomes_chart(annex, "self"))]
