"""The public HTML reports meet WCAG 2.1 AA: axe-core in headless Chromium, and the structure checked directly.

- axe-core runs inside each public page (`reports/*/*.html`, not the `*.audit.html` views, which are code for
  reviewers): any violation of impact serious or critical of the rules tagged wcag2a, wcag2aa, wcag21a, wcag21aa and
  best-practice fails the test, naming the rule, its help text and the first elements it found. The axe.min.js is the
  one bundled in the `axe-playwright-python` wheel (PyPI, in the `test` extra, pinned by constraints.txt); only its
  JavaScript file is used, injected with selenium; playwright itself is never started. No npm, no download at test
  time. To move to a newer axe-core, raise that package's pin in constraints.txt.
- The structure is checked directly: exactly one h1 and no skipped heading levels; every chart image has alt text of
  at least eight words and a data table right after it; every table has a caption and header cells; every coloured
  area of every chart is a colour of the colour-blind-safe palette (seaborn's 'colorblind').

Chromium is Debian's (`chromium` and `chromium-driver`; .ci/run installs them), driven with selenium (tests/e2e/
browser.py); the axe test skips, saying so, only where they are not installed. Run just these:
`python3 -m pytest tests/e2e/test_accessibility.py`. To see every violation of every impact while fixing a report,
paste the same axe.min.js into Chromium's DevTools console and run `await axe.run()`.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PROJECT
from tests.e2e.browser import chromium, open_file

PUBLIC = sorted(p for p in (PROJECT / "reports").glob("*/*.html") if not p.name.endswith(".audit.html"))
REPORTS = [*PUBLIC, PROJECT / "reports" / "index.html"]
IDS = [p.relative_to(PROJECT / "reports").as_posix() for p in REPORTS]
AXE_PACKAGE = "axe_playwright_python"  # the PyPI package axe-playwright-python: it bundles axe-core's axe.min.js
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}
MIN_ALT_WORDS = 8

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                          nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))))
  .catch(e => done({error: String(e)}));
"""


def axe_source() -> str:
    """axe-core's axe.min.js, as bundled in the axe-playwright-python wheel (a test dependency: missing is a failure)."""
    try:
        return (resources.files(AXE_PACKAGE) / "axe.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        pytest.fail(
            f"axe-core is not available ({exc}); install the test extra: "
            'python3 -m pip install -q -c constraints.txt -e ".[test]"'
        )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_there_are_public_reports_to_check() -> None:
    assert REPORTS, "no public HTML reports under reports/; render them with `python3 -m mapreport run --all`"


@pytest.mark.parametrize("report", REPORTS, ids=IDS)
def test_axe_finds_no_serious_or_critical_violation(report: Path, browser: Any) -> None:
    source = axe_source()
    open_file(browser, report)
    browser.execute_script(source)
    violations = browser.execute_async_script(RUN_AXE, AXE_TAGS)
    assert not isinstance(violations, dict), f"axe-core failed to run: {violations}"
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(f"{v['impact']} {v['id']}: {v['help']} at {v['nodes']}" for v in blocking)


@pytest.mark.parametrize("report", REPORTS, ids=IDS)
def test_no_horizontal_scroll_at_390_px(report: Path, browser: Any) -> None:
    """On a phone-sized window the page itself never scrolls sideways (wide tables scroll inside their box)."""
    browser.set_window_size(390, 844)
    try:
        open_file(browser, report)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"
        )
    finally:
        browser.set_window_size(1280, 900)
    assert overflow <= 0, f"the page scrolls {overflow} px sideways at 390 px"


@pytest.mark.parametrize("report", REPORTS, ids=IDS)
def test_one_h1_and_headings_in_order(report: Path) -> None:
    levels = [int(h.name[1]) for h in soup(report).find_all(re.compile(r"^h[1-6]$"))]
    assert levels.count(1) == 1 and levels[0] == 1, f"expected exactly one h1, first: {levels[:5]}"
    skips = [(a, b) for a, b in pairwise(levels) if b > a + 1]
    assert not skips, f"heading levels skip: {skips}"


@pytest.mark.parametrize("report", REPORTS, ids=IDS)
def test_every_chart_has_alt_text_and_a_data_table_beside_it(report: Path) -> None:
    page = soup(report)
    for img in page.find_all("img"):
        alt = (img.get("alt") or "").strip()
        assert len(alt.split()) >= MIN_ALT_WORDS, f"alt text too short to say what the chart shows: {alt!r}"
    for figure in page.find_all("figure"):
        following = figure.find_next_sibling()
        if following is not None and following.name in ("div", "details"):  # a scroll box, or closed data
            following = following.find("table")
        caption = figure.figcaption.get_text() if figure.figcaption else "?"
        assert following is not None and following.name == "table", f"chart {caption!r} has no data table beside it"


@pytest.mark.parametrize("report", REPORTS, ids=IDS)
def test_every_table_has_header_cells_and_a_caption(report: Path) -> None:
    for table in soup(report).find_all("table"):
        caption = table.caption.get_text(strip=True) if table.caption else ""
        assert caption, f"table without a caption: {str(table)[:120]}"
        assert table.find("th"), f"table {caption!r} has no header cells"


def _tint_of(colour: tuple[int, int, int], palette: list[tuple[float, float, float]]) -> bool:
    """Whether a pixel colour is a palette colour, or one blended with the white background (anti-aliased edges)."""
    white = 255.0
    for base in palette:
        direction = [b - white for b in base]
        offset = [c - white for c in colour]
        alpha = sum(d * o for d, o in zip(direction, offset, strict=True)) / sum(d * d for d in direction)
        residual = sum((o - alpha * d) ** 2 for d, o in zip(direction, offset, strict=True)) ** 0.5
        if 0.05 <= alpha <= 1.05 and residual < 8:
            return True
    return False


@pytest.mark.parametrize("report", REPORTS, ids=IDS)
def test_charts_use_the_colour_blind_safe_palette(report: Path) -> None:
    """Every coloured area of every chart is a colour of seaborn's 'colorblind' palette (Okabe and Ito's)."""
    import seaborn as sns
    from PIL import Image

    from mapreport.present.charts import palette

    safe = sns.color_palette("colorblind")
    assert list(palette()) == list(safe)
    # bars are drawn at seaborn's default saturation (0.75), lines and markers at full
    bases = [tuple(255 * c for c in colour) for colour in (*safe, *(sns.desaturate(c, 0.75) for c in safe))]
    for img in soup(report).find_all("img"):
        src = img.get("src", "")
        assert src.startswith("data:image/png;base64,"), "charts are embedded PNGs"
        image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")
        pixels = image.width * image.height
        colours = image.getcolors(maxcolors=pixels) or []
        # ignore greys and black (text, axes, grid) and colours on too few pixels to be a mark (anti-aliasing)
        marks = [c for n, c in colours if max(c) - min(c) > 40 and n > pixels * 0.002]
        off = [c for c in marks if not _tint_of(c, bases)]
        assert not off, f"chart {img.get('alt', '')[:60]!r} uses colours outside the palette: {off[:5]}"
