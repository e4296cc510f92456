"""The EIA's Word file as an equality officer opens it: converted by LibreOffice, on A4, with its cover and contents."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from mapreport.core.wordengine import word_engine
from mapreport.pipeline.run import run_quarters
from tests.conftest import RENDERED_QUARTER, replace_in

Q = RENDERED_QUARTER
A4_POINTS = (595.3, 841.9)
MAX_PAGES = 30
"""The 2022-23-Q1 EIA is 19 pages on A4 (89 on US Letter before the reference document); a bound, not a target."""
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed; CI has no LibreOffice, so this check runs locally"
)


def convert(docx: Path, folder: Path, target: str) -> Path:
    """The Word file converted by LibreOffice (a private profile, so a desktop LibreOffice does not interfere)."""
    profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
    command = [str(SOFFICE), profile, "--headless", "--convert-to", target, "--outdir", str(folder), str(docx)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return folder / f"{docx.stem}.{target.split(':')[0]}"


def to_pdf(docx: Path, folder: Path) -> bytes:
    return convert(docx, folder, "pdf").read_bytes()


def to_text(docx: Path, folder: Path) -> str:
    return convert(docx, folder, "txt:Text (encoded):UTF8").read_text(encoding="utf-8-sig")


def word_text(path: Path) -> str:
    with zipfile.ZipFile(path) as docx:
        return re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode("utf-8"))


@needs_soffice
def test_libreoffice_prints_the_eia_on_a4_within_the_page_bound(rendered_base: Path, tmp_path: Path) -> None:
    pdf = to_pdf(rendered_base / "reports" / Q / "eia_report.docx", tmp_path)
    boxes = {tuple(float(v) for v in box.split()[2:]) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)}
    assert boxes and all(abs(w - A4_POINTS[0]) < 1 and abs(h - A4_POINTS[1]) < 1 for w, h in boxes), boxes
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert 5 <= pages <= MAX_PAGES


@needs_soffice
def test_libreoffice_shows_the_cover_contents_and_page_numbers(rendered_base: Path, tmp_path: Path) -> None:
    text = to_text(rendered_base / "reports" / Q / "eia_report.docx", tmp_path)
    for field in ("Document control", "Owner", "Signed off by", "Review date", "Not stated in the published EIA"):
        assert field in text
    assert "Mayor's Office for Policing and Crime (MOPAC)" in text
    assert "Contents" in text and "Gaps" in text
    cover, contents = text.index("Review date"), text.index("Contents")
    assert cover < contents


def test_an_edit_to_the_owner_and_review_date_reaches_the_word_cover(rendered_project: Path) -> None:
    plan = rendered_project / "data/eia/2020-11/_plan.md"
    replace_in(plan, "owner: \"Mayor's Office", "owner: \"Equalities team, an edit by the EIA author; Mayor's Office")
    replace_in(plan, 'review_date: "Not stated in the published EIA"', 'review_date: "31 March 2023 (author edit)"')
    [result] = run_quarters([Q])
    assert result.executed == ["eia_report"]
    text = word_text(rendered_project / "reports" / Q / "eia_report.docx")
    assert "Equalities team, an edit by the EIA author" in text
    assert "31 March 2023 (author edit)" in text


def test_the_manifest_records_the_word_engine(rendered_base: Path) -> None:
    manifest = json.loads((rendered_base / "reports" / Q / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["word_engine"] == word_engine()
    assert manifest["word_engine"]["name"] in {"pandoc", "quarto"}
    assert re.match(r"\d+\.\d+", manifest["word_engine"]["version"])
