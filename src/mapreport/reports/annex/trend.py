"""The 12-month view of stop and search (Metropolitan Police): monthly searches by ethnicity and the Black/White rate
ratio by month with its 95% interval, over the months held up to the quarter's end; and the quarter against the
previous quarter, with a test of the change in the ratio."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mapreport.analysis import stats
from mapreport.analysis.rates import REFERENCE_GROUP, rates_by_group
from mapreport.core.periods import Quarter
from mapreport.present import numbers, show, wording
from mapreport.present.charts import SUPPRESSED_NOTE, Chart, finish, new_figure, palette
from mapreport.reports.annex.data import DEFINITION_LABELS, FOCUS_GROUP, Annex
from mapreport.reports.annex.periods import month_list, month_name
from mapreport.reports.annex.rate_tables import NOT_APPLICABLE, count_cell
from mapreport.reports.annex.stop_search import applicable
from mapreport.sources import census, stopsearch
from mapreport.sources.published import MET, quarter_months


MONTHLY_COLUMNS = ["month", "definition", "group", "count", "ratio", "ratio_lower", "ratio_upper", "applicable"]


def monthly(annex: Annex) -> pd.DataFrame:
    """One row per month of the window held, definition and group: month, definition, group, count, applicable,
    ratio, ratio_lower, ratio_upper (NaN where suppressed). Computed once per annex."""
    if id(annex) not in _MONTHLY or _MONTHLY[id(annex)][0] is not annex:
        _MONTHLY.clear()
        _MONTHLY[id(annex)] = (annex, _monthly(annex))
    return _MONTHLY[id(annex)][1]


_MONTHLY: dict[int, tuple[Annex, pd.DataFrame]] = {}


def _monthly(annex: Annex) -> pd.DataFrame:
    held = annex.held(months=annex.window)
    if not held:
        return pd.DataFrame(columns=MONTHLY_COLUMNS)
    records = annex.records
    people = records[(records["force"] == MET) & records["person"]]
    frames = []
    for definition, label in DEFINITION_LABELS.items():
        table = pd.crosstab(people["month"], people[definition], dropna=False)
        stacked = table.stack()
        months, groups = stacked.index.get_level_values(0), stacked.index.get_level_values(1)
        cells = {(str(m), str(g)): int(n) for m, g, n in zip(months, groups, stacked.to_numpy(), strict=True)}
        for month in held:
            counts = pd.Series({g: cells.get((month, g), 0) for g in stopsearch.GROUPS}, dtype="int64")
            rows = rates_by_group(counts, annex.population, annex.threshold)
            rows["applicable"] = [
                applicable(definition, g, c) for g, c in zip(rows["group"], rows["count"], strict=True)
            ]
            rows.insert(0, "definition", label)
            rows.insert(0, "month", month)
            frames.append(rows[MONTHLY_COLUMNS])
    return pd.concat(frames, ignore_index=True)


def _month_labels(annex: Annex) -> list[str]:
    return [pd.Timestamp(f"{m}-01").strftime("%b %Y") for m in annex.window]


def counts_chart(annex: Annex) -> Chart:
    """Monthly person searches by officer-defined ethnicity over the 12 months (counts below the threshold left out;
    months not held left as gaps)."""
    table = monthly(annex)
    officer = table[(table["definition"] == DEFINITION_LABELS["officer"]) & table["applicable"]]
    labels = _month_labels(annex)
    fig, ax = new_figure(figsize=(8, 4.4))
    drawn = 0
    for i, group in enumerate(census.BROAD_GROUPS):
        rows = officer[officer["group"] == group].set_index("month")["count"]
        values = [
            float(rows[m]) if m in rows.index and stats.shown(rows[m], annex.threshold) else np.nan
            for m in annex.window
        ]
        if all(np.isnan(values)):
            continue
        drawn += 1
        ax.plot(range(len(labels)), values, marker="o", color=palette()[i], label=group)
    _mark_missing(ax, annex)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_ylabel("Person searches in the month")
    title = f"Stop and search by officer-defined ethnicity, each month to {month_name(annex.window[-1])}"
    ax.set_title(title)
    if drawn:
        ax.legend(frameon=False, fontsize=8, ncol=2)
    else:
        ax.text(0.5, 0.5, SUPPRESSED_NOTE, ha="center", va="center", transform=ax.transAxes)
    alt = (
        f"Line chart of Metropolitan Police person searches each month by officer-defined ethnicity, "
        f"{month_name(annex.window[0])} to {month_name(annex.window[-1])}; {_held_text(annex)}. The data table "
        "follows."
    )
    return finish(fig, title, alt, counts_table(annex))


def _held_text(annex: Annex) -> str:
    held = annex.held(months=annex.window)
    missing = annex.missing(months=annex.window)
    if not held:
        return "no month is held"
    text = f"{len(held)} of the 12 months are held"
    return text + (f"; not held: {month_list(missing)}" if missing else "")


def _mark_missing(ax: Any, annex: Annex) -> None:
    """Shade and label each month of the window with no file held."""
    for i, month in enumerate(annex.window):
        if month in annex.missing(months=annex.window):
            ax.axvspan(i - 0.4, i + 0.4, color="0.92", zorder=0)
            ax.text(i, 0.5, "not held", rotation=90, ha="center", va="center", transform=ax.get_xaxis_transform(),
                    fontsize=8, color="0.35")


def counts_table(annex: Annex) -> pd.DataFrame:
    """The counts chart's table: each month of the window, its records and person searches by officer-defined group."""
    table = monthly(annex)
    officer = table[table["definition"] == DEFINITION_LABELS["officer"]]
    files = annex.rows_by_file()
    records = {
        str(m): int(n) for m, f, n in zip(files["month"], files["force"], files["rows"], strict=True) if f == MET
    }
    shown = []
    for month in annex.window:
        row: dict[str, str] = {"Month": month_name(month)}
        if month not in records:
            row["Records"] = "not held"
            row |= {g: "not held" for g in census.BROAD_GROUPS}
        else:
            row["Records"] = numbers.count(records[month])
            these = officer[officer["month"] == month].set_index("group")
            for g in census.BROAD_GROUPS:
                row[g] = (
                    count_cell(these["count"][g], annex.threshold) if these["applicable"][g] else NOT_APPLICABLE
                )
        shown.append(row)
    frame = pd.DataFrame(shown)
    return frame.rename(columns={g: f"{g} (officer-defined)" for g in census.BROAD_GROUPS})


