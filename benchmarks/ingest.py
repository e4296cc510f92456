"""Time loading and aggregating police.uk stop and search records: one month, and a 36-month stack.

The 36-month stack repeats the real September 2022 Metropolitan file with its dates shifted month by month (for
timing only; the copies are written to a temporary folder and deleted). Run: python benchmarks/ingest.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from mapreport.core import paths
from mapreport.sources import stopsearch

GOAL_ONE_MONTH = 0.3
GOAL_36_MONTHS = 3.0
MONTHS = 36
REPEATS = 7


def real_month() -> Path:
    return paths.data_dir() / "sources" / "stop_search" / "2022-09-metropolitan-stop-and-search.csv"


def write_shifted_months(source: Path, folder: Path, months: int) -> list[Path]:
    """Copies of the file, each with every date moved by a whole number of months, named for its month."""
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    local = pd.to_datetime(frame["Date"], utc=True).dt.tz_convert(stopsearch.TIME_ZONE).dt.tz_localize(None)
    written = []
    for shift in range(months):
        # Shift London wall-clock time, then back to UTC (times in a clock change's gap or overlap moved forward).
        shifted = (local + pd.DateOffset(months=-shift)).dt.tz_localize(
            stopsearch.TIME_ZONE, nonexistent="shift_forward", ambiguous=np.zeros(len(local), dtype=bool)
        )
        shifted = shifted.dt.tz_convert("UTC")
        month = (pd.Timestamp("2022-09-01") + pd.DateOffset(months=-shift)).strftime("%Y-%m")
        copy = frame.assign(Date=shifted.dt.strftime("%Y-%m-%dT%H:%M:%S+00:00"))
        path = folder / f"{month}-metropolitan-stop-and-search.csv"
        copy.to_csv(path, index=False, lineterminator="\r\n")
        written.append(path)
    return written


def aggregate(records: pd.DataFrame) -> None:
    for definition in stopsearch.DEFINITIONS:
        stopsearch.searches_by_ethnicity(records, definition)
        stopsearch.outcomes_by_ethnicity(records, definition)


def median_seconds(task: Callable[[], object], repeats: int = REPEATS) -> float:
    task()  # warm-up: imports, file cache
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    one = real_month()
    with tempfile.TemporaryDirectory() as folder:
        files = write_shifted_months(one, Path(folder), MONTHS)
        rows = len(stopsearch.load_months(files))
        one_month = median_seconds(lambda: aggregate(stopsearch.load_month(one)))
        stacked = median_seconds(lambda: aggregate(stopsearch.load_months(files)), repeats=5)
    print(
        f"1 month ({len(stopsearch.load_month(one)):,} rows): median {one_month:.3f} s; goal {GOAL_ONE_MONTH} s ({one_month / GOAL_ONE_MONTH:.0%} of goal)"
    )
    print(
        f"{MONTHS} months ({rows:,} rows): median {stacked:.3f} s; goal {GOAL_36_MONTHS} s ({stacked / GOAL_36_MONTHS:.0%} of goal)"
    )


if __name__ == "__main__":
    main()
