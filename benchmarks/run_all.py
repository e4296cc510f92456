"""Render every quarter three ways and print medians and ratios against the speed goals.

    python benchmarks/run_all.py [--repeats 3] [--warm-repeats 5] [--baseline REV]

1. naive: the papermill CLI then `jupyter nbconvert --to html`, one notebook after another;
2. cold: `mapreport run --all --force` (parallel kernels, one converter per worker);
3. warm: `mapreport run --all` with nothing changed (dependency keys match; nothing executes).
Also the floor: the notebooks' code cells executed in one already-warm Python process (in a fresh interpreter,
like the baseline's); and the peak memory of the run's process tree, sampled every 50 ms in one more run of each kind
(sampling takes CPU, so the timed runs do not sample), as summed resident memory
(RSS: counts each page shared by forked kernels once per process) and as proportional memory (PSS: each shared page
split between its sharers, so the sum is the memory the run really holds).
With --baseline REV (e.g. the commit before a speed change), the floor is also measured, in the same run, on that
commit's code and project (checked out in a temporary git worktree), and the floor goal is judged against it.
Works on a throwaway copy of the project so the published reports/ are never touched.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
GOALS = {"cold_vs_floor": 1.3, "floor_share": 0.5, "warm_seconds": 0.35, "peak_mb": 1024.0}
FLOOR_BEFORE = 14.7
"""The floor measured on the code before the speed work (9 notebooks), when no --baseline is given."""


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_memory_mb(root_pid: int) -> tuple[float, float]:
    """Summed resident (RSS) and proportional (PSS) memory of a process and all its descendants, from /proc.

    The kernels forked from the warm template share its pages; RSS counts a shared page in every process, PSS
    divides it between them."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total_rss, total_pss, stack = 0, 0, [root_pid]
    while stack:
        pid = stack.pop()
        total_rss += rss.get(pid, 0)
        total_pss += _pss_kb(pid) * 1024
        stack.extend(children.get(pid, []))
    return total_rss / 2**20, total_pss / 2**20


def _sample(pid: int, stop: threading.Event, peaks: list[tuple[float, float]]) -> None:
    while not stop.is_set():
        peaks.append(tree_memory_mb(pid))
        time.sleep(0.05)


def timed(
    commands: list[list[str]], env: dict[str, str], cwd: Path, *, sample: bool = True
) -> tuple[float, float, float]:
    """Run commands one after another; return wall seconds and the peak summed RSS and PSS of their process trees
    (0 without `sample`: reading every process's memory 20 times a second takes CPU the run would have had, 1.4 s of
    a 2-core cold run, so the times are measured in runs that do not sample)."""
    peaks: list[tuple[float, float]] = [(0.0, 0.0)]
    start = time.perf_counter()
    for command in commands:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stop = threading.Event()
        sampler = threading.Thread(target=_sample, args=(process.pid, stop, peaks))
        if sample:
            sampler.start()
        _, err = process.communicate()
        stop.set()
        if sample:
            sampler.join()
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{err.decode()[-2000:]}")
    return time.perf_counter() - start, max(p[0] for p in peaks), max(p[1] for p in peaks)


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop: printed at the start and the end, so that a machine whose speed changed
    during the run (a busy host) shows it."""
    start = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i
    return time.perf_counter() - start


def naive_commands(root: Path, out: Path) -> list[list[str]]:
    sys.path.insert(0, str(PROJECT / "src"))
    from mapreport.core.params import available_quarters
    from mapreport.reports.registry import names

    commands = []
    for quarter in available_quarters():
        for notebook in names():
            executed = out / f"{quarter}-{notebook}.ipynb"
            commands.append(
                [
                    sys.executable,
                    "-m",
                    "papermill",
                    str(root / "notebooks" / f"{notebook}.ipynb"),
                    str(executed),
                    "-f",
                    str(root / "params" / f"{quarter}.yaml"),
                    "--cwd",
                    str(out),
                ]
            )
            commands.append([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(executed)])
    return commands


def floor_seconds(root: Path) -> float:
    """The notebooks' code cells run in this (warm) process: the computation with no kernels or conversion."""
    import nbformat
    import yaml

    from mapreport.core.params import available_quarters, params_path
    from mapreport.reports.registry import REPORTS

    cells = {
        report.name: [
            c.source
            for c in nbformat.read(report.template, as_version=4).cells
            if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
        ]
        for report in REPORTS
    }

    def once() -> float:
        start = time.perf_counter()
        for quarter in available_quarters():
            params = yaml.safe_load(params_path(quarter).read_text())
            for sources in cells.values():
                namespace = dict(params)
                with contextlib.redirect_stdout(io.StringIO()):  # display() outside a kernel prints reprs
                    for source in sources:
                        exec(compile(source, "<cell>", "exec"), namespace)  # our own templates
        return time.perf_counter() - start

    once()  # warm: imports, caches
    return statistics.median(once() for _ in range(3))