def ratio_chart(annex: Annex) -> Chart:
    """The Black/White rate ratio each month with its 95% interval, on both definitions."""
    table = monthly(annex)
    focus = table[(table["group"] == FOCUS_GROUP)].dropna(subset=["ratio"])
    labels = _month_labels(annex)
    fig, ax = new_figure(figsize=(8, 4.4))
    for i, label in enumerate(DEFINITION_LABELS.values()):
        rows = focus[focus["definition"] == label]
        x = np.array([annex.window.index(m) for m in rows["month"]], dtype=float) + (i - 0.5) * 0.2
        values = rows["ratio"].to_numpy(dtype=float)
        errors = [values - rows["ratio_lower"].to_numpy(dtype=float), rows["ratio_upper"].to_numpy(dtype=float) - values]
        ax.errorbar(x, values, yerr=errors, fmt="o", capsize=3, color=palette()[i], label=f"{label} (95% CI)")
    ax.axhline(1, color="0.4", linewidth=1, linestyle="--")
    _mark_missing(ax, annex)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ax.set_ylabel(f"Rate ratio, {FOCUS_GROUP} to {REFERENCE_GROUP}")
    title = f"{FOCUS_GROUP}/{REFERENCE_GROUP} stop and search rate ratio by month, to {month_name(annex.window[-1])}"
    ax.set_title(title)
    if focus.empty:
        ax.text(0.5, 0.6, SUPPRESSED_NOTE, ha="center", va="center", transform=ax.transAxes)
    else:
        ax.legend(frameon=False, fontsize=8)
    alt = (
        f"Chart of the {FOCUS_GROUP}/{REFERENCE_GROUP} rate ratio of person searches each month with 95% confidence "
        f"intervals as bars, officer-defined and self-defined, {month_name(annex.window[0])} to "
        f"{month_name(annex.window[-1])}; {_held_text(annex)}. The data table follows."
    )
    return finish(fig, title, alt, ratio_table(annex))


