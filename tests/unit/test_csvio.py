from pathlib import Path

import pytest
from pydantic import BaseModel, field_validator, model_validator

from mapreport.core.errors import InputError
from mapreport.sources.csvio import check_unique, read_rows


class Row(BaseModel):
    name: str
    count: int

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value:
            raise ValueError("is empty")
        return value


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "rows.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_reads_valid_rows(tmp_path: Path) -> None:
    frame = read_rows(write(tmp_path, "name,count\na,1\nb,2\n"), Row)
    assert frame.to_dict("records") == [{"name": "a", "count": 1}, {"name": "b", "count": 2}]


def test_a_bad_cell_names_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"line 3, column 'count'"):
        read_rows(write(tmp_path, "name,count\na,1\nb,two\n"), Row)


def test_all_bad_rows_are_reported(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_rows(write(tmp_path, "name,count\n,1\nb,x\n"), Row)
    assert [p.where for p in caught.value.problems] == ["line 2, column 'name'", "line 3, column 'count'"]


def test_a_semicolon_file_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not comma-separated"):
        read_rows(write(tmp_path, "name;count\na;1\n"), Row)


def test_a_wrong_header_lists_missing_and_unexpected(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing \['count'\]; unexpected \['total'\]"):
        read_rows(write(tmp_path, "name,total\na,1\n"), Row)


def test_a_short_row_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="line 2: has 1 cells; expected 2"):
        read_rows(write(tmp_path, "name,count\na\n"), Row)


def test_non_utf8_is_refused_with_the_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="line 2: is not UTF-8"):
        read_rows(write(tmp_path, "name,count\ncafé,1\n", "latin-1"), Row)


def test_a_bom_and_windows_line_endings_are_read(tmp_path: Path) -> None:
    frame = read_rows(write(tmp_path, '\ufeffname,count\r\na,1\r\n"b\r\nc",2\r\n'), Row)
    assert frame.to_dict("records") == [{"name": "a", "count": 1}, {"name": "b\nc", "count": 2}]


def test_helper_columns_named_as_ignored_are_dropped(tmp_path: Path) -> None:
    frame = read_rows(write(tmp_path, "name,count,note\na,1,anything\n"), Row, ignored=("note",))
    assert frame.to_dict("records") == [{"name": "a", "count": 1}]


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is empty"):
        read_rows(write(tmp_path, ""), Row)


def test_a_header_only_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no rows"):
        read_rows(write(tmp_path, "name,count\n"), Row)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_rows(tmp_path / "absent.csv", Row)


def test_duplicates_name_their_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "name,count\na,1\nb,2\na,3\n")
    with pytest.raises(InputError, match=r"lines 2, 4: duplicate name='a'"):
        check_unique(read_rows(path, Row), ["name"], path)


def test_lines_are_the_file_lines_after_multi_line_cells_and_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, 'name,count\n"a\nsecond line",1\n\nb,2\nc,x\n')
    with pytest.raises(InputError, match=r"line 6, column 'count'"):
        read_rows(path, Row)
    path = write(tmp_path, 'name,count\n"a\nsecond line",1\n\nb,2\nb,3\n')
    with pytest.raises(InputError, match=r"lines 5, 6: duplicate name='b'"):
        check_unique(read_rows(path, Row), ["name"], path)


class Range(BaseModel):
    low: int
    high: int

    @model_validator(mode="after")
    def _ordered(self) -> "Range":
        if self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        return self


def test_a_check_across_columns_names_the_line_without_dumping_the_row(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_rows(write(tmp_path, "low,high\n1,2\n5,3\n"), Range)
    assert str(caught.value) == f"{tmp_path / 'rows.csv'}, line 3: low 5 is above high 3"
