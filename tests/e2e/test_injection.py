"""Hostile text: HTML in status updates and EIA prose is sanitised, and nothing of it runs in a browser.

One real `mapreport run` renders a quarter whose status update (action 1.a) and EIA Race context carry every payload
below; the module's tests then read the published files and load them in headless Chromium.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from mapreport.core import paths
from mapreport.reports.registry import names
from tests.conftest import PROJECT, copy_project
from tests.e2e.browser import browser_or_skip, chromium, open_file

QUARTER = "2022-23-Q1"
STATUS_MARKER = "Hostile status text"
EIA_MARKER = "Hostile context text"
# Each payload, if it ran, would set window.__pwned (or the top window's, from a frame) to its own name. No digits:
# the EIA refuses a figure without a source, and these must pass validation to reach the report.
PAYLOADS = (
    "<script>window.__pwned = 'script'; document.title = 'pwned'</script>",
    "<img src=x onerror=\"window.__pwned = 'img-onerror'\">",
    "<a href=\"javascript:window.__pwned = 'a-javascript'\">a javascript link</a>",
    "<a href=\"  JaVaScRiPt:window.__pwned = 'a-mixed-case'\">a mixed-case link</a>",
    "<a href=\"data:text/html,<script>parent.__pwned = 'a-data'</script>\">a data link</a>",
    "<iframe src=\"javascript:parent.__pwned = 'iframe'\"></iframe>",
    '<svg onload="window.__pwned = \'svg-onload\'"><circle r="ten"/></svg>',
    "<object data=\"javascript:parent.__pwned = 'object'\"></object>",
    "<embed src=\"javascript:parent.__pwned = 'embed'\">",
    "<form action=\"javascript:window.__pwned = 'form'\"><button>send</button></form>",
    "<base href=\"javascript:window.__pwned = 'base'//\">",
    '<p onmouseover="window.__pwned = \'onmouseover\'" style="background: url(javascript:void)">hover</p>',
    "<math><mtext></p><script>window.__pwned = 'mxss'</script></mtext></math>",
    "[a markdown link](javascript:window.__pwned='markdown-link')",
    "<details open ontoggle=\"window.__pwned = 'ontoggle'\">details</details>",
)
DANGEROUS_ELEMENTS = ("script", "iframe", "frame", "object", "embed", "form", "base", "svg", "math")
HEAD_ONLY_ELEMENTS = ("style", "meta", "link")  # the template's own, in <head>; never in the body
URL_ATTRIBUTES = ("href", "src", "action", "data", "formaction", "xlink:href", "background", "poster")
UNSAFE_HTML = re.compile(
    r"<(script|iframe|frame|object|embed|form|base|svg|math|style|meta|link)\b|\son\w+\s*=|=\s*[\"']?\s*(javascript|vbscript|data:text)",
    re.IGNORECASE,
)
SAFE_SCHEMES = re.compile(r"^(https?:|mailto:|#|data:image/png;base64,)", re.IGNORECASE)
# A link within the site: another page of this edition, the index of editions, the same report of a neighbouring
# edition, or a table's CSV file in this edition's data folder (all relative, all made by the site, not the data).
_PAGE = rf"({'|'.join(names())})\.html(#[A-Za-z0-9-]+)?"
SIBLING_PAGE = re.compile(
    rf"^({_PAGE}|../index\.html(#[A-Za-z0-9-]+)?|\.\./\d{{4}}-\d{{2}}-Q[1-4]/{_PAGE}|data/[a-z-]+/[a-z0-9-]+\.csv)$"
)


def hostile(marker: str) -> str:
    return marker + ". " + "\n\n".join(PAYLOADS)


def inject_status(path: Path) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    update = rows[0].index("update")
    rows[1][update] = hostile(STATUS_MARKER) + "\n\n" + rows[1][update]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    in_the_document(path.parents[2], rows[1][rows[0].index("source_doc")], hostile(STATUS_MARKER))


def in_the_document(root: Path, doc_id: str, text: str) -> None:
    """Put the hostile text in the cited document too, as a hostile source would (updates must be its words), and
    register the changed text's sha256."""
    index = root / "data" / "documents.csv"
    rows = list(csv.DictReader(io.StringIO(index.read_text(encoding="utf-8"))))
    [row] = [r for r in rows if r["doc_id"] == doc_id]
    document = root / "data" / row["file"]
    document.write_text(document.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")
    row["sha256"] = hashlib.sha256(document.read_bytes()).hexdigest()
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    index.write_text(out.getvalue(), encoding="utf-8")


def inject_eia(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "## Context\n\n" in text
    path.write_text(
        text.replace("## Context\n\n", "## Context\n\n" + hostile(EIA_MARKER) + "\n\n", 1), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """reports/<quarter>/ of a project whose free text is hostile, rendered once by the real `mapreport run`."""
    root = copy_project(PROJECT, tmp_path_factory.mktemp("injection") / "project")
    shutil.rmtree(root / "reports", ignore_errors=True)
    inject_status(root / "data" / "status" / f"{QUARTER}.csv")
    inject_eia(root / "data" / "eia" / "2020-11" / "race.md")
    result = subprocess.run(
        # the annex shows no free text: rendering only the two reports that do saves time
        [
            sys.executable,
            "-m",
            "mapreport",
            "run",
            "--quarter",
            QUARTER,
            "--report",
            "progress_report",
            "--report",
            "eia_report",
        ],
        env={**os.environ, paths.ROOT_ENV: str(root)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"the hostile quarter did not render:\n{result.stderr}"
    return root / "reports" / QUARTER


def html_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.html"))


def test_the_hostile_text_reached_the_reports(published: Path) -> None:
    """Otherwise the other tests would pass for the wrong reason."""
    assert STATUS_MARKER in (published / "progress_report.html").read_text(encoding="utf-8")
    assert EIA_MARKER in (published / "eia_report.html").read_text(encoding="utf-8")


def test_the_html_holds_no_script_handler_dangerous_element_or_unsafe_url(published: Path) -> None:
    for path in html_files(published):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        found = [e.name for e in page.find_all(DANGEROUS_ELEMENTS)] + [
            e.name for e in page.body.find_all(HEAD_ONLY_ELEMENTS)
        ]
        assert not found, f"{path.name}: {found}"
        for element in page.find_all(True):
            handlers = [a for a in element.attrs if a.lower().startswith("on")]
            assert not handlers, f"{path.name}: <{element.name} {handlers}>"
            assert "javascript:" not in str(element.get("style", "")).lower(), f"{path.name}: {element}"
            for attribute in URL_ATTRIBUTES:
                url = str(element.get(attribute, "")).strip()
                assert not url or SAFE_SCHEMES.match(url) or (attribute == "href" and SIBLING_PAGE.match(url)), (
                    f"{path.name}: <{element.name} {attribute}={url!r}>"
                )


def test_the_notebooks_hold_no_script_in_their_html_outputs(published: Path) -> None:
    """The published .ipynb files are rendered by other viewers; their HTML outputs are the sanitised ones too.

    Only the markup is searched: a payload that is not an allowed tag is shown as escaped text (`&lt;img ...&gt;`),
    which holds no `<` and is inert."""
    for path in sorted(published.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                html = "".join(output.get("data", {}).get("text/html", []))
                found = UNSAFE_HTML.search(" ".join(re.findall(r"<[^<>]*>", html)))
                assert not found, f"{path.name}: {found[0]!r} in {html[:120]!r}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    browser_or_skip()
    with chromium() as driver:
        yield driver


STATE = """
const unsafe = [...document.querySelectorAll('[href],[src],[action],[data],[formaction]')]
  .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || e.getAttribute('data') || '')
  .filter(u => /^\\s*(javascript|vbscript|data:text)/i.test(u));
return {pwned: window.__pwned === undefined ? null : String(window.__pwned), title: document.title,
        frames: window.frames.length, unsafe: unsafe};
"""


def test_the_browser_detects_a_payload_that_runs(browser: Any, tmp_path: Path) -> None:
    """The control: the same payloads unsanitised do run in this browser, so the absence below means something."""
    control = tmp_path / "control.html"
    control.write_text("<!DOCTYPE html><title>control</title><body>" + "\n".join(PAYLOADS), encoding="utf-8")
    open_file(browser, control)
    assert browser.execute_script(STATE)["pwned"] is not None


@pytest.mark.parametrize("name", ["progress_report.html", "eia_report.html", "eia_report.audit.html"])
def test_nothing_runs_when_the_report_is_loaded(published: Path, browser: Any, name: str) -> None:
    page = published / name
    title = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").title.get_text()
    open_file(browser, page)
    # hover and toggle everything, in case a handler survived where the static test did not look
    browser.execute_script(
        "document.querySelectorAll('*').forEach(e => { e.dispatchEvent(new MouseEvent('mouseover')); });"
        "document.querySelectorAll('details').forEach(d => { d.open = !d.open; });"
    )
    state = browser.execute_script(STATE)
    assert state == {"pwned": None, "title": title, "frames": 0, "unsafe": []}
