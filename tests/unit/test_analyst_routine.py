"""Issue 14, items 1-7: what a new analyst hit when rolling a quarter forward, each reproduced and now handled."""

from __future__ import annotations

import csv
import io
import re
import stat
import tempfile
from pathlib import Path

import pytest

from mapreport.core.errors import InputError
from mapreport.core.params import load_params
from mapreport.pipeline import diff, publish, validate
from mapreport.sources import documents, figures, register, status
from tests.conftest import PROJECT, replace_in

README = (PROJECT / "README.md").read_text(encoding="utf-8")


def _problems(quarter: str = "2022-23-Q1") -> list[str]:
    return [str(p) for p in validate.problems_in(load_params(quarter))]


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write_rows(path: Path, rows: list[list[str]], prefix: bytes = b"", ending: str = "\n") -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator=ending).writerows(rows)
    path.write_bytes(prefix + out.getvalue().encode("utf-8"))


# 1. validate passed, then run failed on measures.csv


def test_1_validate_names_a_measure_with_no_title(tmp_project: Path) -> None:
    replace_in(
        tmp_project / "data/figures/figures.csv",
        "2020-21-Q1,,pas_support_stop_search,age",
        "2020-21-Q1,,pas_new_measure,age",
    )
    assert any(p.startswith("data/figures/measures.csv") and "pas_new_measure" in p for p in _problems())


def test_1_readme_routine_mentions_measures() -> None:
    assert "measures.csv" in README.split("## Every quarter")[1].split("\n## ")[0]


# 2. previous_quarter left out or skipping one


def test_2_a_missing_previous_quarter_is_the_latest_earlier_quarter(tmp_project: Path) -> None:
    replace_in(tmp_project / "params/2022-23-Q1.yaml", "previous_quarter: 2021-22-Q4\n", "")
    assert load_params("2022-23-Q1").previous_quarter == "2021-22-Q4"


def test_2_a_previous_quarter_that_skips_one_with_params_is_refused(tmp_project: Path) -> None:
    replace_in(tmp_project / "params/2022-23-Q1.yaml", "previous_quarter: 2021-22-Q4", "previous_quarter: 2021-22-Q1")
    with pytest.raises(InputError, match=r"key 'previous_quarter': is 2021-22-Q1, which skips 2021-22-Q4.*allow_gap"):
        load_params("2022-23-Q1")


def test_2_allow_gap_accepts_the_older_quarter(tmp_project: Path) -> None:
    replace_in(
        tmp_project / "params/2022-23-Q1.yaml",
        "previous_quarter: 2021-22-Q4",
        "previous_quarter: 2021-22-Q1\nallow_gap: true",
    )
    params = load_params("2022-23-Q1")
    assert params.previous_quarter == "2021-22-Q1"
    assert "allow_gap" not in params.notebook_parameters()


# 3. tests hard-coded the list of quarters

_QUARTER_LIST = re.compile(
    r"""\[\s*["']\d{4}-\d{2}-Q\d["']\s*,\s*["']\d{4}-\d{2}-Q\d["']\s*,\s*["']\d{4}-\d{2}-Q\d["']"""
)


def test_3_no_test_spells_out_the_quarters_with_params() -> None:
    quarters = {p.stem for p in (PROJECT / "params").glob("*.yaml")}
    offenders = []
    for path in (PROJECT / "tests").rglob("*.py"):
        for match in _QUARTER_LIST.finditer(path.read_text(encoding="utf-8")):
            if set(re.findall(r"\d{4}-\d{2}-Q\d", match[0])) <= quarters:
                offenders.append(f"{path.relative_to(PROJECT)}: {match[0]}")
    assert not offenders, "derive quarters from params/ (tests.conftest.quarters_with_params)"


# 4. figures checks were weak


def test_4_a_figure_with_no_quote_or_source_ref_is_refused(tmp_project: Path) -> None:
    path = tmp_project / "data/figures/figures.csv"
    rows = _rows(path)
    rows[2][-1], rows[2][-2] = "", " "
    _write_rows(path, rows)
    with pytest.raises(InputError) as caught:
        figures.load_figures()
    assert "line 3, column 'source_ref': is empty" in str(caught.value)
    assert "line 3, column 'quote': is empty" in str(caught.value)


