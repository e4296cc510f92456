"""The annex's data: every input of a quarter's annex loaded once, up front, with every problem reported at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from mapreport.core.errors import InputError, Problem
from mapreport.core.params import AnnexParams, ReportParams
from mapreport.core.paths import relative
from mapreport.core.periods import Quarter
from mapreport.sources.memo import parsed
from mapreport.sources import census, pas, stopsearch, useofforce
from mapreport.sources.published import (
    MET,
    CENSUS_2011_FILE,
    CENSUS_FILE,
    EFF_AREA_FILE,
    EFF_ETHNICITY_FILE,
    PAS_BOROUGH_FILE,
    PAS_ETHNICITY_FILE,
    PAS_TOTAL_FILE,
    USE_OF_FORCE_FILES,
    SOURCES_INDEX,
    check_sources,
    input_files,
    load_sources,
    sources_dir,
    quarter_months,
    stop_search_files,
    stray_stop_search_files,
    trend_months,
)

EFF_FORCE = "Metropolitan Police"
"""The area whose rates the annex takes from the Ethnicity Facts and Figures file."""
USE_OF_FORCE_FORCE = "Metropolitan"
"""The force whose rows the annex takes from the Home Office use of force tables."""
FOCUS_GROUP = "Black"
"""The group the annex's sentences compare with the reference group."""
DEFINITION_LABELS = {"officer": "Officer-defined", "self": "Self-defined"}
"""The two ethnicity definitions of the police.uk records, as the annex names them."""


@dataclass(frozen=True, eq=False)
class Annex:
    """One quarter's annex: its params and every input it shows, as `load` read and checked them."""

    params: ReportParams
    sources: pd.DataFrame
    """data/sources/SOURCES.csv, one row per source file."""
    records: pd.DataFrame
    """police.uk stop and search records held for the 12 months ending with the quarter, both forces (columns month,
    force, person, officer, self, outcome)."""
    population: pd.DataFrame
    """Census 2021 London population by broad group."""
    city_2011: pd.DataFrame
    """Census 2011: the City of London's residents and London's by broad group (the 2021 file merges the City)."""
    eff_by_area: pd.DataFrame
    eff_by_ethnicity: pd.DataFrame
    use_of_force: pd.DataFrame
    pas_total: pd.DataFrame
    pas_boroughs: pd.DataFrame
    pas_ethnicity: pd.DataFrame

    @property
    def quarter(self) -> Quarter:
        """The report's quarter."""
        return self.params.period

    @property
    def settings(self) -> AnnexParams:
        """The `annex` section of the params."""
        return self.params.annex

    @property
    def threshold(self) -> int:
        """No rate or ratio is shown on a count below this."""
        return self.settings.suppression_threshold

    @property
    def months(self) -> list[str]:
        """The quarter's three months, `YYYY-MM`."""
        return quarter_months(self.quarter)

    @property
    def window(self) -> list[str]:
        """The 12 months ending with the quarter, oldest first."""
        return trend_months(self.quarter)

    @cached_property
    def _held(self) -> frozenset[tuple[str, str]]:
        """Every (month, force) with records held."""
        if self.records.empty:
            return frozenset()
        pairs = self.records.groupby(["month", "force"], observed=True).size().index
        return frozenset((str(m), str(f)) for m, f in pairs)

    def held(self, force: str = MET, months: list[str] | None = None) -> list[str]:
        """The months (of `months`, by default the quarter's) for which the force's police.uk file is held."""
        wanted = self.months if months is None else months
        return [m for m in wanted if (m, force) in self._held]

    def missing(self, force: str = MET, months: list[str] | None = None) -> list[str]:
        """The months (by default the quarter's) for which no file of the force is held."""
        wanted = self.months if months is None else months
        held = self.held(force, wanted)
        return [m for m in wanted if m not in held]

    @cached_property
    def _quarter_records(self) -> dict[str, pd.DataFrame]:
        return {}

    def quarter_records(self, force: str = MET) -> pd.DataFrame:
        """The force's records in the quarter's own months (empty when none are held); selected once per force."""
        if force not in self._quarter_records:
            chosen = (self.records["force"] == force) & self.records["month"].isin(self.months)
            self._quarter_records[force] = self.records.loc[chosen].reset_index(drop=True)
        return self._quarter_records[force]

    def rows_by_file(self) -> pd.DataFrame:
        """Records read from each police.uk file used: month, force, file (as in SOURCES.csv), rows."""
        if self.records.empty:
            return pd.DataFrame(columns=["month", "force", "file", "rows"])
        counts = self.records.groupby(["month", "force"], observed=True).size().reset_index(name="rows")
        counts["file"] = [f"stop_search/{m}-{f}-stop-and-search.csv" for m, f in zip(counts["month"], counts["force"])]
        return counts[["month", "force", "file", "rows"]].astype({"month": str, "force": str})

    def census(self, group: str, column: str = "population") -> int:
        """One figure of the Census 2021 London population table: a group's (or All's) population, suppressed
        cells, shortfall or region row."""
        return int(self.population.set_index("group")[column][group])

    def denominator(self, group: str) -> int:
        """The Census 2021 London population of a broad group."""
        return self.census(group)


