"""Free text from the sources is data, not markup: Markdown or HTML fragments sanitised to an allow-list."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "sup",
    "sub",
    "a",
    "br",
    "h3",
    "h4",
    "blockquote",
    "code",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Source text is prose with a few HTML tags: no code blocks or spans (they would show escapes literally), no
# Markdown links or images (their targets would vanish from the text), no reference definitions (a line `[1]: x`
# would vanish whole).
_markdown = MarkdownIt("commonmark", {"html": True}).disable(
    ["code", "fence", "backticks", "reference", "link", "image", "autolink"]
)

# An allowed tag as HTML writes it: bare (`<b>`, `</p>`, `<br/>`) or with attributes as name="value" (the sanitiser
# then keeps only the allowed ones). Anything else in angle brackets (`<b and c>`, `<1 June>`) is text, shown as
# written.
_ATTRIBUTE = r"""\s+[A-Za-z][\w:-]*\s*=\s*(?:"[^"<>]*"|'[^'<>]*')"""
_ALLOWED_TAG = re.compile(
    rf"<(?:(?:{'|'.join(sorted(ALLOWED_TAGS))})(?:{_ATTRIBUTE})*\s*/?|/(?:{'|'.join(sorted(ALLOWED_TAGS))})\s*)>", re.I
)
# A number and a full stop (or bracket) opening a line, or opening the text of a quote or list item on it ("> 1. ",
# "- 2021. "): Markdown would make it an ordered list, renumbered or emptied.
_LIST_NUMBER = r"^(?P<lead>(?:[ \t]*(?:>|[-*+](?=[ \t])))*)[ \t]*\d{1,9}[.)](?=[ \t]|$)"
_AS_TEXT = re.compile(rf"(?P<tag>{_ALLOWED_TAG.pattern})|(?P<list>{_LIST_NUMBER})|[<&\\]", re.I | re.M)
_ENTITY = {"<": "&lt;", "&": "&amp;", "\\": "&#92;"}


# A list holding no <li> (the items' tags lost in the source); nh3's output has no attributes on lists.
_ITEMLESS_LIST = re.compile(r"<(ul|ol)>((?:(?!<(?:ul|ol|li)\b).)*?)</\1>", re.DOTALL)


def sanitise_html(fragment: str) -> str:
    """Keep only allow-listed tags and attributes and links with safe schemes; drop scripts and their content.

    A list without items is invalid HTML that screen readers announce wrongly, so its content is kept unlisted.
    """
    cleaned = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style"},
    )
    previous = None
    while previous != cleaned:  # innermost first, for nested lists
        previous, cleaned = cleaned, _ITEMLESS_LIST.sub(r"\2", cleaned)
    return cleaned.strip()


def _as_text(match: re.Match[str]) -> str:
    if match["tag"]:
        return match[0]
    if match["list"]:  # "2021. " stays "2021. ": the number is followed by an entity, so no list is made
        text = match[0][:-1] + ("&#46;" if match[0][-1] == "." else "&#41;")
        start, source = match.start(), match.string
        follows_a_line = not match["lead"] and start >= 2 and source[start - 1] == "\n" and source[start - 2] != "\n"
        return f"<br>{text.lstrip()}" if follows_a_line else text  # and it keeps its own line
    return _ENTITY[match[0]]


def protect_text(text: str) -> str:
    """Source text with everything that is not an allowed tag made literal before Markdown sees it.

    `<` that does not open an allowed tag, every `&` and every backslash become entities (`<Stop and Search Charter>` and `&amp;` are
    shown as written, never dropped as unknown tags or decoded), and a line starting with a number and a full stop
    is not made an ordered list (which would renumber it 1., 2., ...).
    """
    return _AS_TEXT.sub(_as_text, text)


@lru_cache(maxsize=8192)
def markdown_to_html(text: str) -> str:
    """Render Markdown (which may hold allowed HTML tags) and sanitise the result; no source text is dropped.
    Remembered for each text: a table renders each cell for the page and again for its CSV."""
    return sanitise_html(_markdown.render(protect_text(text)))


def plain(text: str) -> str:
    """Escape text for HTML, keeping none of its markup."""
    return html.escape(text, quote=True)
