"""police.uk stop and search loading: every label mapped or refused, months checked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mapreport.core.errors import InputError
from mapreport.sources import memo, stopsearch
from mapreport.sources.census import NOT_STATED
from tests.conftest import PROJECT, TEST_DATA, replace_file

FIXTURES = TEST_DATA / "annex"
VALID = FIXTURES / "2022-09-metropolitan-stop-and-search.csv"
REAL = PROJECT / "data" / "sources" / "stop_search" / "2022-09-metropolitan-stop-and-search.csv"


def test_a_month_loads_one_row_per_search_with_month_and_force() -> None:
    records = stopsearch.load_month(VALID)
    assert len(records) == 10
    assert set(records["month"]) == {"2022-09"} and set(records["force"]) == {"metropolitan"}


def test_officer_defined_counts_of_the_ten_row_fixture() -> None:
    counts = stopsearch.searches_by_ethnicity(stopsearch.load_month(VALID), "officer")
    assert counts.to_dict() == {"Asian": 1, "Black": 6, "Mixed": 0, "White": 3, "Other": 0, NOT_STATED: 0}


def test_an_unknown_officer_label_is_refused_with_file_line_and_label() -> None:
    with pytest.raises(
        InputError,
        match=r"2022-09-unknown-label-stop-and-search.csv, line 5, column 'Officer-defined ethnicity': unknown label 'Purple' \(1 record\(s\)\)",
    ):
        stopsearch.load_month(FIXTURES / "2022-09-unknown-label-stop-and-search.csv")


def test_an_unknown_self_defined_label_is_refused() -> None:
    with pytest.raises(
        InputError, match=r"line 8, column 'Self-defined ethnicity': unknown label 'Martian - Any other'"
    ):
        stopsearch.load_month(FIXTURES / "2022-09-unknown-self-label-stop-and-search.csv")


def test_records_outside_the_named_month_are_refused() -> None:
    with pytest.raises(
        InputError, match=r"line 2, column 'Date': date 2022-08-31T23:00:00\+00:00 is not in 2022-10 \(London time\)"
    ):
        stopsearch.load_month(FIXTURES / "2022-10-metropolitan-stop-and-search.csv")


def test_a_file_not_named_as_police_uk_names_it_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "searches.csv"
    path.write_bytes(VALID.read_bytes())
    with pytest.raises(InputError, match=r"file name: expected a police.uk name"):
        stopsearch.load_month(path)


def test_problems_in_several_files_are_reported_together() -> None:
    with pytest.raises(InputError) as caught:
        stopsearch.load_months(
            [
                FIXTURES / "2022-09-unknown-label-stop-and-search.csv",
                FIXTURES / "2022-09-unknown-self-label-stop-and-search.csv",
            ]
        )
    assert len(caught.value.problems) == 2


def test_stacked_months_keep_categorical_columns() -> None:
    records = stopsearch.load_months([VALID, REAL])
    assert len(records) == 10 + 12_447
    assert records["officer"].dtype == "category" and records["month"].dtype == "category"


def test_the_same_file_under_two_months_is_refused_as_a_duplicate_month(tmp_path: Path) -> None:
    copy = tmp_path / "2022-08-metropolitan-stop-and-search.csv"
    copy.write_bytes(REAL.read_bytes())
    with pytest.raises(
        InputError, match=r"2022-08-metropolitan-stop-and-search.csv: is byte-identical to .*2022-09.*duplicate month"
    ):
        stopsearch.load_months([REAL, copy])


def test_a_city_of_london_month_saved_as_the_metropolitan_file_is_refused(tmp_path: Path) -> None:
    city = PROJECT / "data" / "sources" / "stop_search" / "2022-05-city-of-london-stop-and-search.csv"
    wrong = tmp_path / "2022-05-metropolitan-stop-and-search.csv"
    wrong.write_bytes(city.read_bytes())
    with pytest.raises(
        InputError,
        match=r"2022-05-metropolitan-stop-and-search.csv, line 8, columns 'Latitude'/'Longitude': the file is named "
        r"for force 'metropolitan', whose files have few searches inside the City of London, but 99% of its 192",
    ):
        stopsearch.load_month(wrong)


def test_a_metropolitan_month_saved_as_the_city_file_is_refused(tmp_path: Path) -> None:
    wrong = tmp_path / "2022-09-city-of-london-stop-and-search.csv"
    wrong.write_bytes(REAL.read_bytes())
    with pytest.raises(InputError, match=r"named for force 'city-of-london', whose files have almost all searches"):
        stopsearch.load_month(wrong)


def test_a_summer_record_just_after_midnight_london_time_belongs_to_the_next_month(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8")
    first = text.splitlines()[1].split(",")[1]
    path = tmp_path / "2022-09-metropolitan-stop-and-search.csv"
    path.write_text(text.replace(first, "2022-09-30T23:30:00+00:00", 1), encoding="utf-8")
    with pytest.raises(
        InputError, match=r"line 2, column 'Date': date 2022-09-30T23:30:00\+00:00 is not in 2022-09 \(London time\)"
    ):
        stopsearch.load_month(path)


def test_every_mapping_target_is_a_known_group() -> None:
    targets = set(stopsearch.OFFICER_DEFINED_GROUP.values()) | set(stopsearch.SELF_DEFINED_GROUP.values())
    assert targets <= set(stopsearch.GROUPS)


def test_the_real_month_matches_the_manifest_officer_counts() -> None:
    records = stopsearch.load_month(REAL)
    counts = records["officer"].value_counts().to_dict()
    assert counts == {"White": 5047, "Black": 4585, "Asian": 1914, "Other": 613, NOT_STATED: 288, "Mixed": 0}


def test_vehicle_only_searches_are_not_counted_by_ethnicity() -> None:
    records = stopsearch.load_month(REAL)
    assert stopsearch.vehicle_only_searches(records) == 143
    assert stopsearch.searches_by_ethnicity(records, "self").sum() == 12_447 - 143


def test_outcomes_table_has_every_outcome_group() -> None:
    table = stopsearch.outcomes_by_ethnicity(stopsearch.load_month(VALID), "self")
    assert list(table.columns) == list(stopsearch.OUTCOME_GROUPS) and table.to_numpy().sum() == 10


def test_eff_by_area_reads_na_as_missing() -> None:
    path = REAL.parents[1] / "ethnicity_facts_figures" / "ethnicity-stop-search-by-area.csv"
    table = stopsearch.load_eff_by_area(path).set_index(["area", "group"])["rate"]
    assert (
        table[("Metropolitan Police", "Black")] == 32.8
        and table[("London, City of", "All")] != table[("London, City of", "All")]
    )


def test_eff_by_ethnicity_reads_thousands_separators() -> None:
    path = REAL.parents[1] / "ethnicity_facts_figures" / "ethnicity-stop-search-by-ethnicity.csv"
    table = stopsearch.load_eff_by_ethnicity(path).set_index("ethnicity")["searches"]
    assert table["All"] == 529_474


def test_a_parsed_month_is_kept_by_file_hash(tmp_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_project / "data" / "sources" / "stop_search" / "2022-05-city-of-london-stop-and-search.csv"
    parses: list[Path] = []
    real = stopsearch.load_month

    def counted(month: Path) -> pd.DataFrame:
        parses.append(month)
        return real(month)

    counted.__qualname__ = real.__qualname__  # the loader's key, as the real one's
    monkeypatch.setattr(stopsearch, "load_month", counted)
    monkeypatch.setattr(memo, "_PARSED", {})
    monkeypatch.setenv(memo.CACHE_ENV, str(tmp_project / "parsed"))
    first = stopsearch.load_months([path])
    monkeypatch.setattr(memo, "_PARSED", {})  # as another kernel: only the disk entry is there
    pd.testing.assert_frame_equal(stopsearch.load_months([path]), first)
    assert len(parses) == 1
    replace_file(path, path.read_bytes() + b"\n")
    stopsearch.load_months([path])  # new content, new key: parsed (and checked) again
    assert len(parses) == 2
