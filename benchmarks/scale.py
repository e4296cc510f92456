"""How a run's cost grows with quarters and police.uk months: cold and warm times and peak memory on throwaway copies.

    python benchmarks/scale.py [--quarters 3 6 12] [--months 3 12]

N quarters: the project's own quarters, then copies of the latest quarter's params and status file shifted one
quarter on each (same readings, so no move needs a reason). M months: with 3, the copy holds only the police.uk files
of the latest real quarter's three months (Metropolitan and City of London); with 12, every month held. Cold is
`mapreport run --all --force`, warm `mapreport run --all` straight after. The published reports/ are never touched.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_all import PROJECT, timed

sys.path.insert(0, str(PROJECT / "src"))
from mapreport.core.periods import Quarter


def add_quarters(root: Path, total: int) -> list[str]:
    """Shift copies of the latest quarter until `total` quarters have params; return them all."""
    held = sorted(p.stem for p in (root / "params").glob("*.yaml"))
    latest = held[-1]
    params_text = (root / "params" / f"{latest}.yaml").read_text(encoding="utf-8")
    status_text = (root / "data" / "status" / f"{latest}.csv").read_text(encoding="utf-8")
    previous = latest
    while len(held) < total:
        quarter = str(Quarter.parse(previous).shifted(1))
        text = re.sub(r"(?m)^quarter: .*$", f"quarter: {quarter}", params_text)
        text = re.sub(r"(?m)^previous_quarter: .*$", f"previous_quarter: {previous}", text)
        (root / "params" / f"{quarter}.yaml").write_text(text, encoding="utf-8")
        rows = list(csv.reader(io.StringIO(status_text)))
        for row in rows[1:]:
            row[0] = quarter
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (root / "data" / "status" / f"{quarter}.csv").write_text(out.getvalue(), encoding="utf-8")
        held.append(quarter)
        previous = quarter
    return held


def keep_months(root: Path, months: list[str]) -> int:
    """Hold only the police.uk files of `months` (and their SOURCES.csv rows); return the files kept."""
    folder = root / "data" / "sources" / "stop_search"
    dropped = {p.name for p in folder.glob("*.csv") if p.name[:7] not in months}
    for name in dropped:
        (folder / name).unlink()
    index = root / "data" / "sources" / "SOURCES.csv"
    rows = list(csv.reader(io.StringIO(index.read_text(encoding="utf-8"))))
    kept = [rows[0], *(r for r in rows[1:] if not any(r and cell.endswith(tuple(dropped)) for cell in r))]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(kept)
    index.write_text(out.getvalue(), encoding="utf-8")
    return len(list(folder.glob("*.csv")))


def measure(quarters: int, months: int) -> tuple[float, float, float, float, int]:
    """Cold seconds, warm seconds (median of 3), peak MB (summed RSS and PSS) and police.uk files held, for one
    copy. The copy starts with no reports and no parsed files: its first run is the cold one, and the one whose memory
    is sampled (so its time includes the sampling's cost, about a tenth); the warm runs are not sampled."""
    with tempfile.TemporaryDirectory(prefix="mapreport-scale-") as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        for name in ("params", "data", "notebooks"):
            shutil.copytree(PROJECT / name, root / name)
        real_latest = sorted(p.stem for p in (root / "params").glob("*.yaml"))[-1]
        add_quarters(root, quarters)
        files = len(list((root / "data" / "sources" / "stop_search").glob("*.csv")))
        if months == 3:
            first = Quarter.parse(real_latest).first_month
            wanted = [
                f"{first.year + (first.month - 1 + i) // 12}-{(first.month - 1 + i) % 12 + 1:02d}" for i in range(3)
            ]
            files = keep_months(root, wanted)
        env = {**os.environ, "MAPREPORT_ROOT": str(root), "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
        env.pop("MAPREPORT_PARSED_CACHE", None)
        command = [sys.executable, "-m", "mapreport", "run", "--all"]
        cold, rss, pss = timed([[*command, "--force"]], env, root)
        warm = statistics.median(timed([command], env, root, sample=False)[0] for _ in range(3))
        return cold, warm, rss, pss, files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarters", type=int, nargs="+", default=[3, 6, 12])
    parser.add_argument("--months", type=int, nargs="+", default=[3, 12], choices=[3, 12])
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores")
    print(f"{'N':>3} {'M':>3} {'files':>6} {'cold s':>8} {'per quarter':>12} {'warm s':>7} {'RSS MB':>7} {'PSS MB':>7}")
    for months in args.months:
        for quarters in args.quarters:
            started = time.perf_counter()
            cold, warm, rss, pss, files = measure(quarters, months)
            print(
                f"{quarters:>3} {months:>3} {files:>6} {cold:>8.1f} {cold / quarters:>12.2f} {warm:>7.2f} {rss:>7.0f}"
                f" {pss:>7.0f}   ({time.perf_counter() - started:.0f} s in all)",
                flush=True,
            )


if __name__ == "__main__":
    main()
