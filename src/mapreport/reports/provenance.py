"""The provenance section that ends every report: content that depends only on the inputs."""

from __future__ import annotations

import html

import pandas as pd

from mapreport.core import hashing
from mapreport.core.params import load_params
from mapreport.present import show
from mapreport.reports.registry import input_files, template_path


def inputs_table(notebook: str, quarter: str) -> pd.DataFrame:
    """The files this report read, with their SHA-256 and row counts."""
    files = input_files(notebook, load_params(quarter))
    records = [hashing.file_record(path) for path in files]
    return pd.DataFrame(
        {
            "File": [r["path"] for r in records],
            "Rows": [r["rows"] for r in records],
            "SHA-256": [r["sha256"] for r in records],
        }
    )


def section(notebook: str, quarter: str) -> show.HTML:
    """Params, input files and hashes, template hash and package versions, as HTML."""
    params = load_params(quarter).notebook_parameters()
    params_table = pd.DataFrame({"Parameter": list(params), "Value": [str(v) for v in params.values()]})
    template = hashing.file_record(template_path(notebook))
    versions = hashing.package_versions()
    versions_table = pd.DataFrame({"Package": list(versions), "Version": list(versions.values())})
    return show.HTML(
        "\n".join(
            [
                "<p>Re-running mapreport on the same inputs gives the same report. The files below are every input this "
                "report read; <code>mapreport verify</code> checks them, and the published outputs, against "
                "<code>manifest.json</code> in this report's folder.</p>",
                show.table_html(params_table, f"Parameters (params/{html.escape(quarter)}.yaml)"),
                show.table_html(inputs_table(notebook, quarter), "Input files"),
                f"<p>Notebook template <code>{html.escape(template['path'])}</code>, SHA-256 "
                f"<code>{template['sha256']}</code>.</p>",
                show.table_html(versions_table, "Software versions"),
            ]
        )
    )