def load(params: ReportParams) -> Annex:
    """Check the source files and load every annex input; raise one InputError listing every problem found."""
    problems: list[Problem] = []

    def attempt(loader: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """The loaded frame, or an empty one with the loader's problems noted."""
        try:
            return loader()
        except InputError as exc:
            problems.extend(exc.problems)
            return pd.DataFrame()

    def use_of_force() -> pd.DataFrame:
        """Both years' Home Office tables, the force's rows only."""
        frames = [parsed(useofforce.load_use_of_force, folder / f, USE_OF_FORCE_FORCE) for f in USE_OF_FORCE_FILES]
        return pd.concat(frames, ignore_index=True)

    def records() -> pd.DataFrame:
        """The police.uk files held for the 12-month window, checked; an empty frame where none are held."""
        files = stop_search_files(params.period)
        if not files:
            return pd.DataFrame(columns=["month", "force", "person", "officer", "self", "outcome"])
        return stopsearch.load_months(files)

    folder = sources_dir()
    problems.extend(stray_stop_search_files())
    try:
        check_sources(input_files(params))
    except InputError as exc:
        problems.extend(exc.problems)
    sources = pd.DataFrame() if problems else load_sources()
    if not sources.empty:
        listed = set(sources["file"])
        index = relative(folder / SOURCES_INDEX)
        problems.extend(
            Problem(
                relative(path),
                "",
                f"is not listed in {index}; add a row with its publisher, period, origin, sha256 and rows",
            )
            for path in stop_search_files(params.period)
            if path.relative_to(folder).as_posix() not in listed
        )
    annex = Annex(
        params=params,
        sources=sources,
        records=attempt(records),
        population=attempt(
            lambda: census.london_population(parsed(census.load_census, folder / CENSUS_FILE), folder / CENSUS_FILE)
        ),
        city_2011=attempt(lambda: parsed(census.city_share_2011, folder / CENSUS_2011_FILE)),
        eff_by_area=attempt(lambda: parsed(stopsearch.load_eff_by_area, folder / EFF_AREA_FILE)),
        eff_by_ethnicity=attempt(lambda: parsed(stopsearch.load_eff_by_ethnicity, folder / EFF_ETHNICITY_FILE)),
        use_of_force=attempt(use_of_force),
        pas_total=attempt(lambda: parsed(pas.load_pas_total, folder / PAS_TOTAL_FILE)),
        pas_boroughs=attempt(lambda: parsed(pas.load_pas_boroughs, folder / PAS_BOROUGH_FILE)),
        pas_ethnicity=attempt(lambda: parsed(pas.load_pas_by_ethnicity, folder / PAS_ETHNICITY_FILE)),
    )
    if problems:
        raise InputError(problems)
    return annex
