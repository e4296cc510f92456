"""Free text from the sources is data, not markup: Markdown or HTML fragments sanitised to an allow-list."""

from __future__ import annotations

import html
import re

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

_markdown = MarkdownIt("commonmark", {"html": True})


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


def markdown_to_html(text: str) -> str:
    """Render Markdown (which may hold HTML fragments) and sanitise the result."""
    return sanitise_html(_markdown.render(text))


def plain(text: str) -> str:
    """Escape text for HTML, keeping none of its markup."""
    return html.escape(text, quote=True)
