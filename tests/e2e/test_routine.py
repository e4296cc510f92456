"""The analyst's routine of README.md, end to end through the real command, on a copy of the project (issue 14).

`new-quarter` for a quarter after the latest one, with a new document; the worksheet filled as a spreadsheet saves
it; `validate`; `run` (the progress update only, to keep the test short); `diff`; and, unchanged, the unit tests
whose outcome depends on which quarters have params (those that load params or validate), on the copy with its new
quarter (the whole unit tier there takes minutes; README's full command is run on the real project).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mapreport.core import paths
from mapreport.core.periods import Quarter
from tests.conftest import PROJECT, TEST_DATA, copy_project, quarters_with_params

DOCUMENT = TEST_DATA / "routine" / "mps-update-example.txt"
DOC_ID = "mps-oversight-example"
READINGS = {
    "1.a": ("delivered", "no date given"),
    "2.g": ("delivered", "no date given"),
    "3.c": ("in progress", "on time"),
}


def mapreport(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, paths.ROOT_ENV: str(root)}
    return subprocess.run(
        [sys.executable, "-m", "mapreport", *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )


def fill(sheet: Path) -> None:
    """What the analyst does in a spreadsheet: set stage and schedule of the rows reported on, delete the others;
    saved as Excel's "CSV UTF-8" (byte-order mark, Windows line endings, a capital in a word)."""
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    header, kept = rows[0], [rows[0]]
    for row in rows[1:]:
        if row[header.index("action_id")] in READINGS:
            stage, schedule = READINGS[row[header.index("action_id")]]
            row[header.index("stage")], row[header.index("schedule")] = stage.capitalize() + " ", schedule
            kept.append(row)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(kept)
    sheet.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))


@pytest.fixture(scope="module")
def routine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = copy_project(PROJECT, tmp_path_factory.mktemp("routine") / "project")
    latest = quarters_with_params(root)[-1]
    quarter = str(Quarter.parse(latest).shifted(1))
    sheet = root / "data" / "status" / f"{quarter}.csv"
    steps: dict[str, object] = {"root": root, "latest": latest, "quarter": quarter}
    steps["new"] = mapreport(
        root, "new-quarter", quarter, "--document", str(DOCUMENT), "--doc-id", DOC_ID,
        "--title", "MPS paper to the Oversight Board (test fixture)", "--published", "2022-10",
    )  # fmt: skip
    steps["again"] = mapreport(root, "new-quarter", quarter)
    steps["unreviewed"] = mapreport(root, "validate", "--quarter", quarter)
    steps["prefilled"] = {r["action_id"]: r["update"] for r in csv.DictReader(io.StringIO(sheet.read_text("utf-8")))}
    fill(sheet)
    steps["validate"] = mapreport(root, "validate", "--quarter", quarter)
    steps["run"] = mapreport(root, "run", "--quarter", quarter, "--report", "progress_report")
    steps["diff"] = mapreport(root, "diff", latest, quarter)
    return steps


def test_new_quarter_writes_params_document_and_worksheet(routine: dict[str, object]) -> None:
    root, quarter, latest = Path(str(routine["root"])), routine["quarter"], routine["latest"]
    assert routine["new"].returncode == 0, routine["new"].stderr  # type: ignore[attr-defined]
    params = (root / "params" / f"{quarter}.yaml").read_text(encoding="utf-8")
    assert f"quarter: {quarter}" in params and f"previous_quarter: {latest}" in params
    assert (root / "data" / "documents" / f"{DOC_ID}.txt").read_bytes() == DOCUMENT.read_bytes()
    assert DOC_ID in (root / "data" / "documents.csv").read_text(encoding="utf-8")


def test_the_worksheet_is_prefilled_from_the_action_blocks(routine: dict[str, object]) -> None:
    prefilled = routine["prefilled"]
    assert isinstance(prefilled, dict)
    assert prefilled["2.g"].startswith("The Handbook of Engagement was published on the MPS website in August 2022")
    assert "\n\nIt will be reviewed with community members" in prefilled["2.g"]
    assert prefilled["1.b"] == ""


def test_new_quarter_twice_refuses_to_overwrite(routine: dict[str, object]) -> None:
    again = routine["again"]
    assert again.returncode == 2 and "already exists; new-quarter never overwrites" in again.stderr  # type: ignore[attr-defined]


def test_validate_refuses_unreviewed_rows_naming_them(routine: dict[str, object]) -> None:
    result = routine["unreviewed"]
    assert result.returncode == 2  # type: ignore[attr-defined]
    assert "row(s) not reviewed yet: 1.a (line 2), 1.b (line 3)" in result.stderr  # type: ignore[attr-defined]


def test_validate_then_run_pass_once_the_worksheet_is_filled(routine: dict[str, object]) -> None:
    assert routine["validate"].returncode == 0, routine["validate"].stderr  # type: ignore[attr-defined]
    assert routine["run"].returncode == 0, routine["run"].stderr  # type: ignore[attr-defined]
    folder = Path(str(routine["root"])) / "reports" / str(routine["quarter"])
    page = (folder / "progress_report.html").read_text(encoding="utf-8")
    assert "The Handbook of Engagement was published on the MPS website" in page
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.rglob("*") if p.is_file()} == {0o644}
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.rglob("*") if p.is_dir()} <= {0o755}


def test_diff_shows_the_status_moves(routine: dict[str, object]) -> None:
    out = routine["diff"].stdout  # type: ignore[attr-defined]
    assert routine["diff"].returncode == 0, routine["diff"].stderr  # type: ignore[attr-defined]
    assert "in progress -> delivered: 2.g" in out
    assert "Status changes" not in out


def test_unit_tests_over_quarters_pass_unchanged_with_the_new_quarter(routine: dict[str, object]) -> None:
    root = Path(str(routine["root"]))
    for name in ("tests", "src", "pyproject.toml", "conftest.py", "README.md"):
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    env = {k: v for k, v in os.environ.items() if k != paths.ROOT_ENV} | {"PYTHONPATH": str(root / "src")}
    over_quarters = [
        str(path.relative_to(root))
        for path in sorted((root / "tests" / "unit").glob("test_*.py"))
        if re.search(r"quarters_with_params|available_quarters|held_quarters", path.read_text(encoding="utf-8"))
    ]  # the unit tests that take their quarters from params/ or data/status/: the ones a new quarter reaches
    assert len(over_quarters) >= 2, over_quarters
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-m", "unit", "-n", "0", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
         *over_quarters],
        cwd=root, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
