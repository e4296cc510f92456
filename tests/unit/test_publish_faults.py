"""A failure injected before every step of a publish never loses the published edition.

Each step of `publish.publish` is preceded by a call of `publish.step(name)`; the tests make that call raise, either
an OSError (a disk error: the run reports it and carries on to a clean exit) or a `Crash` (a BaseException that no
handler catches, standing in for SIGKILL: nothing after it runs). Both ways of swapping are covered: the atomic
exchange and, for systems without renameat2, the two journalled renames. After every fault, reports/<quarter> is
the previous edition or the new one, whole; and after the next run's recovery no leftovers remain.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mapreport.core import paths
from mapreport.core.errors import RunError
from mapreport.core.params import load_params
from mapreport.pipeline import publish
from mapreport.pipeline.plan import QuarterPlan
from tests.conftest import file_hashes

QUARTER = "2022-23-Q1"
EXCHANGE_STEPS = ["write manifest", "exchange", "remove previous edition"]
RENAME_STEPS = [
    "write manifest",
    "exchange",
    "move previous edition aside",
    "rename new edition in",
    "remove previous edition",
]
FIRST_EDITION_STEPS = ["write manifest", "rename new edition in"]


class Crash(BaseException):
    """The process stops here: no handler runs, as after SIGKILL."""


def _staged(root: Path) -> Path:
    staging = paths.work_dir() / "staging" / f"{QUARTER}-test"
    staging.parent.mkdir(parents=True, exist_ok=True)
    if (root / "reports" / QUARTER).exists():
        shutil.copytree(root / "reports" / QUARTER, staging)
    else:
        staging.mkdir()
    (staging / "progress_report.html").write_text("<!DOCTYPE html><title>the new edition</title>\n", encoding="utf-8")
    return staging


def _inject(monkeypatch: pytest.MonkeyPatch, at: str, fault: type[BaseException], exchange: bool) -> list[str]:
    seen: list[str] = []

    def step(name: str) -> None:
        seen.append(name)
        if name == at:
            raise fault(28, "No space left on device") if fault is OSError else fault()

    monkeypatch.setattr(publish, "step", step)
    if not exchange:
        monkeypatch.setattr(publish, "_exchange", lambda first, second: False)
    return seen


CASES = [
    *[("exchange", step, fault) for step in EXCHANGE_STEPS for fault in (OSError, Crash)],
    *[("two renames", step, fault) for step in RENAME_STEPS if step != "exchange" for fault in (OSError, Crash)],
    *[("first edition", step, fault) for step in FIRST_EDITION_STEPS for fault in (OSError, Crash)],
]


@pytest.mark.parametrize(("mode", "at", "fault"), CASES, ids=[f"{m}-{s}-{f.__name__}" for m, s, f in CASES])
def test_a_fault_before_any_publish_step_never_loses_the_edition(
    tmp_project: Path, monkeypatch: pytest.MonkeyPatch, mode: str, at: str, fault: type[BaseException]
) -> None:
    published = tmp_project / "reports" / QUARTER
    if mode == "first edition":
        shutil.rmtree(published)
    old = file_hashes(published) if published.exists() else None
    staging = _staged(tmp_project)
    plan = QuarterPlan(load_params(QUARTER), {}, [])
    seen = _inject(monkeypatch, at, fault, exchange=mode == "exchange")

    if fault is OSError and at == "remove previous edition":  # published already: only a leftover remains
        publish.publish(plan, staging, {})
    else:
        with pytest.raises(RunError if fault is OSError else Crash):
            publish.publish(plan, staging, {})
    assert seen[-1] == at, f"step {at!r} was not reached: {seen}"

    new_html = "<!DOCTYPE html><title>the new edition</title>\n"
    if published.exists():
        now = file_hashes(published)
        is_new = (published / "progress_report.html").read_text(encoding="utf-8") == new_html
        assert now == old or (is_new and "manifest.json" in now), "reports/<quarter> is a mixture"
    else:  # only a crash between the two renames, or before a first edition exists, leaves it missing
        assert (mode, at, fault) in {("two renames", "rename new edition in", Crash)} or old is None
        if old is not None:
            assert publish.interrupted(QUARTER) is not None

    monkeypatch.undo()  # the next run, of any quarter, recovers
    publish.recover_all(skip=set())
    if old is not None:
        assert published.is_dir(), "the edition is missing after recovery"
        now = file_hashes(published)
        assert now == old or (published / "progress_report.html").read_text(encoding="utf-8") == new_html
    assert not list((paths.work_dir() / "previous").glob("*")), "the previous edition was left in the work folder"
    assert not list((paths.work_dir() / "journal").glob("*")), "a journal was left"


def test_without_faults_the_exchange_publishes_the_new_edition_and_leaves_nothing_behind(tmp_project: Path) -> None:
    staging = _staged(tmp_project)
    publish.publish(QuarterPlan(load_params(QUARTER), {}, []), staging, {})
    published = tmp_project / "reports" / QUARTER
    assert "the new edition" in (published / "progress_report.html").read_text(encoding="utf-8")
    assert (published / "manifest.json").is_file()
    assert not staging.exists()


def test_a_disk_error_between_the_two_renames_puts_the_previous_edition_back_at_once(
    tmp_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = tmp_project / "reports" / QUARTER
    old = file_hashes(published)
    _inject(monkeypatch, "rename new edition in", OSError, exchange=False)
    with pytest.raises(RunError, match=f"could not publish {QUARTER}: No space left on device.*is unchanged"):
        publish.publish(QuarterPlan(load_params(QUARTER), {}, []), _staged(tmp_project), {})
    assert file_hashes(published) == old
