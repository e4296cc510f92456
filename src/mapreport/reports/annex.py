"""The equality data annex: what notebooks/equality_annex.ipynb calls. Each function returns a DataFrame, a Chart or
text; the notebook only displays them.

The annex shows the use of police powers by ethnicity (stop and search, use of force and Taser) as rates per 1,000
people with rate ratios and 95% confidence intervals against Census 2021 denominators, and the Public Attitude
Survey. Every dataset's own period is stated beside the report's quarter.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from mapreport.analysis import stats
from mapreport.core import paths
from mapreport.core.errors import InputError, Problem
from mapreport.core.params import AnnexParams, ReportParams
from mapreport.core.periods import Quarter
from mapreport.present import wording
from mapreport.present.charts import PALETTE, Chart, bar_chart, finish, line_chart, new_figure
from mapreport.sources import census, pas, stopsearch, useofforce
from mapreport.sources.published import (
    CENSUS_FILE,
    EFF_AREA_FILE,
    EFF_ETHNICITY_FILE,
    PAS_BOROUGH_FILE,
    PAS_ETHNICITY_FILE,
    PAS_TOTAL_FILE,
    SOURCE_COLUMNS,
    SOURCES_INDEX,
    USE_OF_FORCE_FILES,
    sources_dir,
    stop_search_files,
)

EFF_FORCE = "Metropolitan Police"
USE_OF_FORCE_FORCE = "Metropolitan"
PAS_ETHNICITY_PERIOD = (date(2015, 4, 1), date(2021, 3, 31))
EFF_PERIOD_LABEL = "year ending March 2023"
"""The EFF files state no period; this label comes from the source MANIFEST and is unverified."""
CENSUS_DAY = date(2021, 3, 21)

REFERENCE_GROUP = "White"
FOCUS_GROUP = "Black"
DEFINITION_LABELS = {"officer": "Officer-defined", "self": "Self-defined"}
QUARTER_SHARED = 0.75
"""Rolling 12-month PAS figures one quarter apart share three of their four quarters of respondents."""
YEAR_SHARED = 0.0
PAS_ROUNDING = 0.005
"""PAS figures are published to two decimals, so each may be up to half a point from the survey's estimate."""
NOT_SHOWN = "not shown"


