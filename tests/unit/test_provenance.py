from pathlib import Path

from mapreport.core import hashing
from mapreport.pipeline import manifest


def test_row_count_excludes_a_csv_header(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n3,4\n\n")
    assert hashing.row_count(path) == 2


def test_row_count_of_text_counts_non_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("one\n\ntwo\n")
    assert hashing.row_count(path) == 2


def test_dependency_key_changes_with_an_input_byte(tmp_path: Path) -> None:
    template, data = tmp_path / "t.ipynb", tmp_path / "d.csv"
    template.write_text("{}")
    data.write_text("a\n1\n")
    before = manifest.dependency_key(template, {"quarter": "q"}, [data])
    data.write_text("a\n2\n")
    assert manifest.dependency_key(template, {"quarter": "q"}, [data]) != before


def test_dependency_key_changes_with_the_params(tmp_path: Path) -> None:
    template = tmp_path / "t.ipynb"
    template.write_text("{}")
    assert manifest.dependency_key(template, {"quarter": "a"}, []) != manifest.dependency_key(
        template, {"quarter": "b"}, []
    )


def test_versions_name_the_packages_that_shape_outputs() -> None:
    assert {"pandas", "papermill", "nbconvert", "mapreport"} <= set(hashing.package_versions())
