"""Render every quarter three ways and print medians and ratios (issue 5's speed goals).

    python benchmarks/run_all.py [--repeats 3] [--warm-repeats 5]

1. naive: the papermill CLI then `jupyter nbconvert --to html`, one notebook after another;
2. cold: `mapreport run --all --force` (parallel kernels, one converter per worker);
3. warm: `mapreport run --all` with nothing changed (dependency keys match; nothing executes).
Also the floor: the notebooks' code cells executed in one already-warm Python process, and the peak memory
(summed resident memory of the run's process tree, sampled every 50 ms).
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
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
GOALS = {"cold_vs_naive": 1.8, "warm_vs_naive": 100.0, "warm_seconds": 1.0, "peak_mb": 1024.0}


def tree_rss_mb(root_pid: int) -> float:
    """Summed resident memory of a process and all its descendants, from /proc."""
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
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 2**20


def _sample(pid: int, stop: threading.Event, peaks: list[float]) -> None:
    while not stop.is_set():
        peaks.append(tree_rss_mb(pid))
        time.sleep(0.05)


def timed(commands: list[list[str]], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Run commands one after another; return wall seconds and the peak summed memory of their process trees."""
    peaks: list[float] = [0.0]
    start = time.perf_counter()
    for command in commands:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stop = threading.Event()
        sampler = threading.Thread(target=_sample, args=(process.pid, stop, peaks))
        sampler.start()
        _, err = process.communicate()
        stop.set()
        sampler.join()
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{err.decode()[-2000:]}")
    return time.perf_counter() - start, max(peaks)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--warm-repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mapreport-bench-") as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        for name in ("params", "data", "notebooks", "reports"):
            if (PROJECT / name).exists():
                shutil.copytree(PROJECT / name, root / name)
        env = {**os.environ, "MAPREPORT_ROOT": str(root), "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
        os.environ.update({"MAPREPORT_ROOT": str(root), "MPLBACKEND": "Agg"})
        mapreport = [sys.executable, "-m", "mapreport", "run", "--all"]
        results: dict[str, list[float]] = {"naive": [], "cold": [], "warm": []}
        peaks: dict[str, float] = {}
        for label, build, repeats in [
            ("naive", lambda out: naive_commands(root, out), args.repeats),
            ("cold", lambda out: [[*mapreport, "--force"]], args.repeats),
            ("warm", lambda out: [mapreport], args.warm_repeats),
        ]:
            for _ in range(repeats):
                with tempfile.TemporaryDirectory() as out:
                    seconds, peak = timed(build(Path(out)), env, root)
                results[label].append(seconds)
                peaks[label] = max(peaks.get(label, 0.0), peak)
        floor = floor_seconds(root)
    naive, cold, warm = (statistics.median(results[k]) for k in ("naive", "cold", "warm"))
    print(f"machine: {os.cpu_count()} cores; repeats: {args.repeats} (warm {args.warm_repeats})")
    for label in ("naive", "cold", "warm"):
        runs = ", ".join(f"{s:.2f}" for s in results[label])
        print(
            f"{label:>5}: median {statistics.median(results[label]):7.2f} s  (runs: {runs}; peak memory {peaks[label]:.0f} MB)"
        )
    print(f"floor: median {floor:7.2f} s  (notebook code cells in one warm process)")
    print(f"cold vs naive: {naive / cold:6.2f}x faster (goal >= {GOALS['cold_vs_naive']}x)")
    print(
        f"warm vs naive: {naive / warm:6.1f}x faster (goal >= {GOALS['warm_vs_naive']:.0f}x); warm {warm:.2f} s (goal < {GOALS['warm_seconds']} s)"
    )
    print(f"cold vs floor: {cold / floor:6.2f}x the floor ({cold - floor:.2f} s of kernels, imports and rendering)")
    print(f"peak memory: {max(peaks.values()):.0f} MB (goal < {GOALS['peak_mb']:.0f} MB)")


if __name__ == "__main__":
    main()