def test_4_a_group_in_lower_case_is_refused_with_its_spelling(tmp_project: Path) -> None:
    path = tmp_project / "data/figures/figures.csv"
    rows = _rows(path)
    line = next(i for i, r in enumerate(rows) if r[4] == "Black")
    rows[line][4] = "black"
    _write_rows(path, rows)
    with pytest.raises(InputError, match=rf"line {line + 1}: column 'group' is 'black'.*write 'Black'"):
        figures.load_figures()


def test_4_a_quote_changed_to_a_number_not_in_the_document_is_refused(tmp_project: Path) -> None:
    replace_in(tmp_project / "data/figures/figures.csv", "Less than half (46%)", "Less than half (47%)")
    with pytest.raises(InputError, match=r"column 'quote': is not in the text of eia-2020-11"):
        figures.load_figures()


def test_4_a_value_not_printed_in_its_quote_is_refused(tmp_project: Path) -> None:
    replace_in(tmp_project / "data/figures/figures.csv", "16-24,46,percent", "16-24,47,percent")
    with pytest.raises(InputError, match=r"column 'quote': does not print the value 47"):
        figures.load_figures()


def test_4_a_status_update_not_in_the_document_is_refused(tmp_project: Path) -> None:
    replace_in(
        tmp_project / "data/status/2022-23-Q1.csv", "shared the report with MOPAC", "shared 99 reports with MOPAC"
    )
    with pytest.raises(InputError, match=r"line 2 \(action 1.a\), column 'update': is not in the text of"):
        status.load_status("2022-23-Q1", register.load_register())


# 5. problems one at a time, repeated, misdiagnosed or refused


def test_5_a_duplicate_row_is_reported_with_the_other_problems(tmp_project: Path) -> None:
    path = tmp_project / "data/status/2022-23-Q1.csv"
    rows = _rows(path)
    rows.append(list(rows[3]))
    rows[1][0] = "2022-23-Q2"
    _write_rows(path, rows)
    text = "\n".join(_problems())
    assert "column 'period': is '2022-23-Q2'" in text
    assert "duplicate action_id=" in text


def test_5_an_unregistered_document_is_one_line_with_the_fix(tmp_project: Path) -> None:
    replace_in(tmp_project / "data/status/2022-23-Q1.csv", ",mps-oversight-2022,", ",mps-oversight-2023,", count=-1)
    lines = [p for p in _problems() if "mps-oversight-2023" in p]
    assert len(lines) == 1, lines
    assert "add a row to data/documents.csv for 'mps-oversight-2023'" in lines[0]


def test_5_a_thousands_separator_is_called_one(tmp_project: Path) -> None:
    with pytest.raises(ValueError, match="has a thousands separator; write the number without commas \\(33077"):
        figures._number("33,077")


def test_5_excel_csv_utf8_with_bom_and_crlf_is_read(tmp_project: Path) -> None:
    path = tmp_project / "data/status/2022-23-Q1.csv"
    _write_rows(path, _rows(path), prefix=b"\xef\xbb\xbf", ending="\r\n")
    frame = status.load_status("2022-23-Q1", register.load_register())
    assert "\r" not in "".join(frame["update"])


def test_5_status_words_with_capitals_and_spaces_are_read(tmp_project: Path) -> None:
    replace_in(tmp_project / "data/status/2022-23-Q1.csv", "2022-23-Q1,1.a,delivered,", "2022-23-Q1,1.a, Delivered ,")
    frame = status.load_status("2022-23-Q1", register.load_register())
    assert frame.at["1.a", "stage"] == "delivered"


def test_5_a_bad_status_word_names_the_action(tmp_project: Path) -> None:
    replace_in(tmp_project / "data/status/2022-23-Q1.csv", "2022-23-Q1,1.a,delivered,", "2022-23-Q1,1.a,done,")
    with pytest.raises(InputError, match=r"line 2 \(action 1.a\), column 'stage': unknown stage word"):
        status.load_status("2022-23-Q1", register.load_register())


