"""Make executed notebooks depend only on their inputs: no timings, paths or ids that vary between runs."""

from __future__ import annotations

import nbformat

_PAPERMILL_RUN_KEYS = ("start_time", "end_time", "duration", "input_path", "output_path", "environment_variables")


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip run-specific metadata in place and return the notebook."""
    papermill = nb.metadata.get("papermill", {})
    for key in _PAPERMILL_RUN_KEYS:
        papermill.pop(key, None)
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:03d}"
        cell.metadata.pop("execution", None)
        cell_pm = cell.metadata.get("papermill")
        if cell_pm is not None:
            for key in ("start_time", "end_time", "duration"):
                cell_pm.pop(key, None)
        for output in cell.get("outputs", []):
            output.get("metadata", {}).pop("execution", None)
    return nb
