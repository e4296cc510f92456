"""The annex's methods, each paragraph built from the constants and data the code used, and its sources table."""

from __future__ import annotations

import pandas as pd

from mapreport.analysis import stats
from mapreport.present import numbers
from mapreport.reports.annex.data import Annex
from mapreport.reports.annex.pas import QUARTER_SHARED
from mapreport.reports.annex.periods import EFF_PERIOD_LABEL, stop_search_period
from mapreport.sources import census, stopsearch
from mapreport.sources.published import SOURCES_INDEX, input_files, sources_dir


def methods_text(annex: Annex) -> list[str]:
    """The methods, each paragraph built from the constants and data the code actually used."""
    months = stop_search_period(annex)
    self_labels = sum(1 for g in stopsearch.SELF_DEFINED_GROUP.values() if g != census.NOT_STATED)
    return [
        (
            f"Denominators. Rates are per {stats.PER:,} people, using Census 2021 usual residents of London: the "
            f"{census.LONDON_AREAS} local authority areas (codes starting {census.LONDON_PREFIX}) of the ONS file of "
            f"ethnic group by single year of age, all ages, {annex.census('All'):,} people in all. ONS "
            f"suppressed {annex.census('All', 'suppressed_cells'):,} cells (marked 'c'); they are counted as 0, so the "
            f"denominators are {annex.census('All', 'shortfall'):,} people ({100 * annex.census('All', 'shortfall') / annex.census('All', 'region_row'):.2f}%) "
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
            f"and no percentage of searches on fewer than {annex.threshold} searches; such cells read "
            f"'{numbers.NOT_SHOWN}'."
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


def sources_table(annex: Annex) -> pd.DataFrame:
    """The source files this quarter's annex reads, as listed in data/sources/SOURCES.csv (in its order)."""
    folder = sources_dir()
    read = {path.relative_to(folder).as_posix() for path in input_files(annex.params)} - {SOURCES_INDEX}
    table = annex.sources[annex.sources["file"].isin(read)]
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
