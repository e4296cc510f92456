"""The Public Attitude Survey (PAS): the MPS-wide trend and changes, boroughs, and the results by ethnicity."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from mapreport.analysis import stats
from mapreport.core.periods import Quarter
from mapreport.present import numbers, show, wording
from mapreport.present.charts import Chart, palette, bar_chart, finish, line_chart, new_figure
from mapreport.reports.annex.data import FOCUS_GROUP, Annex
from mapreport.reports.annex.periods import latest_available
from mapreport.sources.pas import ETHNIC_GROUPS, SHOWN_MEASURES

QUARTER_SHARED = 0.75
"""Rolling 12-month PAS figures one quarter apart share three of their four quarters of respondents."""
YEAR_SHARED = 0.0
PAS_ROUNDING = 0.005
"""PAS figures are published to two decimals, so each may be up to half a point from the survey's estimate."""


def _quarter_end(label: str) -> pd.Timestamp:
    return pd.Timestamp(Quarter.parse(label).end_date)


def _change(value_now: float, value_before: float, base: int, shared: float) -> stats.Change:
    return stats.proportion_change(value_before, value_now, base, shared, rounding=PAS_ROUNDING)


def pas_intro(annex: Annex) -> str:
    """What the PAS figures are, and that the latest shown ends with the report's quarter."""
    q = annex.quarter
    return (
        "The Public Attitude Survey (PAS) asks Londoners what they think of the police. Each figure is the "
        f"percentage agreeing over the 12 months to the end of a quarter; the latest shown is the 12 months ending "
        f"{q.end_date:%-d %B %Y}, the end of this report's quarter ({q}); later results exist but are not shown. "
        "The measures: trust the MPS; the police treat everyone fairly; listen to the concerns of local people; do "
        "a good job in the local area; can be relied on to be there when needed."
    )


def pas_trend(annex: Annex) -> pd.DataFrame:
    """MPS-wide PAS measures shown, each quarter up to the report's quarter (percentages)."""
    q = str(annex.quarter)
    table = annex.pas_total
    table = table[table["measure"].isin(SHOWN_MEASURES) & (table["quarter"] <= q)].copy()
    table["percent"] = (table["value"] * 100).round(0)
    return table[["quarter", "measure", "percent"]].reset_index(drop=True)


def pas_trend_chart(annex: Annex) -> Chart:
    """Line chart of the MPS-wide measures to the report's quarter; its table is one row per quarter."""
    trend = pas_trend(annex)
    trend_dates = trend.assign(**{"12 months ending": trend["quarter"].map(_quarter_end)})
    latest = trend[trend["quarter"] == str(annex.quarter)].set_index("measure")["percent"]
    alt = (
        "Line chart of the percentage of Londoners agreeing with five Public Attitude Survey statements, each "
        f"quarter (rolling 12 months) up to {annex.quarter}. In the 12 months to {annex.quarter.end_date:%-d %B %Y}: "
        + "; ".join(f"{m} {latest[m]:.0f}%" for m in SHOWN_MEASURES if m in latest)
        + ". The data table follows."
    )
    chart = line_chart(
        trend_dates,
        x="12 months ending",
        y="percent",
        hue="measure",
        title=f"Public Attitude Survey, MPS-wide, to {annex.quarter}",
        alt=alt,
        ylabel="% agreeing (rolling 12 months)",
    )
    wide = trend.pivot(index="quarter", columns="measure", values="percent").reindex(columns=list(SHOWN_MEASURES))
    shown = pd.DataFrame({"Quarter (end of 12 months)": wide.index})
    for measure in SHOWN_MEASURES:
        shown[measure] = [numbers.percentage(v) for v in wide[measure]]
    return dataclasses.replace(chart, data=shown)


def pas_changes(annex: Annex) -> pd.DataFrame:
    """Each MPS-wide measure in the report's quarter against the quarter before and a year before, with tests."""
    return measure_changes(annex.pas_total, annex.quarter, annex.settings.pas_base_mps)


def measure_changes(pas_total: pd.DataFrame, q: Quarter, base: int) -> pd.DataFrame:
    """Each MPS-wide measure in quarter `q` against the quarter before and a year before, tested on `base`
    respondents (shared by the annex and the progress update's headline, so both give one number for one fact)."""
    values = pas_total.set_index(["quarter", "measure"])["value"]
    rows = []
    for measure in SHOWN_MEASURES:
        row: dict[str, Any] = {"measure": measure}
        now = values.get((str(q), measure))
        row["now"] = now
        for key, earlier, shared in (
            ("previous", q.shifted(-1), QUARTER_SHARED),
            ("year_ago", q.shifted(-4), YEAR_SHARED),
        ):
            before = values.get((str(earlier), measure))
            row[key] = before
            if now is None or before is None:
                row[f"{key}_change"] = None
            else:
                row[f"{key}_change"] = _change(float(now), float(before), base, shared)
        rows.append(row)
    return pd.DataFrame.from_records(rows)


