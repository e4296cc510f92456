"""Crash safety, for real: SIGKILL mid-notebook, two runs at once, a raising cell and a hanging cell.

Every test drives the real `mapreport run` in a subprocess on a copy of the project that has a published quarter.
To keep them quick, the copy holds only the progress report's template; a test that needs a notebook to stop, fail
or hang adds one cell to that template. The stopping cell writes its kernel's pid to a marker file (so the test
knows a kernel is executing, and can end that kernel itself afterwards) and waits for a release file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from mapreport.core import paths
from tests.conftest import PROJECT, copy_project, file_hashes, quarters_with_params

QUARTER = "2022-23-Q1"
NOTEBOOK = "progress_report"
MARKER_ENV = "MAPREPORT_TEST_MARKER"
WAITING_CELL = f"""\
import os, pathlib, time
marker = pathlib.Path(os.environ["{MARKER_ENV}"])
marker.write_text(str(os.getpid()))
for _ in range(1200):  # two minutes at most
    if marker.with_suffix(".release").exists():
        break
    time.sleep(0.1)
"""
RAISING_CELL = 'raise ValueError("a deliberate failure for the crash test")'
HANGING_CELL = "import time\ntime.sleep(600)"


def run_command(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "mapreport", "run", "--quarter", QUARTER, "--report", NOTEBOOK, *args]


def env_for(root: Path) -> dict[str, str]:
    return {**os.environ, paths.ROOT_ENV: str(root), MARKER_ENV: str(root / "kernel.pid")}


def run(root: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        run_command(root, *args), env=env_for(root), capture_output=True, text=True, timeout=timeout, check=False
    )


def start(root: Path, *args: str) -> subprocess.Popen[str]:
    """Start a run in its own process group, so that the whole run can be killed at once."""
    return subprocess.Popen(
        run_command(root, *args),
        env=env_for(root),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def add_cell(root: Path, source: str) -> None:
    """Put a code cell right after the parameters cell of the template."""
    template = root / "notebooks" / f"{NOTEBOOK}.ipynb"
    nb = nbformat.read(template, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell(source))
    nbformat.write(nb, template)


def wait_for_kernel(root: Path, process: subprocess.Popen[str], timeout: float = 120) -> int:
    """Wait until the waiting cell is executing; return its kernel's pid."""
    marker = root / "kernel.pid"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text():
            return int(marker.read_text())
        if process.poll() is not None:
            pytest.fail(f"the run ended before the kernel started (exit {process.returncode}): {process.stderr.read()}")
        time.sleep(0.1)
    pytest.fail("no kernel started executing within two minutes")


