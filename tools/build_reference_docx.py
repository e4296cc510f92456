"""Build src/mapreport/pipeline/templates/reference.docx: the Word styles, page and header/footer of the EIA.

pandoc's `--reference-doc` takes from this file the page size and margins, the header and footer, and every style
(fonts, headings, table borders, the small monospace font of hashes). The build starts from pandoc's own default
reference document and changes only what is listed below, so it is reproducible:

    python3 tools/build_reference_docx.py

To restyle the Word file, either edit the constants below and re-run, or open the .docx in Word or LibreOffice,
change the styles (keep the style names), and save it over the same path. `MAPREPORT_HEADER` in the header is
replaced by the report's title and edition when each Word file is written.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pypandoc

OUT = Path(__file__).resolve().parents[1] / "src/mapreport/pipeline/templates/reference.docx"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
FONT = "Arial"
MONO = "Courier New"  # LibreOffice uses the metric-compatible Liberation Mono
TEXT_WIDTH = 11906 - 2 * 1134  # A4 width minus 2 cm margins, in twentieths of a point

SECTION = (
    '<w:sectPr><w:headerReference w:type="default" r:id="rIdMrHeader"/>'
    '<w:footerReference w:type="default" r:id="rIdMrFooter"/>'
    '<w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr>'
    '<w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/>'
    "</w:sectPr>"
)
SMALL_GREY = '<w:rPr><w:color w:val="505050"/><w:sz w:val="18"/></w:rPr>'
HEADER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {W} {R}><w:p><w:pPr><w:jc w:val="right"/>'
    '<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="808080"/></w:pBdr></w:pPr>'
    f'<w:r>{SMALL_GREY}<w:t xml:space="preserve">MAPREPORT_HEADER</w:t></w:r></w:p></w:hdr>'
)


def _field(code: str) -> str:
    return (
        f'<w:r>{SMALL_GREY}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{SMALL_GREY}<w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
        f'<w:r>{SMALL_GREY}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{SMALL_GREY}<w:t>1</w:t></w:r>"
        f'<w:r>{SMALL_GREY}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def _text(text: str) -> str:
    return f'<w:r>{SMALL_GREY}<w:t xml:space="preserve">{text}</w:t></w:r>'


FOOTER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {W} {R}><w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
    + _text("Page ")
    + _field("PAGE")
    + _text(" of ")
    + _field("NUMPAGES")
    + "</w:p></w:ftr>"
)
TABLE_BORDERS = (
    "<w:tblBorders>"
    + "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + "</w:tblBorders>"
)
NEW_STYLES = (
    '<w:style w:type="paragraph" w:customStyle="1" w:styleId="TOC1"><w:name w:val="toc 1"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" '
    f'w:pos="{TEXT_WIDTH}"/></w:tabs><w:spacing w:before="60" w:after="60"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:customStyle="1" w:styleId="TOC2"><w:name w:val="toc 2"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" '
    f'w:pos="{TEXT_WIDTH}"/></w:tabs><w:spacing w:before="0" w:after="40"/><w:ind w:left="440"/></w:pPr></w:style>'
)


def _style(styles: str, style_id: str, change: str, inside: str = "</w:style>") -> str:
    """Insert `change` into the style `style_id` just before `inside` (its closing tag by default)."""
    pattern = re.compile(rf'(<w:style [^>]*w:styleId="{style_id}".*?)({re.escape(inside)})', re.DOTALL)
    result, count = pattern.subn(lambda m: m[1] + change + m[2], styles, count=1)
    if count != 1:
        raise SystemExit(f"style {style_id} not found in pandoc's reference document")
    return result


def styles_xml(styles: str) -> str:
    """Fonts, sizes, table borders and the small monospace font for hashes."""
    styles = re.sub(
        r"<w:rFonts [^>]*/>", f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>', styles, count=1
    )
    styles = styles.replace(
        '<w:sz w:val="24" />\n        <w:szCs w:val="24" />', '<w:sz w:val="21"/><w:szCs w:val="21"/>'
    )
    styles = styles.replace('w:val="en-US"', 'w:val="en-GB"')
    styles = _style(styles, "Table", TABLE_BORDERS, "<w:tblCellMar>")
    styles = _style(styles, "Table", "<w:rPr><w:b/></w:rPr>", "<w:tcPr>")  # the header row in bold
    styles = re.sub(
        r'(w:styleId="VerbatimChar".*?)<w:rFonts [^>]*/>\s*<w:sz w:val="22" />',
        rf'\1<w:rFonts w:ascii="{MONO}" w:hAnsi="{MONO}"/><w:sz w:val="13"/>',
        styles,
        count=1,
        flags=re.DOTALL,
    )
    styles = _style(styles, "Compact", '<w:rPr><w:sz w:val="19"/></w:rPr>')
    return styles.replace("</w:styles>", NEW_STYLES + "</w:styles>")


def build() -> bytes:
    """The default reference document of the pandoc in use, with mapreport's page, header, footer and styles."""
    default = subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"], capture_output=True, check=True
    ).stdout
    source = Path(OUT.parent / "reference-default.docx")
    source.write_bytes(default)
    try:
        with zipfile.ZipFile(source) as zin:
            parts = {info.filename: zin.read(info) for info in zin.infolist()}
    finally:
        source.unlink()
    parts["word/styles.xml"] = styles_xml(parts["word/styles.xml"].decode()).encode()
    document = parts["word/document.xml"].decode()
    document = re.sub(r"<w:sectPr>.*?</w:sectPr>", SECTION, document, flags=re.DOTALL)
    parts["word/document.xml"] = document.encode()
    parts["word/header1.xml"] = HEADER.encode()
    parts["word/footer1.xml"] = FOOTER.encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Type="{kind}/header" Id="rIdMrHeader" Target="header1.xml"/>'
        f'<Relationship Type="{kind}/footer" Id="rIdMrFooter" Target="footer1.xml"/></Relationships>',
    )
    parts["word/_rels/document.xml.rels"] = rels.encode()
    types = parts["[Content_Types].xml"].decode()
    office = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    types = types.replace(
        "</Types>",
        f'<Override PartName="/word/header1.xml" ContentType="{office}.header+xml"/>'
        f'<Override PartName="/word/footer1.xml" ContentType="{office}.footer+xml"/></Types>',
    )
    parts["[Content_Types].xml"] = types.encode()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(zipfile.ZipInfo(name, date_time=(2020, 11, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return OUT.read_bytes()


if __name__ == "__main__":
    build()
    print(f"wrote {OUT}")
