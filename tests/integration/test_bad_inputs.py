"""The bad-input corpus: every case in tests/integration/bad_inputs/ must fail cleanly through the real command.

Each folder under tests/integration/bad_inputs/ is one case, named by its expected outcome, with a `case.yaml`:

    command: validate                # or run; the `mapreport` subcommand
    args: [--quarter, 2022-23-Q1]    # optional; this is the default
    changes:                         # applied in order to a throwaway copy of the project
      - target: data/status/2022-23-Q1.csv
        edit: {find: "...", replace: "..."}   # or replace_with: <file beside case.yaml>, or delete: true
        encoding: cp1252             # optional: re-save the target in this encoding (utf-8-sig gives a BOM)
    expect: "regex naming the file, the row or key, and what was expected"

The real CLI runs on a throwaway copy; each case must exit non-zero, print the expected message on stderr, print no
traceback (in process: end in the CLI's own exit, not an exception), keep its message short (under 4,000
characters: values are shown as excerpts), and leave reports/ byte-identical. `run` cases run the command in a
subprocess, a few at a time (one pool for the module), since a run starts processes, takes locks and publishes;
`validate` cases run the same command in this process, one after another (a subprocess would spend most of its time
importing pandas again).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from mapreport.cli import cli
from mapreport.core import paths
from tests.conftest import PROJECT, check_links, copy_project, file_hashes, link_state, replace_file

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.parent.name for p in CORPUS.glob("*/case.yaml"))
DEFAULT_ARGS = ["--quarter", "2022-23-Q1"]
TIMEOUT = 120


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    before: dict[str, str]
    after: dict[str, str]


def load_case(name: str) -> dict[str, Any]:
    case = yaml.safe_load((CORPUS / name / "case.yaml").read_text(encoding="utf-8"))
    assert case["command"] in {"validate", "run"}, f"{name}: command must be validate or run"
    assert case.get("changes") or case.get("args"), f"{name}: a case changes a file or passes its own args"
    return case


def apply_change(root: Path, case_dir: Path, change: dict[str, Any]) -> None:
    target = root / change["target"]
    if change.get("delete"):
        assert target.exists(), f"{case_dir.name}: {change['target']} does not exist to delete"
        target.unlink()
        return
    if "replace_with" in change:
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, (case_dir / change["replace_with"]).read_bytes())
    if "edit" in change:
        text = target.read_text(encoding="utf-8")
        find, replace = change["edit"]["find"], change["edit"]["replace"]
        assert find in text, f"{case_dir.name}: {find!r} not found in {change['target']}"
        replace_file(target, text.replace(find, replace, 1).encode("utf-8"))
    if "encoding" in change:
        replace_file(target, target.read_text(encoding="utf-8").encode(change["encoding"]))


def seed_reports(root: Path, quarter: str) -> None:
    """Make sure there is a published quarter to protect: the committed one, or a stand-in where none is committed."""
    published = root / "reports" / quarter
    if not published.is_dir():
        published.mkdir(parents=True)
        (published / "progress_report.html").write_text("<!DOCTYPE html><title>published</title>\n", encoding="utf-8")


def run_case(name: str, base: Path) -> Outcome:
    case = load_case(name)
    root = copy_project(PROJECT, base / name / "project", link=True)
    links = link_state(root)
    args = case.get("args", DEFAULT_ARGS)
    seed_reports(root, args[args.index("--quarter") + 1] if "--quarter" in args else "2022-23-Q1")
    for change in case.get("changes", []):
        apply_change(root, CORPUS / name, change)
    before = file_hashes(root / "reports")
    if case["command"] == "validate":
        outcome = _in_process(case["command"], args, root, before)
        check_links(root, links)
        return outcome
    env = {**os.environ, paths.ROOT_ENV: str(root)}
    result = subprocess.run(
        [sys.executable, "-m", "mapreport", case["command"], *args],
        cwd=base / name,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    check_links(root, links)
    return Outcome(result.returncode, result.stdout, result.stderr, before, file_hashes(root / "reports"))


def _in_process(command: str, args: list[str], root: Path, before: dict[str, str]) -> Outcome:
    """The command through the CLI in this process, with the copy as the project."""
    previous = os.environ.get(paths.ROOT_ENV)
    os.environ[paths.ROOT_ENV] = str(root)
    paths.project_root.cache_clear()
    try:
        result = CliRunner().invoke(cli, [command, *args])
    finally:
        if previous is None:
            os.environ.pop(paths.ROOT_ENV, None)
        else:
            os.environ[paths.ROOT_ENV] = previous
        paths.project_root.cache_clear()
    if not isinstance(result.exception, SystemExit | None):  # what a subprocess would print as a traceback
        stderr = "Traceback: " + "".join(traceback.format_exception(result.exception))
    else:
        stderr = result.stderr
    return Outcome(result.exit_code, result.stdout, stderr, before, file_hashes(root / "reports"))


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Future[Outcome]]:
    """Start every selected case at once in a small pool; each test waits for its own."""
    selected = sorted(
        {
            item.callspec.params["case"]
            for item in request.session.items
            if getattr(item, "module", None) is request.module and hasattr(item, "callspec")
        }
    )
    base = tmp_path_factory.mktemp("bad_inputs")
    pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2))
    request.addfinalizer(lambda: pool.shutdown(wait=True, cancel_futures=True))
    futures = {name: pool.submit(run_case, name, base) for name in selected if load_case(name)["command"] == "run"}
    for name in selected:  # the in-process cases, one at a time, while the pool runs the subprocesses
        if name not in futures:
            done: Future[Outcome] = Future()
            done.set_result(run_case(name, base))
            futures[name] = done
    return futures


def test_the_corpus_has_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30, CASES


@pytest.mark.parametrize("case", CASES, ids=CASES)
def test_bad_input_fails_cleanly(case: str, outcomes: dict[str, Future[Outcome]]) -> None:
    expect = load_case(case)["expect"]
    outcome = outcomes[case].result(timeout=TIMEOUT)
    shown = f"exit {outcome.returncode}\nstdout:\n{outcome.stdout}\nstderr:\n{outcome.stderr}"
    assert outcome.returncode != 0, shown
    assert "Traceback" not in outcome.stdout + outcome.stderr, shown
    assert outcome.stderr.count("Input problem:") + outcome.stderr.count("Run failed:") == 1, shown
    assert len(outcome.stderr) < 4000, f"a message of {len(outcome.stderr)} characters; show excerpts\n{shown[:4000]}"
    assert outcome.after == outcome.before, "reports/ changed"
    assert re.search(expect, outcome.stderr), f"expected /{expect}/ in stderr\n{shown}"
