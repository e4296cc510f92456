"""The annex's data: every input of a quarter's annex loaded once, up front, with every problem reported at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from mapreport.core.errors import InputError, Problem
from mapreport.core.params import AnnexParams, ReportParams
from mapreport.core.periods import Quarter
from mapreport.sources.memo import parsed
from mapreport.sources import census, pas, stopsearch, useofforce
from mapreport.sources.published import (
    CENSUS_FILE,
    EFF_AREA_FILE,
    EFF_ETHNICITY_FILE,
    PAS_BOROUGH_FILE,
    PAS_ETHNICITY_FILE,
    PAS_TOTAL_FILE,
    USE_OF_FORCE_FILES,
    check_sources,
    load_sources,
    sources_dir,
    stop_search_files,
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
    """police.uk stop and search records for the months in the params."""
    population: pd.DataFrame
    """Census 2021 London population by broad group."""
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

    folder = sources_dir()
    try:
        check_sources()
    except InputError as exc:
        problems.extend(exc.problems)
    sources = pd.DataFrame() if problems else load_sources()
    annex = Annex(
        params=params,
        sources=sources,
        records=attempt(lambda: stopsearch.load_months(stop_search_files(params.annex))),
        population=attempt(
            lambda: census.london_population(parsed(census.load_census, folder / CENSUS_FILE), folder / CENSUS_FILE)
        ),
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