def pas_changes_table(annex: Annex) -> pd.DataFrame:
    """The MPS-wide changes as shown: each figure, and each change tested on the MPS-wide base."""
    table = pas_changes(annex)
    q = annex.quarter
    return pd.DataFrame(
        {
            "Measure": table["measure"],
            f"{q}": [numbers.percent(v) for v in table["now"]],
            f"{q.shifted(-1)}": [numbers.percent(v) for v in table["previous"]],
            "Change on previous quarter": [numbers.change(c) for c in table["previous_change"]],
            f"{q.shifted(-4)}": [numbers.percent(v) for v in table["year_ago"]],
            "Change on a year ago": [numbers.change(c) for c in table["year_ago_change"]],
        }
    )


def pas_change_sentences(annex: Annex) -> list[str]:
    """One sentence per MPS-wide measure on its change over the year, claiming a change only if significant."""
    table = pas_changes(annex)
    q = annex.quarter
    base = f"(on a base of about {annex.settings.pas_base_mps:,} respondents a year)"
    sentences = []
    for measure, change in zip(table["measure"], table["year_ago_change"], strict=True):
        if change is None:
            sentences.append(f"{measure}: no figure for {q.shifted(-4)} to compare with.")
            continue
        sentences.append(wording.change_sentence(measure, change, f"a year earlier ({q.shifted(-4)})", base))
    return sentences


def pas_boroughs_caption(annex: Annex) -> str:
    """The caption of the borough table: the period, and the base trust's change is tested on."""
    q = annex.quarter
    return (
        f"PAS by borough, 12 months to {q.end_date:%-d %B %Y} ({q}); trust's change on a year before tested on "
        f"about {annex.settings.pas_base_borough:,} respondents a borough"
    )


def pas_boroughs_table(annex: Annex) -> pd.DataFrame:
    """Each borough's figures for the report's quarter, with trust's change on a year before (tested on the
    borough base)."""
    table = annex.pas_boroughs
    q = annex.quarter
    now = table[table["quarter"] == str(q)].pivot(index="area", columns="measure", values="value")
    before = table[table["quarter"] == str(q.shifted(-4))].pivot(index="area", columns="measure", values="value")
    shown = pd.DataFrame({"Borough": now.index})
    for measure in SHOWN_MEASURES:
        shown[measure] = [
            numbers.percent(v, missing="") for v in now.get(measure, pd.Series(index=now.index, dtype=float))
        ]
    trust = SHOWN_MEASURES[0]
    changes = []
    for borough in now.index:
        a, b = now.loc[borough].get(trust), before.loc[borough].get(trust) if borough in before.index else None
        if not (numbers.known(a) and numbers.known(b)):
            changes.append(numbers.NO_FIGURE)
        else:
            changes.append(numbers.change(_change(a, b, annex.settings.pas_base_borough, YEAR_SHARED)))
    shown[f"{trust}: change on {q.shifted(-4)}"] = changes
    return shown.reset_index(drop=True)


def pas_boroughs_section(annex: Annex) -> list[show.HTML]:
    """The borough table and chart, or where the borough file holds no figures for the quarter, the plain statement
    of that and of the latest quarter it holds."""
    held = annex.pas_boroughs["quarter"]
    if not (held == str(annex.quarter)).any():
        latest = max(held, key=Quarter.parse) if len(held) else None
        return [
            show.paragraph(
                f"The Public Attitude Survey's borough file holds no figures for the 12 months to "
                f"{annex.quarter.end_date:%-d %B %Y} ({annex.quarter}), so boroughs are not shown"
                + (f"; its latest are for the 12 months to {Quarter.parse(latest).end_date:%-d %B %Y}." if latest else ".")
            )
        ]
    return [show.table(pas_boroughs_table(annex), pas_boroughs_caption(annex)), show.chart(pas_borough_chart(annex))]


def pas_borough_chart(annex: Annex) -> Chart:
    """Trust in the MPS by borough: the report's quarter against a year before (a dot plot, one row a borough)."""
    trust = SHOWN_MEASURES[0]
    q, year_ago = annex.quarter, annex.quarter.shifted(-4)
    table = annex.pas_boroughs[annex.pas_boroughs["measure"] == trust]
    now = table[table["quarter"] == str(q)].set_index("area")["value"] * 100
    before = table[table["quarter"] == str(year_ago)].set_index("area")["value"] * 100
    data = pd.DataFrame(
        {"Borough": now.index, "now": now.round(0).to_numpy(), "before": before.reindex(now.index).round(0).to_numpy()}
    )
    data = data.sort_values(["now", "Borough"], ascending=[True, False]).reset_index(drop=True)
    mps = table[table["quarter"] == str(q)]["mps"].iloc[0] * 100
    fig, ax = new_figure(figsize=(8, 9))
    ax.hlines(data["Borough"], data[["now", "before"]].min(axis=1), data[["now", "before"]].max(axis=1), color="0.75")
    ax.plot(data["before"], data["Borough"], "o", color=palette()[1], label=f"12 months to {year_ago}")
    ax.plot(data["now"], data["Borough"], "o", color=palette()[0], label=f"12 months to {q}")
    ax.axvline(mps, color="0.4", linestyle="--", linewidth=1, label=f"MPS-wide, {q}")
    ax.set_xlabel("% who trust the MPS")
    ax.set_title(f"Trust the MPS by borough, {q} and a year before")
    ax.legend(frameon=False, loc="lower right", fontsize=8)
    ax.grid(axis="y", visible=False)
    lowest, highest = data.iloc[0], data.iloc[-1]
    alt = (
        f"Dot plot of the percentage who trust the MPS in each borough, 12 months to {q.end_date:%-d %B %Y} against "
        f"a year before: from {lowest['now']:.0f}% in {lowest['Borough']} to {highest['now']:.0f}% in "
        f"{highest['Borough']}, {mps:.0f}% MPS-wide. The data table follows."
    )
    shown = data.iloc[::-1].reset_index(drop=True)
    shown = pd.DataFrame(
        {
            "Borough": shown["Borough"],
            f"Trust the MPS, {q}": [numbers.percentage(v) for v in shown["now"]],
            f"Trust the MPS, {year_ago}": [numbers.percentage(v) for v in shown["before"]],
        }
    )
    return finish(fig, f"Trust the MPS by borough, {q} and a year before", alt, shown)


