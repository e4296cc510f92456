"""Public Attitude Survey files as published: semicolons, decimal commas, dd/mm/yyyy, two spellings of Richmond."""

from __future__ import annotations

import pytest

from mapreport.core.errors import InputError
from mapreport.sources import pas
from tests.conftest import PROJECT, TEST_DATA

FIXTURES = TEST_DATA / "annex"
SOURCES = PROJECT / "data" / "sources" / "pas"


def test_decimal_commas_are_read_as_proportions() -> None:
    frame = pas.load_pas_boroughs(FIXTURES / "pas_boroughs_small.csv")
    assert frame.loc[0, "value"] == 0.61 and frame.loc[0, "mps"] == 0.73


def test_both_spellings_of_richmond_become_one_borough() -> None:
    frame = pas.load_pas_boroughs(FIXTURES / "pas_boroughs_small.csv")
    assert sorted(frame["area"].unique()) == ["Lambeth", "Richmond upon Thames"]


def test_quarter_end_dates_are_labelled_as_financial_year_quarters() -> None:
    frame = pas.load_pas_boroughs(FIXTURES / "pas_boroughs_small.csv")
    assert list(frame["quarter"].unique()) == ["2021-22-Q4", "2022-23-Q1"]


def test_a_decimal_point_is_refused_with_line_and_column() -> None:
    with pytest.raises(
        InputError,
        match=r"pas_decimal_point.csv, line 2, column 'Proportion': expected a proportion with a decimal comma",
    ):
        pas.load_pas_boroughs(FIXTURES / "pas_decimal_point.csv")


def test_an_unknown_measure_is_refused() -> None:
    with pytest.raises(InputError, match=r"line 2, column 'Measure': unknown measure 'Happiness'"):
        pas.load_pas_boroughs(FIXTURES / "pas_unknown_measure.csv")


def test_a_date_that_is_not_a_quarter_end_is_refused() -> None:
    with pytest.raises(InputError, match=r"line 2, column 'Date': expected a quarter end"):
        pas.load_pas_boroughs(FIXTURES / "pas_not_quarter_end.csv")


def test_a_comma_separated_file_is_refused() -> None:
    with pytest.raises(InputError, match="expected the semicolon-separated export"):
        pas.load_pas_total(FIXTURES / "census_small.csv")


def test_the_real_borough_file_has_32_boroughs_after_unifying_richmond() -> None:
    assert pas.load_pas_boroughs(SOURCES / "PAS_buroughs.csv")["area"].nunique() == 32


def test_the_mps_column_of_the_borough_file_agrees_with_the_mps_file() -> None:
    boroughs = pas.load_pas_boroughs(SOURCES / "PAS_buroughs.csv").drop_duplicates(["quarter", "measure"])
    total = pas.load_pas_total(SOURCES / "PAS_Total.csv")
    merged = boroughs.merge(total, on=["quarter", "measure"], suffixes=("", "_total"))
    assert len(merged) == len(total) and (merged["mps"] == merged["value_total"]).all()


def test_by_ethnicity_blank_cells_are_missing_not_zero() -> None:
    frame = pas.load_pas_by_ethnicity(
        SOURCES / "2015-16 _to_2020-21_inclusive_neighbourhood_indicators_final_221221.csv"
    )
    westminster_orb = frame[(frame["borough"] == "Westminster") & (frame["neighbourhood"] == "ORB")]
    assert len(westminster_orb) == 12 and westminster_orb["value"].isna().all()
