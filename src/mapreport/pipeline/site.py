"""The site over reports/: each page's header (edition, other reports, previous and next edition, contents) and
reports/index.html, the list of editions. Relative links only, so it works from the file system or any web server.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapreport.core import paths
from mapreport.core.params import available_quarters
from mapreport.core.periods import Quarter
from mapreport.pipeline import manifest
from mapreport.reports.registry import REPORTS

INDEX = "index.html"
SITE_TITLE = "Action Plan on transparency, accountability and trust in policing: quarterly reports"
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)(?:<a class="anchor-link"[^>]*>[^<]*</a>)?</h2>', re.S)
_TAGS = re.compile(r"<[^>]+>")
_CURRENT = ' aria-current="page"'


@dataclass(frozen=True)
class Edition:
    """Where a quarter's edition sits among the editions: the quarters before and after it that have params."""

    quarter: str
    previous: str | None
    following: str | None

    @property
    def period(self) -> str:
        """The quarter in words: 'April to June 2022'."""
        return Quarter.parse(self.quarter).months

    def key(self) -> dict[str, str | None]:
        """What a page's header depends on besides the report itself (part of each report's dependency key)."""
        return {"previous": self.previous, "next": self.following, "reports": ",".join(r.name for r in REPORTS)}


def edition(quarter: str) -> Edition:
    """The edition of a quarter, with its neighbours among the quarters in params/."""
    quarters = available_quarters()
    before = [q for q in quarters if q < quarter]
    after = [q for q in quarters if q > quarter]
    return Edition(quarter, before[-1] if before else None, after[0] if after else None)


def page_title(report_title: str, quarter: str) -> str:
    """A page's title: the report's title and the period in words."""
    return f"{report_title}: {Quarter.parse(quarter).months}"


def header_html(current: Edition, report_name: str) -> str:
    """The header of a report page: where it sits, the edition's other reports and its neighbours."""
    links = "".join(
        f'<li><a href="{r.name}.html"{_CURRENT if r.name == report_name else ""}>{html.escape(r.title)}</a></li>'
        for r in REPORTS
    )
    neighbours = [
        f'<li><a href="../{INDEX}">All editions</a></li>',
        f'<li><a href="../{INDEX}#edition-{current.quarter}">This edition\'s data and release notes</a></li>',
    ]
    if current.previous:
        neighbours.append(
            f'<li><a href="../{current.previous}/{report_name}.html" rel="prev">'
            f"Previous edition: {html.escape(Quarter.parse(current.previous).months)}</a></li>"
        )
    if current.following:
        neighbours.append(
            f'<li><a href="../{current.following}/{report_name}.html" rel="next">'
            f"Next edition: {html.escape(Quarter.parse(current.following).months)}</a></li>"
        )
    return (
        '<header class="mapreport-site">\n'
        f'<p class="mapreport-edition">{html.escape(SITE_TITLE)}<br>'
        f"<strong>Edition: {html.escape(current.period)}</strong></p>\n"
        f'<nav aria-label="Reports in this edition"><ul>{links}</ul></nav>\n'
        f'<nav aria-label="Editions"><ul>{"".join(neighbours)}</ul></nav>\n'
        "</header>\n"
    )


def with_site(body: str, current: Edition, report_name: str) -> str:
    """A rendered report page with the site header after <main> and the contents list after the page's title."""
    body = body.replace("<main>", "<main>\n" + header_html(current, report_name), 1)
    contents = contents_html(body)
    if "</h1>" in body:
        return body.replace("</h1>", "</h1>\n" + contents, 1)
    return body.replace("</header>\n", "</header>\n" + contents, 1)


def contents_html(body: str) -> str:
    """A contents list of the page's second-level headings (empty where there are none)."""
    items = [
        f'<li><a href="#{html.escape(anchor)}">{_TAGS.sub("", title).strip()}</a></li>'
        for anchor, title in _H2.findall(body)
    ]
    if not items:
        return ""
    return f'<nav aria-label="Contents" class="mapreport-contents"><h2>Contents</h2><ol>{"".join(items)}</ol></nav>\n'


def _edition_section(quarter: str, recorded: dict[str, Any], notes: str) -> str:
    published = {Path(str(r["path"])).name for r in recorded.get("outputs", [])}
    items = "".join(
        f'<li><a href="{quarter}/{r.name}.html">{html.escape(r.title)}</a>'
        + (f' (<a href="{quarter}/{r.name}.docx">Word</a>)' if f"{r.name}.docx" in published else "")
        + "</li>"
        for r in REPORTS
        if f"{r.name}.html" in published
    )
    data = (
        f'<li><a href="{quarter}/data/datapackage.json">Data tables of this edition</a> '
        f"(CSV files, described in datapackage.json)</li>"
        if "datapackage.json" in published
        else ""
    )
    label = Quarter.parse(quarter).months
    return (
        f'<section id="edition-{quarter}" aria-labelledby="title-{quarter}">\n'
        f'<h2 id="title-{quarter}">{html.escape(label)}</h2>\n<ul>{items}{data}</ul>\n{notes}</section>\n'
    )


def build_index(notes: Mapping[str, str] | None = None) -> Path:
    """Write reports/index.html listing every published edition, newest first; return its path. `notes` are the
    editions' release notes where already computed (`all_notes`)."""
    target = paths.reports_dir() / INDEX
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(index_html(notes), encoding="utf-8")
    partial.replace(target)  # whole or not at all: a reader never sees half an index
    return target


def notes_html(quarter: str) -> str:
    """The edition's release notes (what changed since the previous edition), generated from the data."""
    from mapreport.reports import release_notes  # reads the data (pandas): only when the index is built

    if quarter not in available_quarters():
        return ""
    lines = release_notes.notes(quarter)
    if not lines:
        return "<p>The first edition held: there is no earlier edition to compare with.</p>"
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return f'<h3 id="notes-{quarter}">What changed since the previous edition</h3><ul>{items}</ul>'


def all_notes() -> dict[str, str]:
    """The release notes of every quarter with parameters (they read the data, not the published reports)."""
    return {quarter: notes_html(quarter) for quarter in available_quarters()}


def index_html(notes: Mapping[str, str] | None = None) -> str:
    """The index page: every published edition (a folder of reports/ with a manifest), newest first, each with its
    release notes (from `notes` where it has them)."""
    root = paths.reports_dir()
    sections = []
    for folder in sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True):
        recorded = manifest.read_manifest(folder)
        if recorded is not None:
            known = notes.get(folder.name) if notes is not None else None
            sections.append(
                _edition_section(folder.name, recorded, notes_html(folder.name) if known is None else known)
            )
    body = "\n".join(sections) or "<p>No edition has been published yet.</p>"
    return INDEX_PAGE.format(title=html.escape(SITE_TITLE), body=body, css=SITE_CSS)


SITE_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; max-width: 60rem; margin: 0 auto;
  padding: 1rem 1.5rem; font-size: 16px; line-height: 1.5; color: #1a1a1a; }
a { color: #0b4f9c; }
a:focus { outline: 3px solid #ffbf47; }
"""

INDEX_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header><p>Mayor's Office for Policing and Crime (MOPAC)</p></header>
<main>
<h1>{title}</h1>
<p>Each quarter's edition has three reports: the progress update on the Action Plan, the equality impact
assessment and the equality data annex. Editions are listed newest first.</p>
{body}
</main>
</body>
</html>
"""


__all__ = [
    "Edition",
    "all_notes",
    "build_index",
    "contents_html",
    "edition",
    "header_html",
    "index_html",
    "page_title",
    "with_site",
]
