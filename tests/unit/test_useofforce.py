"""Home Office use of force tables, read from the published ODS workbooks."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapreport.core.errors import InputError
from mapreport.sources import useofforce
from tests.conftest import PROJECT

SOURCES = PROJECT / "data" / "sources" / "use_of_force"
Y1819 = SOURCES / "police-use-of-force-apr2018-mar2019-hosb3319-tables.ods"
Y1920 = SOURCES / "police-use-of-force-apr2019-mar2020-hosb3720-tables.ods"


def _counts(path: Path, tactic: str) -> dict[str, int]:
    frame = useofforce.load_use_of_force(path)
    return frame[frame["tactic"] == tactic].set_index("group")["count"].to_dict()


def test_met_taser_2019_20_matches_the_published_table() -> None:
    assert _counts(Y1920, "Taser (CED)") == {
        "White": 3813, "Black": 4453, "Asian": 1071, "Mixed": 310, "Other": 310, "Not stated": 111
    }  # fmt: skip


def test_2018_19_chinese_column_is_counted_as_asian() -> None:
    # Asian (or Asian British) 18,906 plus Chinese 870.
    assert _counts(Y1819, "All tactics")["Asian"] == 19_776


def test_the_year_comes_from_the_workbook_itself() -> None:
    assert set(useofforce.load_use_of_force(Y1819)["year"]) == {"2018/19"}


def test_financial_year_from_a_title() -> None:
    assert (
        useofforce.financial_year("Police use of force statistics, England and Wales, 1 April 2019 to 31 March 2020")
        == "2019/20"
    )


def test_a_missing_sheet_is_named() -> None:
    with pytest.raises(InputError, match=r"sheet 'Table_99': not found"):
        useofforce.read_ods_table(Y1920, "Table_99")


def test_an_unknown_force_is_refused() -> None:
    with pytest.raises(InputError, match=r"no rows for 'Atlantis'"):
        useofforce.load_use_of_force(Y1920, force="Atlantis")


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tables.ods"
    path.write_text("not a zip")
    with pytest.raises(InputError, match="cannot be read as an ODS workbook"):
        useofforce.read_ods_table(path, "Table_16")