class _SourceRow(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    file: str
    dataset: str
    publisher: str
    period: str
    period_basis: str
    licence: str
    origin: str
    sha256: str
    rows: str


def load_sources() -> pd.DataFrame:
    """The index of source files (data/sources/SOURCES.csv), one row per file."""
    path = sources_dir() / SOURCES_INDEX
    name = paths.relative(path)
    if not path.is_file():
        raise InputError.single(name, "", "file not found; it lists every source file with its provenance and sha256")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != SOURCE_COLUMNS:
            raise InputError.single(name, "line 1 (header)", f"expected columns {list(SOURCE_COLUMNS)}")
        records = []
        for line, record in enumerate(reader, start=2):
            try:
                records.append(_SourceRow.model_validate(record).model_dump())
            except ValidationError as exc:
                raise InputError.single(name, f"line {line}", f"invalid row ({exc.errors()[0]['msg']})") from None
    return pd.DataFrame.from_records(records, columns=list(SOURCE_COLUMNS))


def check_sources() -> None:
    """Every file listed in SOURCES.csv exists and has the listed sha256; every problem at once."""
    index = paths.relative(sources_dir() / SOURCES_INDEX)
    problems = []
    for line, row in enumerate(load_sources().itertuples(index=False), start=2):
        path = sources_dir() / row.file
        if not path.is_file():
            problems.append(Problem(index, f"line {line}", f"lists {row.file}, which is not in data/sources/"))
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != row.sha256:
            problems.append(
                Problem(
                    index,
                    f"line {line}",
                    f"{row.file} has sha256 {digest}, not the listed {row.sha256}; restore the published file",
                )
            )
    if problems:
        raise InputError(problems)


@dataclass(frozen=True)
class Annex:
    """One quarter's annex: the params and, loaded once on first use, the data."""

    quarter: Quarter
    settings: AnnexParams

    @classmethod
    def from_parameters(cls, quarter: str, annex: dict[str, Any]) -> Annex:
        """Build from the notebook's injected parameters (the `annex` mapping is checked as in params/)."""
        try:
            settings = AnnexParams.model_validate(annex)
        except ValidationError as exc:
            problems = [
                Problem("notebook parameters", f"key 'annex.{'.'.join(map(str, e['loc']))}'", e["msg"])
                for e in exc.errors()
            ]
            raise InputError(problems) from None
        return cls(Quarter.parse(quarter), settings)

    @classmethod
    def from_params(cls, params: ReportParams) -> Annex:
        return cls(params.period, params.annex)

    @cached_property
    def records(self) -> pd.DataFrame:
        return stopsearch.load_months(stop_search_files(self.settings))

    @cached_property
    def population(self) -> pd.DataFrame:
        path = sources_dir() / CENSUS_FILE
        return census.london_population(census.load_census(path), path)

    @cached_property
    def eff_by_area(self) -> pd.DataFrame:
        return stopsearch.load_eff_by_area(sources_dir() / EFF_AREA_FILE)

    @cached_property
    def eff_by_ethnicity(self) -> pd.DataFrame:
        return stopsearch.load_eff_by_ethnicity(sources_dir() / EFF_ETHNICITY_FILE)

    @cached_property
    def use_of_force(self) -> pd.DataFrame:
        frames = [useofforce.load_use_of_force(sources_dir() / f, USE_OF_FORCE_FORCE) for f in USE_OF_FORCE_FILES]
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def pas_total(self) -> pd.DataFrame:
        return pas.load_pas_total(sources_dir() / PAS_TOTAL_FILE)

    @cached_property
    def pas_boroughs(self) -> pd.DataFrame:
        return pas.load_pas_boroughs(sources_dir() / PAS_BOROUGH_FILE)

    @cached_property
    def pas_ethnicity(self) -> pd.DataFrame:
        return pas.load_pas_by_ethnicity(sources_dir() / PAS_ETHNICITY_FILE)

    @property
    def threshold(self) -> int:
        return self.settings.suppression_threshold

    def denominator(self, group: str) -> int:
        table = self.population.set_index("group")["population"]
        return int(table[group])


def validate_inputs(params: ReportParams) -> None:
    """Load every annex input, so that any problem is reported before a notebook runs; every problem at once."""
    annex = Annex.from_params(params)
    checks = [
        check_sources,
        lambda: annex.records,
        lambda: annex.population,
        lambda: annex.eff_by_area,
        lambda: annex.eff_by_ethnicity,
        lambda: annex.use_of_force,
        lambda: annex.pas_total,
        lambda: annex.pas_boroughs,
        lambda: annex.pas_ethnicity,
    ]
    problems: list[Problem] = []
    for check in checks:
        try:
            check()
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)


# --- periods -------------------------------------------------------------------------------------------------


def _month_name(month: str) -> str:
    return date(int(month[:4]), int(month[5:]), 1).strftime("%B %Y")


def _month_range(month: str) -> tuple[date, date]:
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
    months = annex.settings.stop_search_months
    names = ", ".join(_month_name(m) for m in sorted(months))
    return names