def end_kernel(pid: int) -> None:
    """End the kernel the waiting cell reported: it runs in its own session, out of reach of the run's group."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def published_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with the quarter's progress report rendered and published once (the crash tests run only it)."""
    root = copy_project(PROJECT, tmp_path_factory.mktemp("crash") / "project")
    shutil.rmtree(root / "reports" / QUARTER, ignore_errors=True)
    result = run(root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def project(published_base: Path, tmp_path: Path) -> Iterator[Path]:
    root = copy_project(published_base, tmp_path / "project")
    yield root
    if (root / "kernel.pid").exists() and (root / "kernel.pid").read_text():
        end_kernel(int((root / "kernel.pid").read_text()))


def published(root: Path) -> dict[str, str]:
    return file_hashes(root / "reports" / QUARTER)


def test_sigkill_mid_notebook_leaves_the_published_quarter_intact_and_the_next_run_succeeds(project: Path) -> None:
    before = published(project)
    assert f"{NOTEBOOK}.html" in before
    template = (project / "notebooks" / f"{NOTEBOOK}.ipynb").read_bytes()
    add_cell(project, WAITING_CELL)
    process = start(project, "--force")
    kernel = wait_for_kernel(project, process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()
    process.stderr.close()
    end_kernel(kernel)
    assert published(project) == before, "reports/ changed after the run was killed"

    (project / "notebooks" / f"{NOTEBOOK}.ipynb").write_bytes(template)
    (project / "kernel.pid").unlink()
    result = run(project, "--force")
    assert result.returncode == 0, result.stderr
    assert published(project) == before, "the rerun of the same inputs did not give the same files"
    assert not list((project / ".mapreport-work" / "previous").glob("*"))


def test_a_second_run_on_the_same_quarter_is_refused_and_the_first_succeeds(project: Path) -> None:
    add_cell(project, WAITING_CELL)
    first = start(project, "--force")
    wait_for_kernel(project, first)
    second = run(project, "--force")
    (project / "kernel.release").touch()
    _, err = first.communicate(timeout=300)
    assert second.returncode == 1, second.stderr
    assert f"another mapreport run (process {first.pid}, `mapreport run --quarter {QUARTER}" in second.stderr
    assert f"is already rendering {QUARTER}; wait for it to finish" in second.stderr
    assert "Traceback" not in second.stderr
    assert first.returncode == 0, err
    assert f"{QUARTER}: published" in err
    assert not list((project / ".mapreport-work" / "staging").glob("*")), "a staging folder was left behind"


def test_a_raising_cell_names_the_cell_and_the_error_and_keeps_the_notebook(project: Path) -> None:
    before = published(project)
    add_cell(project, RAISING_CELL)
    result = run(project, "--force")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("Run failed:") == 1, result.stderr
    assert f"notebooks/{NOTEBOOK}.ipynb for {QUARTER} failed: cell " in result.stderr
    assert f"({RAISING_CELL!r}) raised ValueError: a deliberate failure for the crash test" in result.stderr
    kept = project / ".mapreport-work" / "failed" / QUARTER / f"{NOTEBOOK}.ipynb"
    assert f"kept at {kept.relative_to(project).as_posix()}" in result.stderr
    errors = [
        o for c in nbformat.read(kept, as_version=4).cells for o in c.get("outputs", []) if o.output_type == "error"
    ]
    assert [e.ename for e in errors] == ["ValueError"]
    assert published(project) == before


def test_a_hanging_cell_is_stopped_after_the_cell_timeout(project: Path) -> None:
    before = published(project)
    add_cell(project, HANGING_CELL)
    started = time.monotonic()
    result = run(project, "--force", "--cell-timeout", "3", timeout=120)
    assert time.monotonic() - started < 60
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "a cell ran longer than the 3 s limit and was stopped (--cell-timeout sets it)" in result.stderr
    assert (project / ".mapreport-work" / "failed" / QUARTER / f"{NOTEBOOK}.ipynb").is_file()
    assert published(project) == before


def cli(root: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Any `mapreport` command on the project copy."""
    return subprocess.run(
        [sys.executable, "-m", "mapreport", *args],
        env=env_for(root),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_refused_before_executing(result: subprocess.CompletedProcess[str], message: str) -> None:
    """Refused with one message, no traceback; the raising cell added to the template never ran."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("Run failed:") == 1, result.stderr
    assert message in result.stderr, result.stderr
    assert "deliberate failure" not in result.stderr, "a notebook executed before the refusal"


def test_a_work_folder_on_another_filesystem_is_refused_before_executing(project: Path) -> None:
    elsewhere = Path(tempfile.mkdtemp(prefix="mapreport-work-", dir="/dev/shm")) if Path("/dev/shm").is_dir() else None
    if elsewhere is None or elsewhere.stat().st_dev == project.stat().st_dev:
        pytest.skip("no second filesystem (/dev/shm) to put the work folder on")
    try:
        shutil.rmtree(project / ".mapreport-work", ignore_errors=True)
        (project / ".mapreport-work").symlink_to(elsewhere)
        before = published(project)
        add_cell(project, RAISING_CELL)
        result = run(project, "--force")
        assert_refused_before_executing(result, "the work folder .mapreport-work/ is on a different filesystem from")
        assert published(project) == before
    finally:
        shutil.rmtree(elsewhere, ignore_errors=True)


def test_an_immutable_published_quarter_is_refused_before_executing(project: Path) -> None:
    folder = project / "reports" / QUARTER
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode != 0:
        pytest.skip("chattr +i is not available here (needs root and a filesystem with attributes)")
    try:
        before = published(project)
        add_cell(project, RAISING_CELL)
        result = run(project, "--force")
        assert_refused_before_executing(result, f"reports/{QUARTER} is not writable (read-only or immutable)")
        assert published(project) == before
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 40 MB tmpfs mounted for the test (needs root; skipped elsewhere)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_disk_without_room_for_the_run_is_refused_before_executing(published_base: Path, small_disk: Path) -> None:
    root = small_disk / "project"
    root.mkdir()
    for name in ("params", "notebooks", "reports"):
        shutil.copytree(published_base / name, root / name)
    (root / "data").symlink_to(published_base / "data")  # the inputs stay on the big disk; reports/ is on the small one
    before = published(root)
    add_cell(root, RAISING_CELL)
    result = run(root, "--force")
    assert_refused_before_executing(result, "MB free; a run of 2022-23-Q1 needs about")
    assert published(root) == before


def test_a_publish_interrupted_between_its_renames_is_explained_and_recovered_by_a_run_of_another_quarter(
    project: Path,
) -> None:
    before = published(project)
    previous = project / ".mapreport-work" / "previous" / QUARTER
    previous.parent.mkdir(parents=True)
    (project / "reports" / QUARTER).rename(previous)  # what a kill between the two renames leaves

    verify = cli(project, "verify", QUARTER)
    assert verify.returncode == 1 and "Traceback" not in verify.stderr
    assert f"a publish of {QUARTER} was interrupted: the previous edition is kept in .mapreport-work/previous/" in (
        verify.stderr
    )
    other = next(q for q in quarters_with_params(project) if q != QUARTER)
    diff = cli(project, "diff", other, QUARTER)
    assert diff.returncode == 1 and "was interrupted" in diff.stderr and "only in" not in diff.stdout

    result = cli(project, "run", "--quarter", other, "--report", NOTEBOOK)
    assert result.returncode == 0, result.stderr
    assert f"{QUARTER}: restored the previous edition" in result.stderr
    assert published(project) == before
    assert not previous.exists()


def test_a_plain_run_re_renders_a_tampered_output_and_a_repeated_quarter_is_run_once(project: Path) -> None:
    before = published(project)
    html = project / "reports" / QUARTER / f"{NOTEBOOK}.html"
    html.write_text(html.read_text(encoding="utf-8").replace("</body>", "<p>tampered</p></body>"), encoding="utf-8")
    result = cli(project, "run", "--quarter", QUARTER, "--quarter", QUARTER, "--report", NOTEBOOK)
    assert result.returncode == 0, result.stderr
    assert f"{NOTEBOOK}: {NOTEBOOK}.html missing or changed since published; re-rendering" in result.stderr
    assert published(project) == before
    (project / "reports" / QUARTER / f"{NOTEBOOK}.audit.html").unlink()
    result = cli(project, "run", "--quarter", QUARTER, "--report", NOTEBOOK)
    assert result.returncode == 0 and f"{NOTEBOOK}.audit.html missing or changed" in result.stderr
    assert published(project) == before