def test_5_an_mps_action_number_as_action_id_gets_the_register_id(tmp_project: Path) -> None:
    replace_in(tmp_project / "data/status/2022-23-Q1.csv", "2022-23-Q1,1.a,", "2022-23-Q1,6,")
    with pytest.raises(InputError, match=r"'6' is not in the action register.*register MPS action 6 is 2.g"):
        status.load_status("2022-23-Q1", register.load_register())


def test_5_validate_groups_problems_by_file() -> None:
    problems = [
        documents.Problem("a.csv", "line 2", "x"),
        documents.Problem("b.csv", "line 3", "y"),
        documents.Problem("a.csv", "line 4", "z"),
    ]
    assert validate.grouped(problems).splitlines() == [
        "a.csv (2 problems):",
        "  a.csv, line 2: x",
        "  a.csv, line 4: z",
        "b.csv (1 problem):",
        "  b.csv, line 3: y",
    ]


# 6. README silent or wrong; a new folder published drwx------


@pytest.mark.parametrize(
    "model",
    [
        documents.DocumentRow,
        register.ActionRow,
        status.StatusRow,
        figures.FigureRow,
        figures.TargetRow,
        figures.MeasureRow,
    ],
    ids=lambda m: m.__name__,
)
def test_6_readme_describes_every_column(model: type) -> None:
    table = README.split("### Data files and columns")[1].split("\n## ")[0]
    missing = [column for column in model.model_fields if f"`{column}`" not in table]
    assert not missing


@pytest.mark.parametrize("topic", ["doc id", "restate", "NOTES.md", "police.uk months", "blank line", "What to commit"])
def test_6_readme_answers_what_the_analyst_asked(topic: str) -> None:
    assert topic.lower() in README.lower()


def test_6_a_published_folder_is_readable_by_all() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tempfile.mkdtemp(dir=tmp))
        (folder / "sub").mkdir()
        (folder / "sub" / "page.html").write_text("x", encoding="utf-8")
        publish.public_permissions(folder)
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755
        assert stat.S_IMODE((folder / "sub").stat().st_mode) == 0o755
        assert stat.S_IMODE((folder / "sub" / "page.html").stat().st_mode) == 0o644


# 7. diff printed comparisons of comparisons and two identical prefixes


def test_7_changed_text_is_a_word_diff() -> None:
    old = "The review of stop and search in Lambeth is on track and will report in June 2022 to the board of MOPAC."
    new = "The review of stop and search in Lambeth is complete and reported in September 2022 to the board of MOPAC."
    line = diff.cell_change("Update", old, new)
    assert "[-on track-] {+complete+}" in line and "[-June-] {+September+}" in line
    assert old[:60] not in line


def test_7_diff_does_not_compare_the_change_tables(tmp_project: Path) -> None:
    lines = diff.diff_quarters("2021-22-Q4", "2022-23-Q1")
    assert not [line for line in lines if "Status changes" in line]


def test_7_diff_opens_each_report_with_its_status_moves(tmp_project: Path) -> None:
    lines = diff.diff_quarters("2021-22-Q4", "2022-23-Q1")
    start = lines.index("\nprogress_report:")
    assert lines[start + 1].startswith(" status moves (")
    assert any(line.startswith("  in progress -> delivered: ") and "1.a" in line for line in lines)


def test_4_a_status_update_checked_before_is_checked_again_when_its_document_changes(tmp_project: Path) -> None:
    """The check is kept for the run (on disk, for the kernels), under the content of every file it reads."""
    from mapreport.core.hashing import sha256_file
    from mapreport.sources import memo

    assert "1.a" in status.load_status("2022-23-Q1", register.load_register()).index
    document = tmp_project / "data/documents/mps-oversight-2022.txt"
    before = sha256_file(document)
    replace_in(document, "completed this pilot and shared the report", "completed this pilot and shared a report")
    replace_in(tmp_project / "data/documents.csv", before, sha256_file(document))  # registered as it now is
    memo._PARSED.clear()  # as a new kernel starts: what the run kept is on disk
    with pytest.raises(InputError, match=r"line 2 \(action 1.a\), column 'update': is not in the text of"):
        status.load_status("2022-23-Q1", register.load_register())