def periods_table(annex: Annex) -> pd.DataFrame:
    """Each dataset shown, the period it covers, and how that period lies against the report's quarter."""
    q = annex.quarter
    months = sorted(annex.settings.stop_search_months)
    ss_start, ss_end = _month_range(months[0])[0], _month_range(months[-1])[1]
    held = "the only month of record-level data held" if len(months) == 1 else "the months of record-level data held"
    years = sorted(annex.use_of_force["year"].unique())
    uof_start = date(int(years[0][:4]), 4, 1)
    uof_end = date(int(years[-1][:4]) + 1, 3, 31)
    pas_first = annex.pas_total["quarter"].min()
    rows = [
        (
            "Stop and search (police.uk records)",
            f"{stop_search_period(annex)}: {held}",
            relation(ss_start, ss_end, q),
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
    return f"Equality data annex: {annex.quarter.label}"


def introduction(annex: Annex) -> str:
    q = annex.quarter
    return (
        f"This annex to the quarterly report for {q.label} sets out the use of police powers in London by "
        "ethnicity, as rates per 1,000 people and as ratios to the rate for White people with 95% confidence "
        "intervals, and what Londoners say about the police in the Public Attitude Survey. Most of the data held "
        "do not cover this quarter: the table below gives each dataset's own period."
    )


# --- stop and search -----------------------------------------------------------------------------------------


def _ratio_or_none(
    count: int, population: int, ref_count: int, ref_population: int, threshold: int
) -> stats.Estimate | None:
    if not (stats.shown(count, threshold) and stats.shown(ref_count, threshold)):
        return None
    return stats.rate_ratio(count, population, ref_count, ref_population)


def rates_by_group(counts: pd.Series, population: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Rate per 1,000 with interval and ratio to White with interval, per broad group; NaN where suppressed.

    `counts` is indexed by group (Not stated is reported as a count only). Columns: group, count, population, rate,
    rate_lower, rate_upper, ratio, ratio_lower, ratio_upper.
    """
    people = population.set_index("group")["population"]
    ref_count, ref_population = int(counts[REFERENCE_GROUP]), int(people[REFERENCE_GROUP])
    rows = []
    for group in census.BROAD_GROUPS:
        count, denominator = int(counts[group]), int(people[group])
        row: dict[str, Any] = {"group": group, "count": count, "population": denominator}
        if stats.shown(count, threshold):
            estimate = stats.rate(count, denominator)
            row |= {"rate": estimate.value, "rate_lower": estimate.lower, "rate_upper": estimate.upper}
        ratio = (
            None
            if group == REFERENCE_GROUP
            else _ratio_or_none(count, denominator, ref_count, ref_population, threshold)
        )
        if ratio is not None:
            row |= {"ratio": ratio.value, "ratio_lower": ratio.lower, "ratio_upper": ratio.upper}
        rows.append(row)
    columns = [
        "group",
        "count",
        "population",
        "rate",
        "rate_lower",
        "rate_upper",
        "ratio",
        "ratio_lower",
        "ratio_upper",
    ]
    return pd.DataFrame.from_records(rows, columns=columns)


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


def _fmt(value: float, decimals: int) -> str:
    return NOT_SHOWN if pd.isna(value) else wording.number(value, decimals)


def _fmt_interval(lower: float, upper: float, decimals: int) -> str:
    return NOT_SHOWN if pd.isna(lower) else f"{wording.number(lower, decimals)} to {wording.number(upper, decimals)}"


def _display_rates(table: pd.DataFrame, count_label: str, rate_label: str, decimals: int = 2) -> pd.DataFrame:
    shown = pd.DataFrame(
        {
            "Ethnic group": table["group"],
            count_label: table["count"].astype(int),
            "Population (Census 2021)": table["population"].astype(int),
            rate_label: [_fmt(v, decimals) for v in table["rate"]],
            "95% CI (rate)": [
                _fmt_interval(lo, hi, decimals) for lo, hi in zip(table["rate_lower"], table["rate_upper"], strict=True)
            ],
            f"Ratio to {REFERENCE_GROUP}": [
                "reference" if g == REFERENCE_GROUP else _fmt(v, 2)
                for g, v in zip(table["group"], table["ratio"], strict=True)
            ],
            "95% CI (ratio)": [
                "" if g == REFERENCE_GROUP else _fmt_interval(lo, hi, 2)
                for g, lo, hi in zip(table["group"], table["ratio_lower"], table["ratio_upper"], strict=True)
            ],
        }
    )
    if "definition" in table:
        shown.insert(0, "Ethnicity recorded as", table["definition"])
    return shown


def stop_search_intro(annex: Annex) -> str:
    """What the stop and search figures are, and when, against the report's quarter."""
    months = sorted(annex.settings.stop_search_months)
    start, end = _month_range(months[0])[0], _month_range(months[-1])[1]
    records = annex.records
    people = int(records["person"].sum())
    held = "the only month of record-level data held" if len(months) == 1 else "the months of record-level data held"
    return (
        f"Stop and search: {stop_search_period(annex)}, {held}; it is {relation(start, end, annex.quarter)}, "
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
        f"{focus.loc['Officer-defined', 'rate']:.2f} (officer-defined) and {focus.loc['Self-defined', 'rate']:.2f} "
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
    return dataclasses.replace(chart, data=_display_rates(table, "Person searches", "Rate per 1,000 (month)"))


def stop_search_sentences(annex: Annex) -> list[str]:
    """The Black/White rate ratio on each definition, with its interval."""
    table = stop_search_rates(annex)
    sentences = []
    for label in DEFINITION_LABELS.values():
        row = table[(table["definition"] == label) & (table["group"] == FOCUS_GROUP)].iloc[0]
        estimate = (
            None if pd.isna(row["ratio"]) else stats.Estimate(row["ratio"], row["ratio_lower"], row["ratio_upper"])
        )
        sentence = wording.ratio_sentence(
            FOCUS_GROUP, REFERENCE_GROUP, "stopped and searched", estimate, annex.threshold
        )
        sentences.append(f"{label} ethnicity, {stop_search_period(annex)}: {sentence}")
    officer = table[table["definition"] == DEFINITION_LABELS["officer"]].set_index("group")
    if officer.loc["Mixed", "count"] == 0:
        sentences.append(
            "Officer-defined ethnicity in these records has no Mixed category (no search is recorded as Mixed), so "
            "there is no officer-defined Mixed rate; officers record people of Mixed ethnicity under another group, "
            "which raises those groups' officer-defined rates a little against their Census populations."
        )
    return sentences


def outcomes_intro(annex: Annex) -> str:
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
        for outcome in ("Arrest", "No further action"):
            if stats.shown(total, annex.threshold):
                estimate = stats.wilson_interval(counts[outcome] / total, total)
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
            for outcome in ("Arrest", "No further action")
        ],
        ignore_index=True,
    )
    black = table.set_index("group").loc[FOCUS_GROUP]
    white = table.set_index("group").loc[REFERENCE_GROUP]
    alt = (
        f"Bar chart of the percentage of person searches ending in arrest and in no further action, by {label} "
        f"ethnic group, {stop_search_period(annex)}. Arrest: {black['Arrest %']:.1f}% for Black and "
        f"{white['Arrest %']:.1f}% for White people. The data table follows."
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
    for outcome in ("Arrest", "No further action"):
        shown[f"{outcome} % (95% CI)"] = [
            NOT_SHOWN if pd.isna(v) else f"{v:.1f} ({lo:.1f} to {hi:.1f})"
            for v, lo, hi in zip(full[f"{outcome} %"], full[f"{outcome} lower"], full[f"{outcome} upper"], strict=True)
        ]
    return dataclasses.replace(chart, data=shown)


# --- cross-check with Ethnicity Facts and Figures ------------------------------------------------------------


def eff_comparison(annex: Annex) -> pd.DataFrame:
    """The published EFF Met rates beside the rates and ratios computed here from police.uk (self-defined, as EFF)."""
    eff = annex.eff_by_area[annex.eff_by_area["area"] == EFF_FORCE].set_index("group")["rate"]
    ours = stop_search_rates(annex)
    ours = ours[ours["definition"] == DEFINITION_LABELS["self"]].set_index("group")
    months = len(annex.settings.stop_search_months)
    rows = []
    for group in census.BROAD_GROUPS:
        published_ratio = eff[group] / eff[REFERENCE_GROUP]
        rows.append(
            {
                "group": group,
                "eff_rate_year": eff[group],
                "eff_ratio": published_ratio,
                "our_rate_month": ours.loc[group, "rate"],
                "our_rate_annualised": ours.loc[group, "rate"] * 12 / months * months,
                "our_ratio": ours.loc[group, "ratio"],
                "our_ratio_lower": ours.loc[group, "ratio_lower"],
                "our_ratio_upper": ours.loc[group, "ratio_upper"],
            }
        )
    return pd.DataFrame.from_records(rows)


def eff_comparison_table(annex: Annex) -> pd.DataFrame:
    table = eff_comparison(annex)
    period = stop_search_period(annex)
    return pd.DataFrame(
        {
            "Ethnic group": table["group"],
            f"EFF rate per 1,000, {EFF_PERIOD_LABEL} (published)": [_fmt(v, 1) for v in table["eff_rate_year"]],
            "EFF ratio to White (from the published rates)": [
                "reference" if g == REFERENCE_GROUP else _fmt(v, 2)
                for g, v in zip(table["group"], table["eff_ratio"], strict=True)
            ],
            f"This annex: rate per 1,000, {period}": [_fmt(v, 2) for v in table["our_rate_month"]],
            "This annex: ratio to White (95% CI)": [
                "reference"
                if g == REFERENCE_GROUP
                else (NOT_SHOWN if pd.isna(v) else f"{v:.2f} ({lo:.2f} to {hi:.2f})")
                for g, v, lo, hi in zip(
                    table["group"], table["our_ratio"], table["our_ratio_lower"], table["our_ratio_upper"], strict=True
                )
            ],
        }
    )


def eff_implied_not_stated(annex: Annex) -> float:
    """The share of EFF's Met searches with no stated ethnicity implied by its published rates and our denominators:
    1 - (sum over groups of rate x population) / (All rate x total population)."""
    eff = annex.eff_by_area[annex.eff_by_area["area"] == EFF_FORCE].set_index("group")["rate"]
    people = annex.population.set_index("group")["population"]
    known = sum(eff[g] * people[g] for g in census.BROAD_GROUPS)
    return 1 - known / (eff["All"] * people["All"])


def eff_explanation(annex: Annex) -> list[str]:
    """Why the ratio computed here differs from the ratio of EFF's published rates, in numbers."""
    table = eff_comparison(annex).set_index("group")
    row = table.loc[FOCUS_GROUP]
    ours = stats.Estimate(row["our_ratio"], row["our_ratio_lower"], row["our_ratio_upper"])
    eff = annex.eff_by_area[annex.eff_by_area["area"] == EFF_FORCE].set_index("group")["rate"]
    low = (eff[FOCUS_GROUP] - 0.05) / (eff[REFERENCE_GROUP] + 0.05)
    high = (eff[FOCUS_GROUP] + 0.05) / (eff[REFERENCE_GROUP] - 0.05)
    inside = ours.lower <= row["eff_ratio"] <= ours.upper
    not_stated = stop_search_not_stated(annex)
    ours_missing = not_stated.iloc[1]["% of person searches"]
    national = annex.eff_by_ethnicity.set_index("ethnicity")
    national_unknown = 100 * national.loc["Unknown", "searches"] / national.loc["All", "searches"]
    pop = annex.population.set_index("group")
    shortfall = {g: 100 * pop.loc[g, "shortfall"] / pop.loc[g, "region_row"] for g in (FOCUS_GROUP, REFERENCE_GROUP)}
    period = stop_search_period(annex)
    people = annex.records[annex.records["person"]]
    missing_self = people["self"] == census.NOT_STATED
    black_among_missing = 100 * (people.loc[missing_self, "officer"] == FOCUS_GROUP).mean()
    black_among_stated = 100 * (people.loc[~missing_self, "officer"] == FOCUS_GROUP).mean()
    officer = stop_search_rates(annex)
    officer_row = officer[
        (officer["definition"] == DEFINITION_LABELS["officer"]) & (officer["group"] == FOCUS_GROUP)
    ].iloc[0]
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
            f"Why they differ. Period: this annex has one month ({period}); EFF covers a full financial year "
            f"(labelled {EFF_PERIOD_LABEL} by the source manifest; the file states no period), so the rates are not "
            "comparable (a month's rate is roughly a twelfth of a year's) and only the ratios are compared; a single "
            "month's ratio also varies with that month's operations."
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
            f"Definition: on officer-defined ethnicity the ratio is {officer_row['ratio']:.2f} "
            f"({wording.interval(stats.Estimate(officer_row['ratio'], officer_row['ratio_lower'], officer_row['ratio_upper']), 2)}), "
            f"higher than on self-defined ethnicity. Officers record an ethnicity for almost every search "
            f"({not_stated.iloc[0]['% of person searches']:.1f}% not stated, against {ours_missing:.1f}% with no "
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


# --- use of force --------------------------------------------------------------------------------------------


def use_of_force_rates(annex: Annex) -> pd.DataFrame:
    """Uses of force (all tactics, and Taser) per 1,000 people a year by perceived ethnicity, with ratios to White."""
    frames = []
    for (year, tactic), group in annex.use_of_force.groupby(["year", "tactic"], sort=True):
        counts = group.set_index("group")["count"]
        table = rates_by_group(counts, annex.population, annex.threshold)
        table.insert(0, "tactic", tactic)
        table.insert(0, "year", year)
        table["not_stated"] = int(counts.get(census.NOT_STATED, 0))
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def use_of_force_intro(annex: Annex) -> str:
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
        + "; ".join(f"{r.year} {r.tactic}: {r.count:,}" for r in not_stated.itertuples(index=False))
        + ") have no rate."
    )


def use_of_force_chart(annex: Annex, tactic: str) -> Chart:
    """Rates per 1,000 people by perceived ethnicity for one tactic ("All tactics" or "Taser (CED)"), both years."""
    table = use_of_force_rates(annex)
    table = table[table["tactic"] == tactic].reset_index(drop=True)
    plotted = table.dropna(subset=["rate"]).assign(rate=lambda t: t["rate"].round(2))
    latest = table[table["year"] == table["year"].max()].set_index("group")
    alt = (
        f"Bar chart of Metropolitan Police uses of force ({tactic}) per 1,000 people by perceived ethnicity, financial "
        f"years {' and '.join(sorted(table['year'].unique()))}. In {table['year'].max()} the rate for Black people was "
        f"{latest.loc[FOCUS_GROUP, 'rate']:.1f} and for White people {latest.loc[REFERENCE_GROUP, 'rate']:.1f} per 1,000. "
        "The data table follows."
    )
    chart = bar_chart(
        plotted,
        x="group",
        y="rate",
        hue="year",
        title=f"Use of force, {tactic}: uses per 1,000 people a year, Metropolitan Police",
        alt=alt,
        ylabel="Uses per 1,000 people (a year)",
    )
    shown = _display_rates(table, "Uses", "Rate per 1,000 (year)")
    shown.insert(0, "Year", table["year"])
    return dataclasses.replace(chart, data=shown)


def use_of_force_sentences(annex: Annex) -> list[str]:
    table = use_of_force_rates(annex)
    sentences = []
    for (year, tactic), rows in table.groupby(["year", "tactic"], sort=True):
        row = rows.set_index("group").loc[FOCUS_GROUP]
        estimate = (
            None if pd.isna(row["ratio"]) else stats.Estimate(row["ratio"], row["ratio_lower"], row["ratio_upper"])
        )
        action = "subject to force" if tactic == "All tactics" else "subject to Taser use"
        sentence = wording.ratio_sentence(FOCUS_GROUP, REFERENCE_GROUP, action, estimate, annex.threshold)
        sentences.append(f"{year}, {tactic}: {sentence}")
    return sentences


# --- Public Attitude Survey ----------------------------------------------------------------------------------


def _quarter_end(label: str) -> pd.Timestamp:
    return pd.Timestamp(Quarter.parse(label).end_date)


def pas_trend(annex: Annex) -> pd.DataFrame:
    """MPS-wide PAS measures shown, each quarter up to the report's quarter (percentages)."""
    q = str(annex.quarter)
    table = annex.pas_total
    table = table[table["measure"].isin(pas.SHOWN_MEASURES) & (table["quarter"] <= q)].copy()
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
        + "; ".join(f"{m} {latest[m]:.0f}%" for m in pas.SHOWN_MEASURES if m in latest)
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
    wide = trend.pivot(index="quarter", columns="measure", values="percent").reindex(columns=list(pas.SHOWN_MEASURES))
    wide = wide.reset_index().rename(columns={"quarter": "Quarter (end of 12 months)"})
    wide = wide.map(
        lambda v: "" if isinstance(v, float) and pd.isna(v) else (f"{v:.0f}%" if isinstance(v, float) else v)
    )
    return dataclasses.replace(chart, data=wide)


def _change(value_now: float, value_before: float, base: int, shared: float) -> stats.Change:
    return stats.proportion_change(value_before, value_now, base, shared, rounding=PAS_ROUNDING)


def pas_intro(annex: Annex) -> str:
    q = annex.quarter
    return (
        "The Public Attitude Survey (PAS) asks Londoners what they think of the police. Each figure is the "
        f"percentage agreeing over the 12 months to the end of a quarter; the latest shown is the 12 months ending "
        f"{q.end_date:%-d %B %Y}, the end of this report's quarter ({q}); later results exist but are not shown. "
        "The measures: trust the MPS; the police treat everyone fairly; listen to the concerns of local people; do "
        "a good job in the local area; can be relied on to be there when needed."
    )


def pas_changes(annex: Annex) -> pd.DataFrame:
    """Each MPS-wide measure in the report's quarter against the quarter before and a year before, with tests."""
    values = annex.pas_total.set_index(["quarter", "measure"])["value"]
    q = annex.quarter
    rows = []
    for measure in pas.SHOWN_MEASURES:
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
                row[f"{key}_change"] = _change(now, before, annex.settings.pas_base_mps, shared)
        rows.append(row)
    return pd.DataFrame.from_records(rows)


def _change_cell(change: stats.Change | None) -> str:
    if change is None:
        return "no figure"
    points = round(change.difference * 100)
    unit = "point" if abs(points) == 1 else "points"
    if change.significant and points != 0:
        return f"{points:+d} {unit}, significant"
    return f"difference {points:+d} {unit}, not significant" if points else "no difference"


def pas_changes_table(annex: Annex) -> pd.DataFrame:
    table = pas_changes(annex)
    q = annex.quarter

    def pct(v: float | None) -> str:
        return "no figure" if v is None or pd.isna(v) else wording.percent(v)

    return pd.DataFrame(
        {
            "Measure": table["measure"],
            f"{q}": [pct(v) for v in table["now"]],
            f"{q.shifted(-1)}": [pct(v) for v in table["previous"]],
            "Change on previous quarter": [_change_cell(c) for c in table["previous_change"]],
            f"{q.shifted(-4)}": [pct(v) for v in table["year_ago"]],
            "Change on a year ago": [_change_cell(c) for c in table["year_ago_change"]],
        }
    )


def pas_change_sentences(annex: Annex) -> list[str]:
    table = pas_changes(annex)
    q = annex.quarter
    base = f"(on a base of about {annex.settings.pas_base_mps:,} respondents a year)"
    sentences = []
    for row in table.itertuples(index=False):
        if row.year_ago_change is None:
            sentences.append(f"{row.measure}: no figure for {q.shifted(-4)} to compare with.")
            continue
        sentences.append(
            wording.change_sentence(row.measure, row.year_ago_change, f"a year earlier ({q.shifted(-4)})", base)
        )
    return sentences


def pas_boroughs_caption(annex: Annex) -> str:
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
    for measure in pas.SHOWN_MEASURES:
        shown[measure] = [
            ("" if pd.isna(v) else wording.percent(v))
            for v in now.get(measure, pd.Series(index=now.index, dtype=float))
        ]
    trust = pas.SHOWN_MEASURES[0]
    changes = []
    for borough in now.index:
        a, b = now.loc[borough].get(trust), before.loc[borough].get(trust) if borough in before.index else None
        if a is None or b is None or pd.isna(a) or pd.isna(b):
            changes.append("no figure")
        else:
            changes.append(_change_cell(_change(a, b, annex.settings.pas_base_borough, YEAR_SHARED)))
    shown[f"{trust}: change on {q.shifted(-4)}"] = changes
    return shown.reset_index(drop=True)


def pas_borough_chart(annex: Annex) -> Chart:
    """Trust in the MPS by borough: the report's quarter against a year before (a dot plot, one row a borough)."""
    trust = pas.SHOWN_MEASURES[0]
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
    ax.plot(data["before"], data["Borough"], "o", color=PALETTE[1], label=f"12 months to {year_ago}")
    ax.plot(data["now"], data["Borough"], "o", color=PALETTE[0], label=f"12 months to {q}")
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
            f"Trust the MPS, {q}": shown["now"].map(lambda v: f"{v:.0f}%"),
            f"Trust the MPS, {year_ago}": shown["before"].map(lambda v: "" if pd.isna(v) else f"{v:.0f}%"),
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
        index=list(dict.fromkeys(summary["measure"])), columns=list(pas.ETHNIC_GROUPS)
    )
    firsts = summary.drop_duplicates("measure").set_index("measure")
    shown = pd.DataFrame({"Measure": wide.index})
    for group in pas.ETHNIC_GROUPS:
        shown[f"{group}: median of neighbourhoods (%)"] = [f"{v:.1f}" for v in wide[group]]
    shown[f"Neighbourhoods with all three figures (of {neighbourhoods})"] = [
        int(firsts.loc[m, "compared"]) for m in wide.index
    ]
    shown["Of those, where Black is below White British"] = [
        int(firsts.loc[m, "black_below_white_british"]) for m in wide.index
    ]
    return dataclasses.replace(chart, data=shown)


def pas_by_ethnicity_note(annex: Annex) -> str:
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


# --- methods and sources -------------------------------------------------------------------------------------


def methods_text(annex: Annex) -> list[str]:
    """The methods, each paragraph built from the constants and data the code actually used."""
    pop = annex.population.set_index("group")
    months = ", ".join(_month_name(m) for m in sorted(annex.settings.stop_search_months))
    self_labels = sum(1 for g in stopsearch.SELF_DEFINED_GROUP.values() if g != census.NOT_STATED)
    return [
        (
            f"Denominators. Rates are per {stats.PER:,} people, using Census 2021 usual residents of London: the "
            f"{census.LONDON_AREAS} local authority areas (codes starting {census.LONDON_PREFIX}) of the ONS file of "
            f"ethnic group by single year of age, all ages, {pop.loc['All', 'population']:,} people in all. ONS "
            f"suppressed {pop.loc['All', 'suppressed_cells']:,} cells (marked 'c'); they are counted as 0, so the "
            f"denominators are {pop.loc['All', 'shortfall']:,} people ({100 * pop.loc['All', 'shortfall'] / pop.loc['All', 'region_row']:.2f}%) "
            "below the file's London region row, which slightly raises every rate. The 19 Census groups are summed to "
            "the five broad groups Asian, Black, Mixed, White and Other, as ONS groups them. Monthly stop and search "
            "rates divide one month's searches by the whole population; use of force rates are a year's uses."
        ),
        (
            f"Ethnicity. Stop and search ({months}, police.uk records) is shown on both definitions police.uk "
            f"records: officer-defined (the officer's perception; {len(stopsearch.OFFICER_DEFINED_GROUP) - 1} labels) and "
            f"self-defined (the person's own answer; {self_labels} Census 2011 groups). Every label is mapped to a broad "
            "group or to 'Not stated' by an explicit table, and a file with any other label is refused. Searches with "
            "no stated ethnicity are counted but not given a rate. Vehicle-only searches (no person searched) are "
            "left out. Use of force is by the ethnicity the officer perceived; the Home Office's 2018/19 'Chinese' "
            "column is counted as Asian, as the 2019/20 tables and the Census do, and 'Don't know' and 'Not reported' "
            "as not stated. PAS groups are those of the published files."
        ),
        (
            f"Intervals. Every interval is a {100 * stats.CONFIDENCE:.0f}% confidence interval. A rate's interval is "
            "Byar's approximation to the exact Poisson interval of its count; a rate ratio's is the log (Katz) method, "
            "ratio times or divided by exp(1.96 x sqrt(1/a + 1/b)) for counts a and b; a percentage of searches uses "
            "Wilson's interval. These treat each search or use of force as independent: one person can be searched, "
            "or subject to several tactics, more than once, so the true uncertainty is wider than shown."
        ),
        (
            f"Suppression. No rate or ratio is shown on a count below {annex.threshold} (for a ratio, either count), "
            f"and no percentage of searches on fewer than {annex.threshold} searches; such cells read '{NOT_SHOWN}'."
        ),
        (
            "Survey changes. PAS figures are rolling 12-month results, published to two decimals (whole percentages), "
            f"labelled by the financial-year quarter in which the 12 months end. A change is called a change only if a "
            f"two-sided z test finds it significant at the 5% level, on an assumed base of "
            f"{annex.settings.pas_base_mps:,} respondents MPS-wide and {annex.settings.pas_base_borough:,} a borough "
            "(the survey's design; bases are not in the published files), without a design effect. Figures a quarter "
            f"apart share {QUARTER_SHARED:.0%} of their respondents, which the test allows for; figures a year apart "
            "share none. Rounding to whole percentages adds up to half a point to each figure."
        ),
        (
            "Comparison with Ethnicity Facts and Figures. The published EFF rates for the Metropolitan Police use "
            "self-defined ethnicity, so this annex compares them with its self-defined ratios; the EFF files state no "
            f"period, and the label '{EFF_PERIOD_LABEL}' comes from the source manifest and is unverified."
        ),
    ]


def _short_origin(origin: str) -> str:
    """'owner/repo @ 0123456789ab' from 'owner/repo @ <40-hex commit> (path)'."""
    repository, _, rest = origin.partition(" @ ")
    return f"{repository} @ {rest[:12]}"


def sources_table() -> pd.DataFrame:
    """The source files as listed in data/sources/SOURCES.csv."""
    table = load_sources()
    return pd.DataFrame(
        {
            "File": table["file"],
            "Publisher": table["publisher"],
            "Period": table["period"],
            "How the period was labelled": table["period_basis"],
            "Licence": table["licence"],
            "Copied from (repository @ commit)": table["origin"].map(_short_origin),
            "sha256 (first 16 characters)": table["sha256"].str[:16],
        }
    )
