"""Where a cold run's time goes, per notebook and per phase, with ordinary kernels and with the warm template.

    python benchmarks/profile.py [--quarter 2022-23-Q1]

Phases: kernel start (papermill's start to the first cell), imports and loading (the cell that loads the report's
data), charts (cells that draw), other cells (tables and text), nbconvert (public and audit HTML), Word (the EIA).
Works on a throwaway copy of the project; the published reports/ are never touched. Each notebook runs twice in a
row: first with ordinary kernels, then forked from the warm template (mapreport.pipeline.warmkernel).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PHASES = ("kernel start", "imports and loading", "charts", "other cells", "nbconvert", "Word")


def _seconds(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def _phase(source: str) -> str:
    if re.search(r"\bload\(", source):
        return "imports and loading"
    if "chart" in source or "headline_figures" in source:
        return "charts"
    return "other cells"


def profile_notebook(name: str, quarter: str, out: Path) -> dict[str, float]:
    """Execute and render one report; return seconds per phase."""
    import nbformat
    import papermill

    from mapreport.core.params import load_params
    from mapreport.pipeline import render, site
    from mapreport.pipeline.execute import ENGINE, KERNEL_ENV, _ipc_kernel_manager, _register_engine, epoch
    from mapreport.reports.registry import WORD, report

    entry = report(name)
    params = load_params(quarter)
    executed = out / f"{name}.ipynb"
    _register_engine()  # as a run executes: the notebook is written once, not before and after every cell
    with tempfile.TemporaryDirectory(prefix="mapreport-kernel-") as sockets:
        nb = papermill.execute_notebook(
            str(entry.template),
            str(executed),
            parameters=params.notebook_parameters(),
            kernel_name="python3",
            engine_name=ENGINE,
            progress_bar=False,
            cwd=str(out),
            kernel_manager_class=_ipc_kernel_manager(sockets, {**os.environ, **KERNEL_ENV}),
        )
    times = dict.fromkeys(PHASES, 0.0)
    started = nb.metadata.papermill["start_time"]
    code = [c for c in nb.cells if c.cell_type == "code"]
    times["kernel start"] = _seconds(started, code[0].metadata.papermill["start_time"])
    for cell in code:
        times[_phase(cell.source)] += float(cell.metadata.papermill.get("duration") or 0.0)
    start = time.perf_counter()
    nb = nbformat.read(executed, as_version=4)
    title, edition = site.page_title(entry.title, quarter), site.edition(quarter)
    public = out / f"{name}.html"
    public.write_text(render.to_html(nb, title, public=True, edition=edition, report=name), encoding="utf-8")
    render.to_html(nb, title, public=False, edition=edition, report=name)
    times["nbconvert"] = time.perf_counter() - start
    if WORD in entry.extra_outputs:
        start = time.perf_counter()
        render.notebook_to_docx(executed, public, out / f"{name}.docx", epoch=epoch(quarter))
        times["Word"] = time.perf_counter() - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", default=None, help="Quarter to profile (default: the latest with params).")
    args = parser.parse_args()
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="mapreport-profile-") as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        for folder in ("params", "data", "notebooks"):
            shutil.copytree(PROJECT / folder, root / folder)
        os.environ.update({"MAPREPORT_ROOT": str(root), "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"})
        sys.path.insert(0, str(PROJECT / "src"))
        from mapreport.core.params import available_quarters
        from mapreport.pipeline import warmkernel
        from mapreport.pipeline.execute import KERNEL_ENV
        from mapreport.reports.registry import names

        quarter = args.quarter or available_quarters()[-1]
        rows: list[tuple[str, str, dict[str, float]]] = []
        for kernels in ("ordinary", "warm"):
            for name in names():
                out = Path(tmp) / kernels / name
                out.mkdir(parents=True)
                if kernels == "warm":
                    with warmkernel.template(KERNEL_ENV):
                        time.sleep(8)  # let the template finish its imports: this measures the kernels, not it
                        rows.append((kernels, name, profile_notebook(name, quarter, out)))
                else:
                    rows.append((kernels, name, profile_notebook(name, quarter, out)))
    print(f"quarter {quarter}; {os.cpu_count()} cores; seconds per phase")
    header = f"{'kernels':<9} {'report':<18}" + "".join(f"{p:>20}" for p in PHASES) + f"{'total':>8}"
    print(header)
    for kernels, name, times in rows:
        cells = "".join(f"{times[p]:>20.2f}" for p in PHASES)
        print(f"{kernels:<9} {name:<18}{cells}{sum(times.values()):>8.2f}")
    for kernels in ("ordinary", "warm"):
        total = sum(sum(t.values()) for k, _, t in rows if k == kernels)
        print(f"{kernels} kernels, all reports: {total:.2f} s")


if __name__ == "__main__":
    main()
