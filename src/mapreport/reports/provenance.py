"""The provenance section that ends every report: content that depends only on the inputs."""

from __future__ import annotations

import html
import shutil
import subprocess
from functools import cache

import pandas as pd

from mapreport.core import hashing
from mapreport.core.wordengine import word_engine
from mapreport.core.params import ReportParams
from mapreport.present import show
from mapreport.reports.registry import WORD, report


def word_engine_sentence() -> str:
    """One sentence naming the engine and version that made the Word file."""
    engine = word_engine()
    via = " (through pypandoc)" if engine["name"] == "pandoc" else ""
    return (
        f"<p>The Word version of this report is made by <code>{html.escape(engine['name'])}</code> "
        f"{html.escape(engine['version'])}{via} with the reference document "
        "<code>src/mapreport/pipeline/templates/reference.docx</code>; <code>manifest.json</code> records the same.</p>"
    )


def inputs_table(name: str, params: ReportParams) -> pd.DataFrame:
    """The files this report read, with their SHA-256 and row counts."""
    records = [hashing.file_record(path) for path in report(name).inputs(params)]
    return pd.DataFrame(
        {
            "File": [r["path"] for r in records],
            "Rows": [r["rows"] for r in records],
            "SHA-256": [f"`{r['sha256']}`" for r in records],
        }
    )


def section(name: str, params: ReportParams) -> show.HTML:
    """Params, input files and hashes, template hash and package versions, as HTML."""
    values = params.notebook_parameters()
    params_table = pd.DataFrame({"Parameter": list(values), "Value": [str(v) for v in values.values()]})
    template = hashing.file_record(report(name).template)
    versions = hashing.package_versions()
    versions_table = pd.DataFrame({"Package": list(versions), "Version": list(versions.values())})
    return show.HTML(
        "\n".join(
            [
                "<p>Re-running mapreport on the same inputs gives the same report. The files below are every input this "
                "report read; <code>mapreport verify</code> checks them, and the published outputs, against "
                "<code>manifest.json</code> in this report's folder.</p>",
                show.table_html(params_table, f"Parameters (params/{html.escape(params.quarter)}.yaml)"),
                show.table_html(inputs_table(name, params), "Input files", rich_columns=("SHA-256",)),
                f"<p>Notebook template <code>{html.escape(template['path'])}</code>, SHA-256 "
                f"<code>{template['sha256']}</code>.</p>",
                show.table_html(versions_table, "Software versions"),
                *([word_engine_sentence()] if WORD in report(name).extra_outputs else []),
            ]
        )
    )