def pas_by_ethnicity(annex: Annex) -> pd.DataFrame:
    """The median of the neighbourhood figures per measure and group, and how many neighbourhoods have a figure."""
    table = annex.pas_ethnicity
    summary = table.groupby(["measure", "group"], sort=False)["value"].agg(["median", "count"]).reset_index()
    pairs = table.pivot_table(index=["borough", "neighbourhood", "measure"], columns="group", values="value").dropna()
    below = (pairs[FOCUS_GROUP] < pairs["White British"]).groupby(level="measure").sum()
    compared = pairs.groupby(level="measure").size()
    summary["black_below_white_british"] = summary["measure"].map(below).astype(int)
    summary["compared"] = summary["measure"].map(compared).astype(int)
    return summary


def pas_by_ethnicity_chart(annex: Annex) -> Chart:
    """Bar chart of the median neighbourhood figure per measure and group; its table adds how often Black is below
    White British."""
    summary = pas_by_ethnicity(annex)
    neighbourhoods = annex.pas_ethnicity.groupby(["borough", "neighbourhood"]).ngroups
    stop_search = summary[summary["measure"] == "Stop and search used fairly"].set_index("group")["median"]
    alt = (
        "Bar chart of the median, across London neighbourhoods, of the percentage agreeing with four Public Attitude "
        "Survey statements, for White British, Asian and Black respondents, April 2015 to March 2021 pooled. The "
        f"largest gap is confidence that stop and search is used fairly: median {stop_search['Black']:.0f}% for Black "
        f"and {stop_search['White British']:.0f}% for White British respondents. The data table follows."
    )
    chart = bar_chart(
        summary.rename(columns={"median": "percent"}),
        x="measure",
        y="percent",
        hue="group",
        title="Public Attitude Survey by ethnicity: median of neighbourhoods, 2015-16 to 2020-21",
        alt=alt,
        ylabel="% agreeing (median neighbourhood)",
    )
    wide = summary.pivot(index="measure", columns="group", values="median").reindex(
        index=list(dict.fromkeys(summary["measure"])), columns=list(ETHNIC_GROUPS)
    )
    firsts = summary.drop_duplicates("measure").set_index("measure")
    compared, below = firsts["compared"], firsts["black_below_white_british"]
    shown = pd.DataFrame({"Measure": wide.index})
    for group in ETHNIC_GROUPS:
        shown[f"{group}: median of neighbourhoods (%)"] = [
            numbers.number(v, 1, missing=numbers.NO_FIGURE) for v in wide[group]
        ]
    shown[f"Neighbourhoods with all three figures (of {neighbourhoods})"] = [int(compared[m]) for m in wide.index]
    shown["Of those, where Black is below White British"] = [int(below[m]) for m in wide.index]
    return dataclasses.replace(chart, data=shown)


def pas_by_ethnicity_note(annex: Annex) -> str:
    """What the PAS results by ethnicity are, what cannot be computed from them, and when they end."""
    table = annex.pas_ethnicity
    neighbourhoods = table.groupby(["borough", "neighbourhood"]).ngroups
    blank = 100 * table["value"].isna().mean()
    return (
        "The only published PAS results by ethnicity held are neighbourhood figures pooled over April 2015 to March "
        f"2021, for White British, Asian and Black respondents, in {neighbourhoods} neighbourhoods; {blank:.1f}% of the "
        "cells are blank in the published file (small bases). No bases are published, so no London-wide figure or "
        "interval can be computed: the table gives the median of the neighbourhood figures and, neighbourhood by "
        "neighbourhood, how often Black respondents' figure is below White British respondents'. These results end "
        f"before this report's quarter ({annex.quarter})."
    )


def pas_by_ethnicity_heading() -> str:
    """The heading of the PAS results by ethnicity: pooled years that end before any quarter shown, never the
    quarter's own."""
    return latest_available("By ethnicity", "April 2015 to March 2021, pooled")
