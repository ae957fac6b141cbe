"""Markdown to safe HTML: CommonMark by markdown-it-py, then an allow-list clean by nh3 (Ammonia).

Raw HTML in the source is not interpreted at all; the cleaner is a second wall behind that, so
no script, event handler, style or `javascript:` link survives either way.
"""
import hashlib
import json
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# `breaks`: a line break typed (or pasted from a word processor) is a line break, as people who do
# not write Markdown expect; in CommonMark it joins the lines into one.
_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": True}).enable("table")
# Kept renderings (below) name the rendering they were made by: raise it with any change to what
# `render` makes, and `db upgrade` makes the kept ones again (kept_renderings.refresh). 2: line
# breaks kept, a word processor's bullets as list items.
RENDERING = 2
# A list pasted from a word processor: "•" and a tab (or spaces) before each item, often indented by
# tabs; "◦" for the second level. Their indent would make Markdown read code or plain text.
_PASTED_BULLET = re.compile(r"^[ \t]*([•▪‣◦])[ \t]+")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def _pasted_lists(text: str) -> str:
    """A word processor's bullets as Markdown list items (outside code fences)."""
    lines, in_fence = [], False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (bullet := _PASTED_BULLET.match(line)):
            line = ("  - " if bullet.group(1) == "◦" else "- ") + line[bullet.end():]
        lines.append(line)
    return "\n".join(lines)

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
    tokens = _parser.parse(_pasted_lists(text or ""))
    _shift_headings(tokens, heading_offset)
    html = _parser.renderer.render(tokens, _parser.options, {})
    return Markup(clean(html))


def offset_to(top_level: int, text: str) -> int:
    """The heading offset that makes the highest heading of `text` one of `top_level`, whichever
    level it was written with (a text of "##" sections below a page's <h2> skipped a level)."""
    levels = [int(token.tag[1]) for token in _parser.parse(_pasted_lists(text or "")) if token.type == "heading_open"]
    return top_level - min(levels, default=top_level)


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# --- rendered once, when the text is written --------------------------------------------------
# A stored rendering starts with a fingerprint of the text and heading offset it was made from;
# shown() uses it only while it still matches, so a row written by a path that did not render
# (an old row, a direct update) is rendered on the fly instead of showing stale HTML.

def _marker(text: str, heading_offset: int) -> str:
    digest = hashlib.blake2b(f"{RENDERING}\0{heading_offset}\0{text or ''}".encode(), digest_size=12).hexdigest()
    return f"<!--md:{digest}-->"


def keep(text: str, *, heading_offset: int = 1) -> str:
    """The HTML to store next to `text` (empty text: nothing to store)."""
    if not (text or "").strip():
        return ""
    return _marker(text, heading_offset) + str(render(text, heading_offset=heading_offset))


def is_current(stored: str | None, text: str, *, heading_offset: int = 1) -> bool:
    """Whether `stored` is what `keep` makes of `text` today."""
    if not (text or "").strip():
        return not stored
    return bool(stored) and stored.startswith(_marker(text, heading_offset))


def sections_current(stored: str | None, sections, *, heading_offset: int) -> bool:
    kept = json.loads(stored) if stored else []
    return len(kept) == len(sections) and all(
        is_current(html, section.body, heading_offset=heading_offset) for html, section in zip(kept, sections, strict=True))


def shown(stored: str | None, text: str, *, heading_offset: int = 1) -> Markup:
    """The stored rendering of `text` if it is one, else a fresh one."""
    marker = _marker(text, heading_offset)
    if stored and stored.startswith(marker):
        return Markup(stored[len(marker):])
    return render(text, heading_offset=heading_offset)


def keep_sections(sections, *, heading_offset: int) -> str:
    """An agreement version's sections (agreements.sections.split), rendered, as JSON."""
    return json.dumps([keep(section.body, heading_offset=heading_offset) for section in sections])


def shown_sections(stored: str | None, sections, *, heading_offset: int) -> list[Markup]:
    kept = json.loads(stored) if stored else []
    if len(kept) != len(sections):
        kept = [None] * len(sections)
    return [shown(html, section.body, heading_offset=heading_offset) for html, section in zip(kept, sections, strict=True)]
