"""London as a whole: the Metropolitan Police and the City of London Police side by side and combined, in the
quarter's months held for both, with the denominator that fits each area."""

from __future__ import annotations

import dataclasses

import pandas as pd

from mapreport.analysis.rates import REFERENCE_GROUP, rates_by_group
from mapreport.present import numbers, show
from mapreport.present.charts import Chart, interval_bar_chart
from mapreport.reports.annex.data import DEFINITION_LABELS, FOCUS_GROUP, Annex
from mapreport.reports.annex.periods import force_name, month_list
from mapreport.reports.annex.rate_tables import NOT_APPLICABLE, count_cell
from mapreport.reports.annex.stop_search import applicable
from mapreport.sources import census, stopsearch
from mapreport.sources.published import CITY, MET

COMBINED = "London (Metropolitan and City of London Police)"
CHART_DEFINITION = "self"
"""The chart compares the areas on self-defined ethnicity (the definition Ethnicity Facts and Figures uses)."""


def months_for_both(annex: Annex) -> list[str]:
    """The quarter's months held for both forces: the only months London as a whole can be computed on."""
    city = set(annex.held(CITY))
    return [m for m in annex.held(MET) if m in city]


def areas(annex: Annex) -> pd.DataFrame:
    """Per definition, group and area (Met, City, combined): searches, and for Met and combined the rate per 1,000 a
    month and ratio to White with intervals (NaN where suppressed or, for the City, not applicable)."""
    months = months_for_both(annex)
    records = annex.records[annex.records["month"].isin(months)] if months else annex.records.iloc[0:0]
    frames = []
    for definition, label in DEFINITION_LABELS.items():
        for area, forces in ((force_name(MET), [MET]), (force_name(CITY), [CITY]), (COMBINED, [MET, CITY])):
            counts = stopsearch.searches_by_ethnicity(records[records["force"].isin(forces)], definition)
            table = rates_by_group(counts, annex.population, annex.threshold)
            for column in ("rate", "rate_lower", "rate_upper"):
                table[column] = table[column] / max(len(months), 1)
            if area == force_name(CITY):
                table[["rate", "rate_lower", "rate_upper", "ratio", "ratio_lower", "ratio_upper"]] = float("nan")
            table["applicable"] = [
                applicable(definition, g, c) for g, c in zip(table["group"], table["count"], strict=True)
            ]
            table.insert(0, "area", area)
            table.insert(0, "definition", label)
            frames.append(table)
    return pd.concat(frames, ignore_index=True)


def areas_table(annex: Annex) -> pd.DataFrame:
    """Side by side: each definition and group, the searches in each area, and rates and ratios where they apply."""
    frame = areas(annex)
    table = {
        (str(d), str(g), str(a)): record
        for d, g, a, record in zip(
            frame["definition"], frame["group"], frame["area"], frame.to_dict("records"), strict=True
        )
    }
    met, city = force_name(MET), force_name(CITY)
    rows = []
    for label in DEFINITION_LABELS.values():
        for group in census.BROAD_GROUPS:
            cells: dict[str, str] = {"Ethnicity recorded as": label, "Ethnic group": group}
            fits = bool(table[(label, group, COMBINED)]["applicable"])
            for area, short in ((met, "Met"), (city, "City"), (COMBINED, "London")):
                r = table[(label, group, area)]
                cells[f"{short}: searches"] = count_cell(r["count"], annex.threshold) if fits else NOT_APPLICABLE
            for area, short in ((met, "Met"), (COMBINED, "London")):
                r = table[(label, group, area)]
                cells[f"{short}: rate per 1,000 a month (95% CI)"] = (
                    numbers.with_interval(r["rate"], r["rate_lower"], r["rate_upper"], 3) if fits else NOT_APPLICABLE
                )
                cells[f"{short}: ratio to White (95% CI)"] = (
                    numbers.REFERENCE
                    if group == REFERENCE_GROUP
                    else numbers.with_interval(r["ratio"], r["ratio_lower"], r["ratio_upper"], 2)
                    if fits
                    else NOT_APPLICABLE
                )
            rows.append(cells)
    return pd.DataFrame(rows)


