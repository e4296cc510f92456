import shutil
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from mapreport.pipeline import render


def notebook():
    params = new_code_cell("quarter = 'x'")
    params.metadata["tags"] = ["parameters"]
    shown = new_code_cell("secret_code()")
    shown.outputs = [new_output("display_data", data={"text/html": "<p>visible output</p>"})]
    return new_notebook(cells=[params, new_markdown_cell("# Title"), shown])


def test_the_public_view_hides_code_and_parameters() -> None:
    html = render.to_html(notebook(), "T", public=True)
    assert "visible output" in html
    assert "secret_code" not in html and "quarter = " not in html


def test_the_audit_view_shows_code() -> None:
    html = render.to_html(notebook(), "T", public=False)
    assert "secret_code" in html


def test_the_html_fetches_nothing_from_the_network() -> None:
    html = render.to_html(notebook(), "T", public=True)
    assert "<script" not in html and "https://cdn" not in html


def test_the_html_declares_its_language() -> None:
    assert '<html lang="en">' in render.to_html(notebook(), "T", public=True)


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
    page.write_text(render.to_html(notebook(), "T", public=True))
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    render.html_to_docx(page, first, epoch=1_656_547_200)
    render.html_to_docx(page, second, epoch=1_656_547_200)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes()[:2] == b"PK"