def ratio_table(annex: Annex) -> pd.DataFrame:
    """The ratio chart's table: each month of the window, the ratio and interval on each definition."""
    table = monthly(annex)
    focus_rows = table[table["group"] == FOCUS_GROUP]
    focus = {
        (str(m), str(d)): (float(v), float(lo), float(hi))
        for m, d, v, lo, hi in zip(
            focus_rows["month"],
            focus_rows["definition"],
            focus_rows["ratio"],
            focus_rows["ratio_lower"],
            focus_rows["ratio_upper"],
            strict=True,
        )
    }
    held = annex.held(months=annex.window)
    rows = []
    for month in annex.window:
        row = {"Month": month_name(month)}
        for label in DEFINITION_LABELS.values():
            column = f"{label}: ratio (95% CI)"
            if month not in held:
                row[column] = "not held"
                continue
            row[column] = numbers.with_interval(*focus[(month, label)], 2)
        rows.append(row)
    return pd.DataFrame(rows)


def trend_intro(annex: Annex) -> str:
    """What the 12-month view shows."""
    return (
        f"The 12 months to {month_name(annex.window[-1])}: Metropolitan Police person searches each month by "
        f"officer-defined ethnicity, and the ratio of the rate for {FOCUS_GROUP} people to the rate for "
        f"{REFERENCE_GROUP} people each month on both definitions, with 95% confidence intervals. "
        f"{_held_text(annex)[0].upper()}{_held_text(annex)[1:]}; months not held are marked, never filled with other months' data."
    )


def _quarter_counts(annex: Annex, quarter: Quarter, definition: str) -> tuple[list[str], pd.Series | None]:
    months = annex.held(months=quarter_months(quarter))
    if not months:
        return months, None
    records = annex.records[(annex.records["force"] == MET) & annex.records["month"].isin(months)]
    return months, stopsearch.searches_by_ethnicity(records, definition)


def comparison(annex: Annex) -> pd.DataFrame:
    """The quarter's Black/White ratio against the previous quarter's, per definition, with the change's test.

    Columns: definition, earlier_months, later_months, earlier / later (Estimate or None), change (RatioChange or None).
    """
    previous = annex.quarter.shifted(-1)
    rows = []
    for definition, label in DEFINITION_LABELS.items():
        earlier_months, earlier = _quarter_counts(annex, previous, definition)
        later_months, later = _quarter_counts(annex, annex.quarter, definition)
        row: dict[str, Any] = {"definition": label, "earlier_months": earlier_months, "later_months": later_months}
        estimates: list[stats.Estimate | None] = []
        for counts in (earlier, later):
            if counts is None:
                estimates.append(None)
                continue
            table = rates_by_group(counts, annex.population, annex.threshold).set_index("group")
            ratio = table.loc[FOCUS_GROUP]
            estimates.append(
                None
                if pd.isna(ratio["ratio"])
                else stats.Estimate(float(ratio["ratio"]), float(ratio["ratio_lower"]), float(ratio["ratio_upper"]))
            )
        row["earlier"], row["later"] = estimates
        row["change"] = (
            stats.ratio_change(
                (float(earlier[FOCUS_GROUP]), float(earlier[REFERENCE_GROUP])),  # type: ignore[index]
                (float(later[FOCUS_GROUP]), float(later[REFERENCE_GROUP])),  # type: ignore[index]
            )
            if estimates[0] is not None and estimates[1] is not None
            else None
        )
        rows.append(row)
    return pd.DataFrame.from_records(rows)


