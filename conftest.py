"""Collection-wide settings for every pytest run, whatever paths it is given (tests/ or the notebooks in reports/):
the kernels' environment, each test's tier marker, and the number of pytest-xdist workers. Fixtures live in
tests/conftest.py."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path

import pytest

from mapreport.pipeline import warmkernel
from mapreport.pipeline.execute import KERNEL_ENV
from mapreport.sources.memo import CACHE_ENV

TESTS = Path(__file__).resolve().parent / "tests"
# Test tiers, by folder (README.md, 'Tests and golden outputs'): tests/unit/ (no kernels, no CLI subprocess, no
# browser; seconds), tests/integration/ (the CLI and the bad-input corpus), tests/e2e/ (real renders, crash tests,
# browser). nbval's items over reports/*/*.ipynb re-execute notebooks in kernels, so they are e2e too.
TIERS = ("unit", "integration", "e2e")
WARM_KERNEL = "mapreport-warm"
# Kernels started by nbval get the environment of the kernels `mapreport run` starts: same seed, width and time zone.
os.environ.update(KERNEL_ENV)
# Parsed published files are shared by every test project and kernel of the session (content-addressed, so safe).
os.environ.setdefault(CACHE_ENV, str(Path(tempfile.gettempdir()) / f"mapreport-tests-parsed-{os.getuid()}"))


def tier_of(path: Path) -> str:
    """The tier of a collected test file: its folder under tests/; nbval's notebooks under reports/ are e2e.

    A module directly in tests/ (not yet filed into a tier folder) counts as unit.
    """
    try:
        parts = path.resolve().relative_to(TESTS).parts
    except ValueError:
        return "e2e"
    return parts[0] if len(parts) > 1 and parts[0] in TIERS else "unit"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test with its tier, so that `pytest -m unit` (or integration, e2e) selects one tier."""
    for item in items:
        item.add_marker(tier_of(Path(item.path)))


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker more than there are cores. Many tests wait on subprocesses, kernels and the browser, so a
    third worker on two cores finishes README's test command about a fifth sooner (measured: 189 s -> 166 s)."""
    return (os.cpu_count() or 1) + 1


_warm: ExitStack | None = None


def pytest_configure(config: pytest.Config) -> None:
    """nbval's kernels use the warm kernelspec (see `pytest_collection_finish`)."""
    if getattr(config.option, "nbval_kernel_name", "absent") is None:
        config.option.nbval_kernel_name = WARM_KERNEL


def pytest_collection_finish(session: pytest.Session) -> None:
    """Kernels of this test process (nbval's and every `mapreport run` a test starts) are forked from one warm
    template (mapreport.pipeline.warmkernel): each is still a fresh kernel with a fresh namespace, without paying the
    pandas/matplotlib imports again. The template starts only where a selected test may start a kernel (not for
    `-m unit`), and the controller of pytest-xdist, which runs no test, starts none."""
    global _warm
    config = session.config
    if os.environ.get("PYTEST_XDIST_WORKER") is None and config.getoption("numprocesses", default=None):
        return
    if _warm is not None or all(item.get_closest_marker("unit") for item in session.items):
        return
    _warm = ExitStack()
    _warm.enter_context(warmkernel.template(KERNEL_ENV))
    spec = Path(tempfile.mkdtemp(prefix="mapreport-kernelspec-"))
    (spec / "kernels" / WARM_KERNEL).mkdir(parents=True)
    argv = warmkernel.command("{connection_file}")
    kernel = {"argv": argv, "display_name": "Python 3 (mapreport, warm)", "language": "python"}
    (spec / "kernels" / WARM_KERNEL / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    _warm.callback(shutil.rmtree, spec, ignore_errors=True)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(spec), os.environ.get("JUPYTER_PATH")]))


def pytest_unconfigure(config: pytest.Config) -> None:
    if _warm is not None:
        _warm.close()
