"""Rendering executed notebooks: public HTML (no code), audit HTML (all code) and Word for the EIA."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from mapreport.core.errors import RunError

TEMPLATES = Path(__file__).parent / "templates"
_ANCHOR_LINK = re.compile(r'<a class="anchor-link" href="#[^"]*">¶</a>')
HIDDEN_CELL_TAGS = {"parameters", "injected-parameters", "audit-only"}


@cache
def _exporter(public: bool) -> HTMLExporter:
    exporter = HTMLExporter(
        template_name="mapreport",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=public,
        exclude_input_prompt=public,
        exclude_output_prompt=public,
        embed_images=True,
    )
    if public:
        remover = TagRemovePreprocessor(remove_cell_tags=HIDDEN_CELL_TAGS, enabled=True)
        exporter.register_preprocessor(remover, enabled=True)
    return exporter


def to_html(nb: nbformat.NotebookNode, title: str, *, public: bool) -> str:
    """HTML for one executed notebook; `public` hides code and the parameters cells."""
    nb = nbformat.from_dict(nb)  # a copy: preprocessors must not touch the caller's notebook
    nb.metadata["title"] = title
    body, _ = _exporter(public).from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def docx_engine() -> str:
    """'quarto' where the quarto binary is on PATH, else 'pandoc' (from pypandoc-binary, always there)."""
    return "quarto" if shutil.which("quarto") else "pandoc"


def quarto_command(notebook: Path, output: Path) -> list[str]:
    """The quarto call that renders an executed notebook to Word without re-executing it or showing code."""
    return [
        "quarto",
        "render",
        str(notebook),
        "--to",
        "docx",
        "--no-execute",
        "-M",
        "echo:false",
        "--output",
        output.name,
        "--output-dir",
        str(output.parent),
    ]


def html_to_docx(html_file: Path, output: Path, *, epoch: int) -> None:
    """Convert the public HTML to Word with pandoc; `epoch` fixes the document's dates so reruns are identical."""
    import pypandoc

    env_before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    # nbconvert's heading anchors ("¶") are hidden by CSS in the browser; Word would show them.
    html = _ANCHOR_LINK.sub("", html_file.read_text(encoding="utf-8"))
    try:
        pypandoc.convert_text(html, "docx", format="html", outputfile=str(output))
    except RuntimeError as exc:
        raise RunError(f"pandoc could not convert {html_file.name} to Word: {exc}") from None
    finally:
        if env_before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = env_before


def notebook_to_docx(notebook: Path, html_file: Path, output: Path, *, epoch: int) -> str:
    """Write the Word version of a report with quarto where available, else pandoc; return the engine used."""
    engine = docx_engine()
    if engine == "quarto":
        result = subprocess.run(
            quarto_command(notebook, output),
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch)},
        )
        if result.returncode != 0:
            raise RunError(f"quarto could not render {notebook.name} to Word:\n{result.stderr.strip()}")
    else:
        html_to_docx(html_file, output, epoch=epoch)
    return engine
