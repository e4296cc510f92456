"""The annex's methods, each paragraph built from the constants and data the code used, and its sources table."""

from __future__ import annotations

import pandas as pd

from mapreport.analysis import stats
from mapreport.present import numbers
from mapreport.reports.annex.data import Annex
from mapreport.reports.annex.pas import QUARTER_SHARED
from mapreport.reports.annex.periods import EFF_PERIOD_LABEL, stop_search_period
from mapreport.sources import census
from mapreport.sources.published import SOURCES_INDEX, input_files, sources_dir


def methods_text(annex: Annex) -> list[str]:
    """The methods, each paragraph built from the constants and data the code actually used."""
    months = stop_search_period(annex) or f"none held for {annex.quarter}"
    return [
        (
            f"Denominators. Rates are per {stats.PER:,} people, using Census 2021 usual residents of London: the "
            f"{census.LONDON_AREAS} local authority areas (codes starting {census.LONDON_PREFIX}) of the ONS file of "
            f"ethnic group by single year of age, all ages, {annex.census('All'):,} people in all. ONS "
            f"suppressed {annex.census('All', 'suppressed_cells'):,} cells (marked 'c'); they are counted as 0, so the "
            f"denominators are {annex.census('All', 'shortfall'):,} people ({100 * annex.census('All', 'shortfall') / annex.census('All', 'region_row'):.2f}%) "
            "below the file's London region row, which slightly raises every rate. The 19 Census groups are summed to "
            "the five broad groups Asian, Black, Mixed, White and Other, as ONS groups them. A quarter's stop and search "
            "rate is the searches in the months held divided by the population and by the number of months held (a "
            "rate per 1,000 in an average month); use of force rates are a year's uses."
        ),
        (
            f"Ethnicity. Stop and search ({months}, police.uk records) is shown on both definitions police.uk "
            "records: officer-defined (the officer's perception, in police.uk's broad groups, which have no Mixed "
            "group, so an officer-defined Mixed figure is not applicable rather than zero) and self-defined (the "
            "person's own answer, in the Census 2011 groups). Every label is mapped to a broad group or to 'Not "
            "stated' by an explicit table in the code, and a file with any other label is refused. Searches with "
            "no stated ethnicity are counted but not given a rate. Vehicle-only searches (no person searched) are "
            "left out. Use of force is by the ethnicity the officer perceived; the Home Office's 2018/19 'Chinese' "
            "column is counted as Asian, as the 2019/20 tables and the Census do, and 'Don't know' and 'Not reported' "
            "as not stated. PAS groups are those of the published files."
        ),
        (
            f"Intervals. Every interval is a {100 * stats.CONFIDENCE:.0f}% confidence interval, drawn on every rate "
            "and ratio chart. A rate's interval is "
            "Byar's approximation to the exact Poisson interval of its count; a rate ratio's is the log (Katz) method, "
            "ratio times or divided by exp(1.96 x sqrt(1/a + 1/b)) for counts a and b; a percentage of searches uses "
            "Wilson's interval; the change in a ratio between two quarters is the ratio of the two ratios, with the log "
            "interval exp(1.96 x sqrt(1/a1 + 1/b1 + 1/a2 + 1/b2)) and a two-sided z test of no change. These treat each search or use of force as independent: one person can be searched, "
            "or subject to several tactics, more than once, so the true uncertainty is wider than shown."
        ),
        (
            f"Suppression. No count by ethnic group or outcome, rate or ratio is shown on a count below "
            f"{annex.threshold:,} (for a ratio, either count), and no percentage of searches on fewer than "
            f"{annex.threshold:,} searches, in charts, tables and text alike; such cells read '{numbers.NOT_SHOWN}' and "
            "such bars and points are left out of the charts. Whole-file record totals are not by ethnicity and are "
            "shown as published."
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


DATASET_ORDER = ("stop_search", "use_of_force", "ethnicity_facts_figures", "census", "pas")
"""Sources are listed by publisher: data.police.uk, the Home Office, ONS, then MOPAC."""


def sources_table(annex: Annex) -> pd.DataFrame:
    """Exactly the source files this quarter's annex used (the input catalogue's files for its params), publisher
    first, with each file's period, the rows used and its sha256; where each copy came from stays in
    data/sources/SOURCES.csv and the manifest."""
    folder = sources_dir()
    used = [path.relative_to(folder).as_posix() for path in input_files(annex.params)]
    used = [f for f in used if f != SOURCES_INDEX]
    table = annex.sources.set_index("file").loc[used].reset_index()
    table["_order"] = table["dataset"].map({d: i for i, d in enumerate(DATASET_ORDER)})
    table = table.sort_values(["_order", "publisher", "file"], kind="stable")
    records = annex.rows_by_file().set_index("file")["rows"]
    rows_used = [
        numbers.count(int(records[f])) if f in records.index else numbers.count(int(n))
        for f, n in zip(table["file"], table["rows"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Publisher": table["publisher"],
            "File": table["file"].map(lambda f: f.rsplit("/", 1)[-1]),
            "Period": table["period"],
            "Rows used": rows_used,
            "Licence": table["licence"],
            "sha256 (first 12 characters)": table["sha256"].str[:12],
        }
    ).reset_index(drop=True)