def comparison_table(annex: Annex) -> pd.DataFrame:
    """The comparison as shown."""
    table = comparison(annex)
    q, previous = annex.quarter, annex.quarter.shifted(-1)

    def cell(estimate: stats.Estimate | None, months: list[str]) -> str:
        if not months:
            return "no month held"
        return numbers.with_interval(estimate.value, estimate.lower, estimate.upper, 2) if estimate else "not shown"

    return pd.DataFrame(
        {
            "Ethnicity recorded as": table["definition"],
            f"{previous}: months held": [month_list(m) or "none" for m in table["earlier_months"]],
            f"{previous}: ratio (95% CI)": [
                cell(e, m) for e, m in zip(table["earlier"], table["earlier_months"], strict=True)
            ],
            f"{q}: ratio (95% CI)": [cell(e, m) for e, m in zip(table["later"], table["later_months"], strict=True)],
            "Change: later ratio / earlier ratio (95% CI)": [
                numbers.with_interval(c.estimate.value, c.estimate.lower, c.estimate.upper, 2) if c else "no test"
                for c in table["change"]
            ],
            "Test of no change (two-sided p)": [
                ("significant, " if c.significant else "not significant, ") + f"p = {c.p_value:.3f}" if c else "no test"
                for c in table["change"]
            ],
        }
    )


@dataclass(frozen=True)
class _Comparison:
    definition: str
    earlier_months: list[str]
    later_months: list[str]
    earlier: stats.Estimate | None
    later: stats.Estimate | None
    change: stats.RatioChange | None


def comparison_sentences(annex: Annex) -> list[str]:
    """One sentence per definition on the change in the ratio since the previous quarter, claiming a change only if
    the test finds one."""
    table = comparison(annex)
    previous = annex.quarter.shifted(-1)
    sentences = []
    for record in table.to_dict("records"):
        row = _Comparison(**{str(k): v for k, v in record.items()})
        if row.change is None:
            reason = (
                "no month of either quarter is held"
                if not row.earlier_months and not row.later_months
                else f"no month of {previous if not row.earlier_months else annex.quarter} is held"
                if not (row.earlier_months and row.later_months)
                else f"a count is below {annex.threshold}"
            )
            sentences.append(f"{row.definition} ethnicity: no comparison with {previous}, because {reason}.")
            continue
        verdict = (
            "a statistically significant change"
            if row.change.significant
            else "the difference is not statistically significant, so no change is claimed"
        )
        assert row.earlier is not None and row.later is not None  # a change is tested only between two ratios
        sentences.append(
            f"{row.definition} ethnicity: the {FOCUS_GROUP}/{REFERENCE_GROUP} ratio was "
            f"{wording.ratio_phrase(row.later)} in {annex.quarter} ({month_list(row.later_months)}) against "
            f"{wording.ratio_phrase(row.earlier)} in {previous} ({month_list(row.earlier_months)}); the later ratio is "
            f"{row.change.estimate.value:.2f} times the earlier ({wording.interval(row.change.estimate, 2)}, "
            f"p = {row.change.p_value:.3f}): {verdict}."
        )
    return sentences


def section(annex: Annex) -> list[show.HTML]:
    """The 12-month view and the comparison with the previous quarter."""
    caption = f"{FOCUS_GROUP}/{REFERENCE_GROUP} ratio: {annex.quarter} against {annex.quarter.shifted(-1)}"
    if not annex.held(months=annex.window):
        return [
            show.paragraph(
                f"No police.uk record-level stop and search data are held for any of the 12 months to "
                f"{month_name(annex.window[-1])}, so there is no 12-month view and no comparison with the previous "
                "quarter."
            )
        ]
    return [
        show.paragraph(trend_intro(annex)),
        show.chart(counts_chart(annex)),
        show.chart(ratio_chart(annex)),
        show.heading(f"{annex.quarter} against the previous quarter", level=3),
        show.table(comparison_table(annex), caption),
        *(show.paragraph(s) for s in comparison_sentences(annex)),
    ]
