"""The site over reports/: every link resolves, every table's CSV holds exactly the table's data, each edition's
data release validates, and the index lists every edition with its reports.

These read the committed reports/ (as the nbval tests do); render with `python3 -m mapreport run --all` first.
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from mapreport.core import paths
from mapreport.pipeline.site import index_html
from mapreport.present.downloads import plain_text
from tests.conftest import PROJECT

REPORTS_DIR = PROJECT / "reports"
PAGES = sorted(REPORTS_DIR.rglob("*.html"))
PAGE_IDS = [p.relative_to(REPORTS_DIR).as_posix() for p in PAGES]
EDITIONS = sorted(p.parent for p in REPORTS_DIR.glob("*/manifest.json"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@cache
def _ids(path: Path) -> set[str]:
    return {str(tag["id"]) for tag in soup(path).find_all(id=True)}


def test_there_is_a_site_to_check() -> None:
    assert (REPORTS_DIR / "index.html").is_file(), "no reports/index.html; run `python3 -m mapreport run --all`"
    assert EDITIONS, "no published edition under reports/"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for tag in soup(page).find_all(["a", "img", "link", "script"]):
        target = tag.get("href") or tag.get("src")
        if not target or target.startswith(("http://", "https://", "mailto:", "data:")):
            continue
        parts = urlsplit(target)
        assert not parts.scheme and not parts.netloc, f"{target!r} is not a relative link"
        file = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        missing = not file.is_file() or not file.is_relative_to(REPORTS_DIR.resolve())
        if missing or (parts.fragment and file.suffix == ".html" and parts.fragment not in _ids(file)):
            broken.append(target)
    assert not broken, f"links that do not resolve: {broken[:10]}"


def _html_rows(table: BeautifulSoup) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")]


def _same(shown: str, downloaded: str) -> bool:
    shown, downloaded = " ".join(shown.split()), " ".join(downloaded.split())
    return shown == downloaded or shown.replace(",", "") == downloaded or plain_text(shown) == downloaded


@pytest.mark.parametrize("page", [p for p in PAGES if p.parent != REPORTS_DIR], ids=lambda p: p.name)
def test_every_table_has_a_csv_with_exactly_its_data(page: Path) -> None:
    for table in soup(page).find_all("table", class_="mapreport-table"):
        caption = table.caption.get_text(strip=True)
        link = table.find_next("p", class_="mapreport-download")
        assert link is not None and link.a is not None, f"table {caption!r} has no CSV link"
        rows = _html_rows(table)
        with (page.parent / link.a["href"]).open(encoding="utf-8", newline="") as handle:
            downloaded = list(csv.reader(handle))
        if rows[1:] and rows[1][0] == "No entries." and len(downloaded) == 1:
            rows = rows[:1]
        assert len(rows) == len(downloaded), f"{caption!r}: {len(rows)} rows shown, {len(downloaded)} in the CSV"
        for shown, row in zip(rows, downloaded, strict=True):
            assert len(shown) == len(row), f"{caption!r}: {shown[:3]} against {row[:3]}"
            wrong = [(a, b) for a, b in zip(shown, row, strict=True) if not _same(a, b)]
            assert not wrong, f"{caption!r}: cells differ between the page and the CSV: {wrong[:3]}"


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda p: p.name)
def test_each_edition_has_a_valid_data_package_listing_every_csv(edition: Path) -> None:
    from frictionless import validate

    package = edition / "data" / "datapackage.json"
    report = validate(str(package))
    assert report.valid, report.flatten(["title", "message"])[:5]
    described = {r["path"] for r in json.loads(package.read_text(encoding="utf-8"))["resources"]}
    held = {p.relative_to(package.parent).as_posix() for p in package.parent.rglob("*.csv")}
    assert described == held
    licence = json.loads(package.read_text(encoding="utf-8"))["licenses"][0]["name"]
    assert licence == "OGL-UK-3.0"


INTERNALS = {
    "the tool's name": r"mapreport",
    "a data/ path": r"\bdata/",
    "Python's None": r"\bNone\b",
    "a missing number (nan)": r"\bnan\b",
    "a raw dict": r"\{'",
    "'BAME' outside a quotation": r"BAME",
}
_QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|\"[^\"]*\"")


def public_text(page: Path) -> str:
    """What a reader reads on a public page, less the provenance section (which names files by design) and the
    texts quoted from the sources (marked as quotations)."""
    document = soup(page)
    for tag in document.find_all(["script", "style", "blockquote", "q"]):
        tag.decompose()
    for tag in document.find_all(class_="source-text"):
        tag.decompose()
    heading = document.find(id="Provenance")
    if heading is not None:
        cell = heading.find_parent(class_="jp-Cell") or heading
        for later in list(cell.find_next_siblings()):
            later.decompose()
        cell.decompose()
    return _QUOTED.sub("", " ".join(document.get_text(" ").split()))


PUBLIC = [p for p in PAGES if not p.name.endswith(".audit.html")]


@pytest.mark.parametrize("page", PUBLIC, ids=[p.relative_to(REPORTS_DIR).as_posix() for p in PUBLIC])
def test_public_pages_show_no_tool_internals(page: Path) -> None:
    text = public_text(page)
    found = {
        what: text[max(0, m.start() - 60) : m.end() + 30]
        for what, pattern in INTERNALS.items()
        if (m := re.search(pattern, text))
    }
    assert not found, f"the page shows {found}"


def test_the_index_lists_every_edition_and_its_reports() -> None:
    index = soup(REPORTS_DIR / "index.html")
    links = {a["href"] for a in index.find_all("a")}
    for edition in EDITIONS:
        pages = {f"{edition.name}/{p.name}" for p in edition.glob("*.html") if not p.name.endswith(".audit.html")}
        assert pages <= links, f"the index does not link {sorted(pages - links)}"


def test_the_index_is_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.ROOT_ENV, str(PROJECT))
    paths.project_root.cache_clear()
    expected = index_html()
    paths.project_root.cache_clear()
    on_disk = (REPORTS_DIR / "index.html").read_text(encoding="utf-8")
    assert on_disk == expected, "reports/index.html is out of date: run `python3 -m mapreport site`"


def test_csv_of_a_table_holds_the_values_as_shown() -> None:
    """The CSV written for a table holds the values as shown, counts without separators."""
    import pandas as pd

    from mapreport.present import downloads, show

    frame = pd.DataFrame({"Group": ["Black", "White"], "Searches": [32392, 1200], "Rate": [1.25, float("nan")]})
    markup = show.table_html(frame, "Searches by group")
    (table,) = downloads.tables_in(markup)
    assert list(csv.reader(io.StringIO(table["csv"]))) == [
        ["Group", "Searches", "Rate"],
        ["Black", "32392", "1.2"],
        ["White", "1200", ""],
    ]
    assert [f["type"] for f in table["fields"]] == ["string", "integer", "number"]
