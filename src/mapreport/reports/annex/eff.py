"""The cross-check with Ethnicity Facts and Figures (EFF): its published Met rates beside the annex's own ratios, and
why the two differ, in numbers."""

from __future__ import annotations

from typing import Any

import pandas as pd

from mapreport.analysis import stats
from mapreport.analysis.rates import REFERENCE_GROUP
from mapreport.present import numbers, show, wording
from mapreport.reports.annex.data import DEFINITION_LABELS, EFF_FORCE, FOCUS_GROUP, Annex
from mapreport.reports.annex.periods import EFF_PERIOD_LABEL, latest_available, stop_search_period
from mapreport.reports.annex.rate_tables import ratio_cells
from mapreport.reports.annex.stop_search import no_data_sentence, stop_search_rates
from mapreport.sources import census, stopsearch


def _eff_rates(annex: Annex) -> pd.Series[Any]:
    """EFF's published rates per 1,000 a year for the Met, by group (and All)."""
    return annex.eff_by_area[annex.eff_by_area["area"] == EFF_FORCE].set_index("group")["rate"]


def eff_comparison(annex: Annex) -> pd.DataFrame:
    """The published EFF Met rates beside the rates and ratios computed here from police.uk (self-defined, as EFF)."""
    eff = _eff_rates(annex)
    ours = stop_search_rates(annex)
    ours = ours[ours["definition"] == DEFINITION_LABELS["self"]].set_index("group")
    rows = []
    for group in census.BROAD_GROUPS:
        published_ratio = eff[group] / eff[REFERENCE_GROUP]
        rows.append(
            {
                "group": group,
                "eff_rate_year": eff[group],
                "eff_ratio": published_ratio,
                "our_rate_month": ours["rate"][group],
                "our_ratio": ours["ratio"][group],
                "our_ratio_lower": ours["ratio_lower"][group],
                "our_ratio_upper": ours["ratio_upper"][group],
            }
        )
    return pd.DataFrame.from_records(rows)


def eff_comparison_table(annex: Annex) -> pd.DataFrame:
    """The comparison as shown: EFF's published rate and ratio beside this annex's rate and ratio with interval."""
    table = eff_comparison(annex)
    period = stop_search_period(annex)
    return pd.DataFrame(
        {
            "Ethnic group": table["group"],
            f"EFF rate per 1,000, {EFF_PERIOD_LABEL} (published)": [
                numbers.number(v, 1) for v in table["eff_rate_year"]
            ],
            "EFF ratio to White (from the published rates)": ratio_cells(table["group"], table["eff_ratio"]),
            f"This annex: rate per 1,000 a month, {period}": [numbers.number(v, 2) for v in table["our_rate_month"]],
            "This annex: ratio to White (95% CI)": [
                numbers.REFERENCE if g == REFERENCE_GROUP else numbers.with_interval(v, lo, hi, 2)
                for g, v, lo, hi in zip(
                    table["group"], table["our_ratio"], table["our_ratio_lower"], table["our_ratio_upper"], strict=True
                )
            ],
        }
    )


def eff_implied_not_stated(annex: Annex) -> float:
    """The share of EFF's Met searches with no stated ethnicity implied by its published rates and our denominators:
    1 - (sum over groups of rate x population) / (All rate x total population)."""
    eff = _eff_rates(annex)
    people = annex.population.set_index("group")["population"]
    known = sum(eff[g] * people[g] for g in census.BROAD_GROUPS)
    return float(1 - known / (eff["All"] * people["All"]))


