from pathlib import Path

from mapreport.pipeline.diff import diff_quarters, report_tables
from mapreport.reports.registry import names


def test_tables_are_read_back_by_caption_with_quarters_masked(tmp_project: Path) -> None:
    tables = report_tables(tmp_project / "reports/2022-23-Q1/progress_report.ipynb")
    counts = tables["Data for the chart: Actions by latest known stage, <quarter>"]
    assert counts.header == ["Stage", "Actions", "Updated this quarter", "Carried forward"]
    assert counts.rows[-1][0] == "delivered"


def test_diff_reports_the_change_in_delivered_actions(tmp_project: Path) -> None:
    text = "\n".join(diff_quarters("2021-22-Q4", "2022-23-Q1"))
    assert "progress_report:" in text
    assert "~ delivered: Actions: '9' -> '13'" in text


def test_diff_of_a_quarter_with_itself_finds_no_change(tmp_project: Path) -> None:
    lines = diff_quarters("2022-23-Q1", "2022-23-Q1")
    assert lines.count(" no table changed") == len(names())