def areas_chart(annex: Annex) -> Chart:
    """Rates per 1,000 a month by self-defined group: the Met area against London as a whole, with intervals."""
    label = DEFINITION_LABELS[CHART_DEFINITION]
    table = areas(annex)
    plotted = table[
        (table["definition"] == label) & table["area"].isin([force_name(MET), COMBINED]) & table["rate"].notna()
    ]
    period = month_list(months_for_both(annex))
    focus = table[(table["definition"] == label) & (table["group"] == FOCUS_GROUP)].set_index("area")["rate"]
    alt = (
        f"Bar chart with 95% confidence intervals of person searches per 1,000 people a month by {label.lower()} "
        f"ethnic group, {period}: the Metropolitan Police against London as a whole (Metropolitan and City of London "
        f"Police). Black people: {numbers.number(focus[force_name(MET)], 3)} (Metropolitan Police) and "
        f"{numbers.number(focus[COMBINED], 3)} (London) per 1,000 a month. The data table follows."
    )
    chart = interval_bar_chart(
        plotted,
        x="group",
        y="rate",
        lower="rate_lower",
        upper="rate_upper",
        hue="area",
        title=f"Searches per 1,000 a month, {label.lower()} ethnicity, {period}",
        alt=alt,
        ylabel="Searches per 1,000 people (a month)",
    )
    return dataclasses.replace(chart, data=areas_table(annex))


def denominators_text(annex: Annex) -> list[str]:
    """Which population each area's rates use, how the Census file's merged City row is handled, and its effect."""
    share = annex.city_2011.set_index("group")
    effect = {g: 100 * float(share["share"][g]) for g in (FOCUS_GROUP, REFERENCE_GROUP)}
    months = months_for_both(annex)
    return [
        (
            f"Months: London as a whole can be computed only on months held for both forces: "
            f"{month_list(months) or 'none this quarter'}. The {force_name(MET)} polices all of London except the "
            f"City of London, which the {force_name(CITY)} polices; their searches added together are all searches "
            "in London."
        ),
        (
            "Denominators. London as a whole uses all 32 London rows of the Census 2021 file "
            f"({annex.census('All'):,} residents), which cover exactly the area of the two forces together. The Census "
            "2021 file merges the City of London with Westminster in one row ('City of London and Westminster'), so "
            f"the {force_name(MET)} area, which excludes the City, cannot be separated from it: the Metropolitan "
            "Police rates use the same 32 rows and so include the City's residents in the denominator. The effect is "
            "small: in the 2011 Census, the latest held that gives the City its own row, the City's "
            f"{int(share['city']['All']):,} residents were {100 * float(share['share']['All']):.2f}% of London's "
            f"({effect[FOCUS_GROUP]:.2f}% of Black and {effect[REFERENCE_GROUP]:.2f}% of White Londoners), so the "
            "Metropolitan Police rates are understated by about that share, and the Black/White ratio changes by about "
            f"the difference of the two shares, {abs(effect[REFERENCE_GROUP] - effect[FOCUS_GROUP]):.2f}%."
        ),
        (
            f"No rate is given for the {force_name(CITY)} alone ('{NOT_APPLICABLE}'): its area's residents cannot be "
            "separated from Westminster's in the Census 2021 file, and a rate per resident would mislead for an area "
            f"whose {int(share['city']['All']):,} residents (2011) are far fewer than the people who work in and visit "
            "it, who are most of those searched there. Its searches are shown as counts."
        ),
    ]


def section(annex: Annex) -> list[show.HTML]:
    """London as a whole, or the plain statement that the quarter has no month held for both forces."""
    months = months_for_both(annex)
    if not months:
        return [
            show.paragraph(
                f"No month of {annex.quarter.label} is held for both forces, so London as a whole is not shown."
            )
        ]
    return [
        *(show.paragraph(p) for p in denominators_text(annex)),
        show.chart(areas_chart(annex)),
    ]
