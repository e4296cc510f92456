"""Time police.uk ingestion and the equality annex notebook.

1. Loading and counting the police.uk files of a quarter (2022-23-Q1: 3 Metropolitan Police months) and of its
   12-month view (every Metropolitan and City of London Police file held for July 2021 to June 2022), each parsed
   from disk; then the same loaded through the on-disk cache of parsed months (keyed by each file's SHA-256).
2. Executing notebooks/equality_annex.ipynb for 2022-23-Q1 with papermill, in a fresh kernel, as `mapreport run`
   does (without the HTML rendering), median of a few runs. With `--baseline DIR` (a checkout of another commit,
   e.g. `git archive <commit> | tar -x -C DIR`), the same is timed for that checkout's notebook and code, and the
   ratio printed: the goal is under 1.3 times the baseline.

Run: python3 benchmarks/ingest.py [--baseline DIR] [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mapreport.core import paths
from mapreport.core.params import load_params
from mapreport.core.periods import Quarter
from mapreport.sources import published, stopsearch

QUARTER = "2022-23-Q1"
GOAL_RATIO = 1.3
KERNEL_ENV = {"PYTHONHASHSEED": "0", "COLUMNS": "100", "LINES": "40", "MPLBACKEND": "Agg", "TZ": "UTC"}


def median_seconds(task: Callable[[], object], repeats: int) -> float:
    task()  # warm-up: imports, the operating system's file cache
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ingest(files: list[Path]) -> int:
    """Parse every file from disk (bypassing the in-process cache) and count by ethnicity and outcome."""
    records = stopsearch.pd.concat([stopsearch.load_month(f) for f in files], ignore_index=True)
    for definition in stopsearch.DEFINITIONS:
        stopsearch.searches_by_ethnicity(records, definition)
        stopsearch.outcomes_by_ethnicity(records, definition)
    return len(records)


def annex_runner(root: Path, folder: Path) -> Callable[[], None]:
    """A function executing root's annex notebook for QUARTER in a fresh kernel, with root's own code and data."""
    import json
    import subprocess

    import papermill

    env = {**os.environ, **KERNEL_ENV, paths.ROOT_ENV: str(root), "PYTHONPATH": str(root / "src")}
    code = (
        "import json; from mapreport.core.params import load_params; "
        f"print(json.dumps(load_params({QUARTER!r}).notebook_parameters()))"
    )
    parameters = json.loads(
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    )

    def run() -> None:
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            papermill.execute_notebook(
                str(root / "notebooks" / "equality_annex.ipynb"),
                str(folder / "out.ipynb"),
                parameters=parameters,
                kernel_name="python3",
                progress_bar=False,
                cwd=str(folder),
            )
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    return run


def time_annex(roots: list[Path], repeats: int) -> list[float]:
    """Median seconds per root, the roots' runs interleaved (A B A B ...) so that load on the machine hits both."""
    with tempfile.TemporaryDirectory() as folder:
        runners = [annex_runner(root, Path(folder)) for root in roots]
        for run in runners:
            run()  # warm-up: the operating system's file cache, the parsed-month cache
        times: list[list[float]] = [[] for _ in roots]
        for _ in range(repeats):
            for run, spent in zip(runners, times, strict=True):
                start = time.perf_counter()
                run()
                spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="a checkout of another commit to time the annex against")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    quarter = Quarter.parse(QUARTER)
    load_params(QUARTER)  # the params are valid
    window = published.stop_search_files(quarter)
    own = [
        f for f in window if published.STOP_SEARCH_PATTERN.match(f.name)["month"] in published.quarter_months(quarter)
    ]  # type: ignore[index]
    own = [f for f in own if f.name.endswith(f"-{published.MET}-stop-and-search.csv")]
    rows_q = ingest(own)
    rows_w = ingest(window)
    quarter_s = median_seconds(lambda: ingest(own), 5)
    window_s = median_seconds(lambda: ingest(window), 5)
    print(f"quarter {QUARTER}: {len(own)} Metropolitan Police files, {rows_q:,} records: median {quarter_s:.3f} s")
    print(f"12-month view: {len(window)} files (both forces), {rows_w:,} records: median {window_s:.3f} s")
    stopsearch.load_months(window)  # fills the parsed-month cache (.mapreport-work/cache/police-uk/)
    cached_q = median_seconds(lambda: stopsearch.load_months(own), 5)
    cached_w = median_seconds(lambda: stopsearch.load_months(window), 5)
    print(f"the same through the cache keyed by file hash: quarter {cached_q:.3f} s; 12-month view {cached_w:.3f} s")
    roots = [paths.project_root(), *([args.baseline.resolve()] if args.baseline else [])]
    medians = time_annex(roots, args.repeats)
    current = medians[0]
    print(f"annex notebook, {QUARTER}, this checkout: median {current:.2f} s over {args.repeats} runs")
    if args.baseline:
        before = medians[1]
        ratio = current / before
        print(
            f"annex notebook, {QUARTER}, baseline {args.baseline}: median {before:.2f} s; "
            f"ratio {ratio:.2f} (goal under {GOAL_RATIO})"
        )


if __name__ == "__main__":
    main()
