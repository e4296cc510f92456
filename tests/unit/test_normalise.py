from nbformat.v4 import new_code_cell, new_notebook

from mapreport.pipeline.normalise import normalise


def test_strips_timings_paths_and_random_cell_ids() -> None:
    nb = new_notebook(cells=[new_code_cell("1")])
    nb.metadata["papermill"] = {
        "start_time": "t",
        "end_time": "t",
        "duration": 1.0,
        "input_path": "/home/x.ipynb",
        "output_path": "/tmp/y.ipynb",
        "parameters": {"quarter": "q"},
    }
    nb.cells[0].metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
    nb.cells[0].metadata["papermill"] = {"start_time": "t", "end_time": "t", "duration": 1.0, "status": "completed"}
    normalise(nb)
    assert nb.metadata["papermill"] == {"parameters": {"quarter": "q"}}
    assert nb.cells[0].metadata == {"papermill": {"status": "completed"}}
    assert nb.cells[0]["id"] == "cell-000"