def eff_explanation(annex: Annex) -> list[str]:
    """Why the ratio computed here differs from the ratio of EFF's published rates, in numbers."""
    comparison = eff_comparison(annex)
    row = comparison[comparison["group"] == FOCUS_GROUP].iloc[0]
    ours = stats.Estimate(float(row["our_ratio"]), float(row["our_ratio_lower"]), float(row["our_ratio_upper"]))
    eff = _eff_rates(annex)
    low = (eff[FOCUS_GROUP] - 0.05) / (eff[REFERENCE_GROUP] + 0.05)
    high = (eff[FOCUS_GROUP] + 0.05) / (eff[REFERENCE_GROUP] - 0.05)
    inside = ours.lower <= row["eff_ratio"] <= ours.upper
    people = annex.quarter_records()
    people = people[people["person"]]
    counted = {d: stopsearch.searches_by_ethnicity(people, d)[census.NOT_STATED] for d in DEFINITION_LABELS}
    ours_missing = 100 * counted["self"] / len(people)
    officer_missing = 100 * counted["officer"] / len(people)
    national = annex.eff_by_ethnicity.set_index("ethnicity")["searches"]
    national_unknown = 100 * national["Unknown"] / national["All"]
    shortfall = {
        g: 100 * annex.census(g, "shortfall") / annex.census(g, "region_row") for g in (FOCUS_GROUP, REFERENCE_GROUP)
    }
    period = stop_search_period(annex)
    missing_self = people["self"] == census.NOT_STATED
    black_among_missing = 100 * (people.loc[missing_self, "officer"] == FOCUS_GROUP).mean()
    black_among_stated = 100 * (people.loc[~missing_self, "officer"] == FOCUS_GROUP).mean()
    officer = stop_search_rates(annex)
    officer_row = officer[
        (officer["definition"] == DEFINITION_LABELS["officer"]) & (officer["group"] == FOCUS_GROUP)
    ].iloc[0]
    officer_text = (
        f"{officer_row['ratio']:.2f} ("
        + wording.interval(
            stats.Estimate(
                float(officer_row["ratio"]), float(officer_row["ratio_lower"]), float(officer_row["ratio_upper"])
            ),
            2,
        )
        + ")"
        if numbers.known(officer_row["ratio"])
        else f"not shown (a count is below {annex.threshold})"
    )
    return [
        (
            f"Ethnicity Facts and Figures (EFF) publishes, for the Metropolitan Police area, {eff[FOCUS_GROUP]:.1f} "
            f"searches a year per 1,000 Black people and {eff[REFERENCE_GROUP]:.1f} per 1,000 White people; the ratio of "
            f"those rates is {row['eff_ratio']:.2f} (between {low:.2f} and {high:.2f} given their rounding to one decimal; "
            "EFF publishes no interval). From the police.uk records for "
            f"{period}, on the same self-defined ethnicity, the ratio computed here is {wording.ratio_phrase(ours)}. "
            + (
                "The published ratio lies inside that interval: the two sources agree within sampling error."
                if inside
                else "The published ratio lies outside that interval: the difference is more than sampling error alone."
            )
        ),
        (
            f"Why they differ. Period: this annex has the quarter's months held ({period}); EFF covers a full "
            f"financial year (labelled {EFF_PERIOD_LABEL} by the source manifest; the file states no period), so the "
            "rates are not comparable (a month's rate is roughly a twelfth of a year's) and only the ratios are "
            "compared; a quarter's ratio also varies with that quarter's operations."
        ),
        (
            f"Ethnicity not stated: {ours_missing:.1f}% of person searches in {period} have no self-defined "
            f"ethnicity and are left out of every group's rate. EFF does the same (its England and Wales table gives "
            f"{national_unknown:.1f}% 'Unknown', with no rate); for the Met, EFF's published rates and the Census "
            f"populations used here imply that {100 * eff_implied_not_stated(annex):.1f}% of searches had no stated "
            "ethnicity, close to the share here. If the people who state no ethnicity are not spread across groups as "
            "those who do, both ratios are biased in the same way."
        ),
        (
            f"Definition: on officer-defined ethnicity the ratio is {officer_text}, "
            f"{'higher' if officer_row['ratio'] > ours.value else 'not higher'} than on self-defined ethnicity. "
            "Officers record an ethnicity for almost every search "
            f"({officer_missing:.1f}% not stated, against {ours_missing:.1f}% with no "
            f"self-defined ethnicity), and officers perceived {black_among_missing:.1f}% of the people with no "
            f"self-defined ethnicity as Black, against {black_among_stated:.1f}% of those who stated one: people "
            "perceived as Black more often give no ethnicity, which lowers the self-defined ratio."
        ),
        (
            f"Denominators: both use Census 2021. Here London is the 32 local authority areas of the Census file, with "
            f"suppressed cells counted as 0 ({shortfall[FOCUS_GROUP]:.2f}% of Black and {shortfall[REFERENCE_GROUP]:.2f}% of "
            "White Londoners are lost that way, which raises the ratio by about "
            f"{100 * ((1 - shortfall[REFERENCE_GROUP] / 100) / (1 - shortfall[FOCUS_GROUP] / 100) - 1):.1f}%), and includes "
            "the City of London, which is merged with Westminster in the file but policed by the City of London Police. "
            "Records: police.uk publishes the force's open data extract, while EFF uses the Home Office's Annual Data "
            "Requirement returns; small differences in what each counts remain."
        ),
    ]


def eff_heading() -> str:
    """The section's heading: an annual dataset, so its latest available period, never the quarter's."""
    return latest_available("Cross-check with Ethnicity Facts and Figures", f"{EFF_PERIOD_LABEL}, unverified")


def eff_published_table(annex: Annex) -> pd.DataFrame:
    """EFF's published Met rates and their ratios to White only (where the quarter has no police.uk records)."""
    eff = _eff_rates(annex)
    groups = list(census.BROAD_GROUPS)
    return pd.DataFrame(
        {
            "Ethnic group": groups,
            f"EFF rate per 1,000, {EFF_PERIOD_LABEL} (published)": [numbers.number(eff[g], 1) for g in groups],
            "EFF ratio to White (from the published rates)": ratio_cells(
                groups, [eff[g] / eff[REFERENCE_GROUP] for g in groups]
            ),
        }
    )


def _comparable(annex: Annex) -> bool:
    """The quarter has records and its self-defined Black/White ratio is shown (not suppressed)."""
    if not annex.held():
        return False
    ours = stop_search_rates(annex)
    row = ours[(ours["definition"] == DEFINITION_LABELS["self"]) & (ours["group"] == FOCUS_GROUP)]
    return bool(row["ratio"].notna().all())


def section(annex: Annex) -> list[show.HTML]:
    """The cross-check: EFF's published rates beside this quarter's, and why they differ; EFF's alone, saying why,
    where the quarter has no records or its ratio is suppressed."""
    caption = "Metropolitan Police stop and search rates: published (EFF) and computed here"
    if not _comparable(annex):
        reason = (
            no_data_sentence(annex)
            if not annex.held()
            else f"The quarter's ratio is not shown (a count is below {annex.threshold})."
        )
        return [
            show.paragraph(f"EFF's published rates are shown alone, with no comparison: {reason}"),
            show.table(eff_published_table(annex), "Metropolitan Police stop and search rates published by EFF"),
        ]
    return [
        show.table(eff_comparison_table(annex), caption),
        *(show.paragraph(sentence) for sentence in eff_explanation(annex)),
    ]
