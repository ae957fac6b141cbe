"""Markdown to safe HTML: CommonMark by markdown-it-py, then an allow-list clean by nh3 (Ammonia).

Raw HTML in the source is not interpreted at all; the cleaner is a second wall behind that, so
no script, event handler, style or `javascript:` link survives either way.
"""
import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "s", "del", "ins", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def _shift_headings(tokens, offset: int) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + offset, 6)
            token.tag = f"h{level}"


def render(text: str, *, heading_offset: int = 1) -> Markup:
    """Safe HTML for `text`. Headings move down by `heading_offset` (the page has its own <h1>)."""
    tokens = _parser.parse(text or "")
    _shift_headings(tokens, heading_offset)
    html = _parser.renderer.render(tokens, _parser.options, {})
    return Markup(clean(html))


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
