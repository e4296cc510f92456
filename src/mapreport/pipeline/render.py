"""Rendering executed notebooks: public HTML (no code), audit HTML (all code) and Word for the EIA."""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from mapreport.core import paths
from mapreport.core.errors import InputError, RunError
from mapreport.core.wordengine import word_engine
from mapreport.pipeline import site
from mapreport.pipeline.opendata import DATA_FOLDER, TABLES_FILE
from mapreport.present.downloads import TABLES_KEY

TEMPLATES = Path(__file__).parent / "templates"
_ANCHOR_LINK = re.compile(r'<a class="anchor-link" href="#[^"]*">¶</a>')
HIDDEN_CELL_TAGS = {"parameters", "injected-parameters", "audit-only"}
_DOWNLOAD = re.compile(r'<p class="mapreport-download">.*?</p>\n?', re.S)
_SITE_CHROME = re.compile(
    r'<header class="mapreport-site">.*?</header>\n?|<nav aria-label="Contents" class="mapreport-contents">.*?</nav>\n?',
    re.S,
)
"""The site's header and contents list: for the browser; the Word file has its own header and contents."""
REFERENCE_DOC = TEMPLATES / "reference.docx"
"""The Word styles, A4 page, header and footer (built by tools/build_reference_docx.py; see README)."""
LUA_FILTER = TEMPLATES / "docx.lua"
"""Cover page break, contents list and table column widths."""
HEADER_PLACEHOLDER = b"MAPREPORT_HEADER"
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


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


def warm() -> None:
    """Build both exporters (templates loaded and compiled) before the first notebook needs them."""
    _exporter(public=True)
    _exporter(public=False)


def to_html(nb: nbformat.NotebookNode, title: str, *, public: bool, edition: site.Edition, report: str) -> str:
    """HTML for one executed notebook, with the site's header, contents and a CSV link beside every table;
    `public` hides code and the parameters cells."""
    nb = nbformat.from_dict(nb)  # a copy: preprocessors must not touch the caller's notebook
    nb.metadata["title"] = title
    body, _ = _exporter(public).from_notebook_node(nb, resources={"metadata": {"name": title}})
    return _with_downloads(site.with_site(body, edition, report), report)


def _with_downloads(body: str, report: str) -> str:
    """A link to each table's CSV file, right after the table."""

    def link(match: re.Match[str]) -> str:
        name, caption = match[1], match[2]
        return (
            f'{match[0]}\n<p class="mapreport-download"><a href="{DATA_FOLDER}/{_folder(report)}/{name}.csv" download>'
            f'Download this table (CSV)<span class="visually-hidden">: {caption}</span></a></p>'
        )

    return re.sub(
        r'<table class="mapreport-table" data-csv="([a-z0-9-]+)">\s*<caption>(.*?)</caption>.*?</table>\s*</div>',
        link,
        body,
        flags=re.S,
    )


def _folder(report: str) -> str:
    return report.replace("_", "-")


def tables(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """The data of every table the notebook displayed, in order (from its outputs' metadata)."""
    found: dict[str, dict[str, Any]] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {})
            for table in [*meta.get(TABLES_KEY, []), *meta.get("text/html", {}).get(TABLES_KEY, [])]:
                found.setdefault(table["name"], table)
    return list(found.values())


def write_tables(nb: nbformat.NotebookNode, folder: Path, report: str) -> None:
    """Write each table's CSV into folder/data/<report>/, and tables.json describing them (replacing earlier ones)."""
    target = folder / DATA_FOLDER / _folder(report)
    if target.exists():
        shutil.rmtree(target)
    found = tables(nb)
    if not found:
        return
    target.mkdir(parents=True)
    for table in found:
        (target / f"{table['name']}.csv").write_text(table["csv"], encoding="utf-8")
    described = [{k: v for k, v in t.items() if k != "csv"} for t in found]
    (target / TABLES_FILE).write_text(json.dumps(described, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def docx_engine() -> str:
    """'quarto' where the quarto binary is on PATH, else 'pandoc' (from pypandoc-binary, always there)."""
    return word_engine()["name"]


def check_reference_doc(path: Path = REFERENCE_DOC) -> None:
    """Refuse a reference document that is not a Word (.docx) file, naming it and saying how to fix it."""
    name = paths.relative(path)
    fix = f"restore it with `git checkout -- {name}` or rebuild it with `python3 tools/build_reference_docx.py`"
    if not path.is_file():
        raise InputError.single(name, "", f"the Word reference document is missing; {fix}")
    try:
        with zipfile.ZipFile(path) as docx:
            parts = set(docx.namelist())
    except zipfile.BadZipFile:
        parts = set()
    if not {"[Content_Types].xml", "word/document.xml", "word/styles.xml"} <= parts:
        raise InputError.single(
            name, "", f"is not a Word .docx file (saved in another format?); save it as .docx, or {fix}"
        )


def _header_text(html: str) -> str:
    """The report's title and edition, from the page's <title> (e.g. 'Equality impact assessment: 2022-23-Q1')."""
    match = _TITLE.search(html)
    return htmllib.unescape(match[1]).strip() if match else "mapreport"


def finish_docx(output: Path, header: str) -> None:
    """Put the title and edition into the page header, keeping each part's zip entry (and so its fixed date)."""
    with zipfile.ZipFile(output) as docx:
        parts = [(info, docx.read(info)) for info in docx.infolist()]
    text = htmllib.escape(header, quote=False).encode()
    with zipfile.ZipFile(output, "w") as docx:
        for info, data in parts:
            if info.filename.startswith("word/header"):
                data = data.replace(HEADER_PLACEHOLDER, text)
            docx.writestr(info, data)


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
        "-M",
        f"reference-doc:{REFERENCE_DOC}",
    ]


def html_to_docx(html_file: Path, output: Path, *, epoch: int, reference: Path = REFERENCE_DOC) -> None:
    """Convert the public HTML to Word with pandoc; `epoch` fixes the document's dates so reruns are identical."""
    import pypandoc

    env_before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    # nbconvert's heading anchors ("¶") are hidden by CSS in the browser; Word would show them.
    html = _SITE_CHROME.sub("", _DOWNLOAD.sub("", _ANCHOR_LINK.sub("", html_file.read_text(encoding="utf-8"))))
    check_reference_doc(reference)
    try:
        pypandoc.convert_text(
            html,
            "docx",
            format="html",
            outputfile=str(output),
            extra_args=[f"--reference-doc={reference}", f"--lua-filter={LUA_FILTER}"],
        )
    except RuntimeError as exc:
        raise RunError(f"pandoc could not convert {html_file.name} to Word: {exc}") from None
    finally:
        if env_before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = env_before
    finish_docx(output, _header_text(html))


def notebook_to_docx(notebook: Path, html_file: Path, output: Path, *, epoch: int) -> str:
    """Write the Word version of a report with quarto where available, else pandoc; return the engine used."""
    engine = docx_engine()
    if engine == "quarto":
        check_reference_doc()
        result = subprocess.run(
            quarto_command(notebook, output),
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch)},
        )
        if result.returncode != 0:
            raise RunError(f"quarto could not render {notebook.name} to Word:\n{result.stderr.strip()}")
        finish_docx(output, _header_text(html_file.read_text(encoding="utf-8")))
    else:
        html_to_docx(html_file, output, epoch=epoch)
    return engine