def floor_in_fresh_python(root: Path, src: Path) -> float:
    """The floor of the project at `root` with the mapreport package at `src`, in a new interpreter (so two versions
    of the code can be measured in one run)."""
    env = {**os.environ, "MAPREPORT_ROOT": str(root), "PYTHONPATH": str(src), "MPLBACKEND": "Agg"}
    env.pop("MAPREPORT_PARSED_CACHE", None)  # the project's own work folder, as a user's run has
    script = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import run_all; from pathlib import Path; print(run_all.floor_seconds(Path({str(root)!r})))"
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"measuring the floor in {root} failed:\n{result.stderr[-2000:]}")
    return float(result.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def baseline_checkout(revision: str) -> Iterator[Path]:
    """A temporary git worktree of `revision` (its code and its project), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="mapreport-baseline-")) / "checkout"
    subprocess.run(["git", "worktree", "add", "--detach", str(folder), revision], cwd=PROJECT, check=True,
                   capture_output=True)  # fmt: skip
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=PROJECT, check=False,
                       capture_output=True)  # fmt: skip
        shutil.rmtree(folder.parent, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--warm-repeats", type=int, default=5)
    parser.add_argument("--baseline", help="a git revision whose floor is measured in the same run (e.g. b508095)")
    args = parser.parse_args()
    speed_before = machine_speed()
    with tempfile.TemporaryDirectory(prefix="mapreport-bench-") as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        for name in ("params", "data", "notebooks", "reports"):
            if (PROJECT / name).exists():
                shutil.copytree(PROJECT / name, root / name)
        env = {**os.environ, "MAPREPORT_ROOT": str(root), "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
        env.pop("MAPREPORT_PARSED_CACHE", None)
        mapreport = [sys.executable, "-m", "mapreport", "run", "--all"]
        results: dict[str, list[float]] = {"naive": [], "cold": [], "warm": []}
        rss: dict[str, float] = {}
        pss: dict[str, float] = {}
        for label, build, repeats in [
            ("naive", lambda out: naive_commands(root, out), args.repeats),
            ("cold", lambda out: [[*mapreport, "--force"]], args.repeats),
            ("warm", lambda out: [mapreport], args.warm_repeats),
        ]:
            for run in range(repeats + 1):  # the last run measures memory only
                with tempfile.TemporaryDirectory() as out:
                    seconds, peak_rss, peak_pss = timed(build(Path(out)), env, root, sample=run == repeats)
                if run < repeats:
                    results[label].append(seconds)
                rss[label] = max(rss.get(label, 0.0), peak_rss)
                pss[label] = max(pss.get(label, 0.0), peak_pss)
        floor = floor_in_fresh_python(root, PROJECT / "src")
        before, before_label = FLOOR_BEFORE, f"{FLOOR_BEFORE} s measured before the speed work"
        if args.baseline:
            with baseline_checkout(args.baseline) as checkout:
                before = floor_in_fresh_python(checkout, checkout / "src")
            before_label = f"{before:.2f} s, the floor of {args.baseline} measured in this run"
    naive, cold, warm = (statistics.median(results[k]) for k in ("naive", "cold", "warm"))
    print(
        f"machine: {os.cpu_count()} cores; repeats: {args.repeats} (warm {args.warm_repeats}); speed: a fixed loop "
        f"took {speed_before:.2f} s before and {machine_speed():.2f} s after"
    )
    for label in ("naive", "cold", "warm"):
        runs = ", ".join(f"{s:.2f}" for s in results[label])
        print(
            f"{label:>5}: median {statistics.median(results[label]):7.2f} s  (runs: {runs}; peak memory "
            f"{rss[label]:.0f} MB RSS, {pss[label]:.0f} MB PSS)"
        )
    print(f"floor: median {floor:7.2f} s  (notebook code cells in one warm process)")
    print(f"cold vs naive: {naive / cold:6.2f}x faster; warm vs naive: {naive / warm:6.1f}x faster")
    print(
        f"cold vs floor: {cold / floor:6.2f}x the floor (goal <= {GOALS['cold_vs_floor']}x; "
        f"{cold - floor:.2f} s of kernels, imports and rendering)"
    )
    print(f"floor vs before: {floor / before:6.0%} of {before_label} (goal <= {GOALS['floor_share']:.0%})")
    print(f"warm: {warm:.2f} s (goal < {GOALS['warm_seconds']} s)")
    print(
        f"peak memory: {max(rss.values()):.0f} MB RSS, {max(pss.values()):.0f} MB PSS "
        f"(goal < {GOALS['peak_mb']:.0f} MB)"
    )


if __name__ == "__main__":
    main()
