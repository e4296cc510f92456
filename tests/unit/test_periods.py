from datetime import date

import pytest

from mapreport.core.periods import Quarter


def test_parse_and_print_round_trip() -> None:
    assert str(Quarter.parse("2022-23-Q1")) == "2022-23-Q1"


def test_quarter_one_is_april_to_june() -> None:
    quarter = Quarter.parse("2022-23-Q1")
    assert (quarter.first_month, quarter.end_date) == (date(2022, 4, 1), date(2022, 6, 30))


def test_quarter_four_ends_in_march_of_the_next_year() -> None:
    assert Quarter.parse("2021-22-Q4").end_date == date(2022, 3, 31)


def test_label_is_plain_words() -> None:
    assert Quarter.parse("2021-22-Q4").label == "January to March 2022 (2021/22 Quarter 4)"


def test_containing_maps_dates_to_financial_quarters() -> None:
    assert str(Quarter.containing(date(2023, 12, 31))) == "2023-24-Q3"
    assert str(Quarter.containing(date(2024, 3, 31))) == "2023-24-Q4"


def test_shifted_crosses_the_year_end() -> None:
    assert str(Quarter.parse("2021-22-Q4").shifted(1)) == "2022-23-Q1"
    assert str(Quarter.parse("2022-23-Q1").shifted(-4)) == "2021-22-Q1"


def test_rejects_years_that_are_not_consecutive() -> None:
    with pytest.raises(ValueError, match="not consecutive"):
        Quarter.parse("2022-24-Q1")


def test_rejects_a_calendar_quarter() -> None:
    with pytest.raises(ValueError, match="expected the form 2022-23-Q1"):
        Quarter.parse("2022-Q1")
