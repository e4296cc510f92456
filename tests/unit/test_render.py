import re
import shutil
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from mapreport.core.errors import InputError
from mapreport.pipeline import render, site
from tests.conftest import PROJECT

EDITION = site.Edition("2022-23-Q1", "2021-22-Q4", None)


def notebook():
    params = new_code_cell("quarter = 'x'")
    params.metadata["tags"] = ["parameters"]
    shown = new_code_cell("secret_code()")
    shown.outputs = [new_output("display_data", data={"text/html": "<p>visible output</p>"})]
    return new_notebook(cells=[params, new_markdown_cell("# Title"), shown])


def test_the_public_view_hides_code_and_parameters() -> None:
    html = render.to_html(notebook(), "T", public=True, edition=EDITION, report="progress_report")
    assert "visible output" in html
    assert "secret_code" not in html and "quarter = " not in html


def test_the_audit_view_shows_code() -> None:
    html = render.to_html(notebook(), "T", public=False, edition=EDITION, report="progress_report")
    assert "secret_code" in html


def test_the_html_fetches_nothing_from_the_network() -> None:
    html = render.to_html(notebook(), "T", public=True, edition=EDITION, report="progress_report")
    assert "<script" not in html and "https://cdn" not in html


def test_the_html_declares_its_language() -> None:
    assert '<html lang="en">' in render.to_html(notebook(), "T", public=True, edition=EDITION, report="progress_report")


def test_quarto_is_used_only_where_it_is_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert render.docx_engine() == "pandoc"
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/quarto")
    assert render.docx_engine() == "quarto"


def test_the_quarto_command_renders_without_executing_or_showing_code() -> None:
    command = render.quarto_command(Path("/r/eia_report.ipynb"), Path("/r/eia_report.docx"))
    assert command[:4] == ["quarto", "render", "/r/eia_report.ipynb", "--to"]
    assert {"--no-execute", "echo:false"} <= set(command)


def test_pandoc_writes_the_same_word_file_twice(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(render.to_html(notebook(), "T", public=True, edition=EDITION, report="progress_report"))
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    render.html_to_docx(page, first, epoch=1_656_547_200)
    render.html_to_docx(page, second, epoch=1_656_547_200)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes()[:2] == b"PK"


def test_the_page_carries_the_site_header_and_a_csv_link_beside_each_table(tmp_path: Path) -> None:
    import pandas as pd

    from mapreport.present import show

    nb = notebook()
    table = new_code_cell("table()")
    html = show.HTML(
        show.table_html(pd.DataFrame({"Group": ["Black"], "Searches": [3]}), "Searches for the render test")
    )
    data, metadata = html._repr_html_()
    table.outputs = [new_output("display_data", data={"text/html": data}, metadata={"text/html": metadata})]
    nb.cells.append(table)
    page = render.to_html(nb, "T", public=True, edition=EDITION, report="progress_report")
    assert 'href="../2021-22-Q4/progress_report.html" rel="prev"' in page
    assert "Next edition" not in page
    assert '<a href="data/progress-report/searches-for-the-render-test.csv" download>' in page
    render.write_tables(nb, tmp_path, "progress_report")
    assert (
        tmp_path / "data/progress-report/searches-for-the-render-test.csv"
    ).read_text() == "Group,Searches\nBlack,3\n"


def docx_part(path: Path, part: str) -> str:
    import zipfile

    with zipfile.ZipFile(path) as docx:
        return docx.read(part).decode("utf-8")


def test_the_word_file_takes_page_header_and_footer_from_the_reference_document(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        render.to_html(
            notebook(), "Equality impact assessment: 2022-23-Q1", public=True, edition=EDITION, report="eia_report"
        )
    )
    render.html_to_docx(page, tmp_path / "a.docx", epoch=1_656_547_200)
    document = docx_part(tmp_path / "a.docx", "word/document.xml")
    assert re.search(r'<w:pgSz w:h="16838" w:w="11906" ?/>', document)  # A4
    assert "Equality impact assessment: 2022-23-Q1" in docx_part(tmp_path / "a.docx", "word/header1.xml")
    footer = docx_part(tmp_path / "a.docx", "word/footer1.xml")
    assert " PAGE " in footer and " NUMPAGES " in footer


def test_a_cover_div_is_followed_by_a_page_break_and_a_contents_list(tmp_path: Path) -> None:
    nb = notebook()
    nb.cells[2].outputs = [
        new_output("display_data", data={"text/html": '<div class="eia-cover"><p>cover</p></div><h2>Gaps</h2>'})
    ]
    page = tmp_path / "page.html"
    page.write_text(render.to_html(nb, "T", public=True, edition=EDITION, report="eia_report"))
    render.html_to_docx(page, tmp_path / "a.docx", epoch=1_656_547_200)
    document = docx_part(tmp_path / "a.docx", "word/document.xml")
    cover, contents, gaps = document.index("cover"), document.index(">Contents<"), document.rindex(">Gaps<")
    assert cover < document.index('w:type="page"') < contents < document.index("PAGEREF mr_toc_") < gaps


def test_tables_get_column_widths_from_their_content(tmp_path: Path) -> None:
    nb = notebook()
    long_text = "a commitment in many words " * 30
    table = f"<table><tr><th>Action</th><th>Commitment</th></tr><tr><td>1.a</td><td>{long_text}</td></tr></table>"
    nb.cells[2].outputs = [new_output("display_data", data={"text/html": table})]
    page = tmp_path / "page.html"
    page.write_text(render.to_html(nb, "T", public=True, edition=EDITION, report="eia_report"))
    render.html_to_docx(page, tmp_path / "a.docx", epoch=1_656_547_200)
    document = docx_part(tmp_path / "a.docx", "word/document.xml")
    narrow, wide = (int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', document))
    assert wide > 3 * narrow


def test_a_reference_document_that_is_not_a_docx_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(render.to_html(notebook(), "T", public=True, edition=EDITION, report="eia_report"))
    bad = tmp_path / "reference.docx"
    bad.write_text("saved as plain text")
    with pytest.raises(InputError, match=r"reference.docx: is not a Word .docx file \(saved in another format\?\)"):
        render.html_to_docx(page, tmp_path / "a.docx", epoch=1, reference=bad)
    assert not (tmp_path / "a.docx").exists()


def test_the_reference_document_script_is_reproducible(tmp_path: Path) -> None:
    """tools/build_reference_docx.py gives the same bytes each time (authors may also restyle the committed file)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build", PROJECT / "tools/build_reference_docx.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.OUT = tmp_path / "reference.docx"
    first = build.build()
    assert build.build() == first
    render.check_reference_doc(build.OUT)
