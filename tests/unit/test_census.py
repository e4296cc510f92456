"""Census 2021 denominators: 'c' cells, the 19-to-5 group mapping, London as the 32 E09 areas."""

from __future__ import annotations

import math

import pytest

from mapreport.core.errors import InputError
from mapreport.sources import census
from tests.conftest import PROJECT, TEST_DATA

FIXTURES = TEST_DATA / "annex"
REAL = PROJECT / "data" / "sources" / "census" / "census2021_ethnic_group_by_single_year_age_LA.csv"


def test_suppressed_c_cells_are_read_as_missing() -> None:
    frame = census.load_census(FIXTURES / "census_small.csv")
    assert math.isnan(frame.loc[0, "Asian, Asian British or Asian Welsh: Chinese"])
    assert frame.loc[1, "Asian, Asian British or Asian Welsh: Chinese"] == 5


def test_a_cell_that_is_neither_a_number_nor_c_is_refused_with_line_and_column() -> None:
    with pytest.raises(
        InputError,
        match=r"census_bad_cell.csv, line 3, column 'White: English, Welsh, Scottish, Northern Irish or British': expected a whole number or 'c'",
    ):
        census.load_census(FIXTURES / "census_bad_cell.csv")


def test_every_one_of_the_19_groups_maps_to_a_broad_group() -> None:
    assert len(census.GROUP_OF_CENSUS_COLUMN) == 19
    assert set(census.GROUP_OF_CENSUS_COLUMN.values()) == set(census.BROAD_GROUPS)


def test_london_needs_all_32_areas() -> None:
    frame = census.load_census(FIXTURES / "census_small.csv")
    with pytest.raises(InputError, match="expected 32 London \\(E09\\) areas; found 1"):
        census.london_population(frame, FIXTURES / "census_small.csv")


def test_london_population_sums_the_32_areas_and_states_the_suppression_shortfall() -> None:
    table = census.london_population(census.load_census(REAL), REAL).set_index("group")
    assert table.loc["All", "population"] == 8_752_660
    assert table.loc["All", "region_row"] == 8_799_600
    assert table.loc["All", "shortfall"] == 46_940
    assert table.loc["Black", "population"] == 1_182_345
