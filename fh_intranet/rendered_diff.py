"""The word diff (textdiff) shown on the rendered text: headings, lists and emphasis as the reader
sees them, with insertions and deletions marked as tracked changes.

The diff is computed on the Markdown source as before (bounded, see textdiff). The changed
pieces are then marked in a merged source with characters from Unicode's private use area,
which Markdown passes through as text, the merged source is rendered and cleaned like any
Markdown, and only then do the marks become <ins>/<del> with their words for screen readers. A
change is marked line by line, after the line's block syntax ("## ", "- ", "1. ", "> "), so
that an inserted heading stays a heading; lines that are structure only (code fences, table rows,
rules) are kept unmarked. The result is cleaned once more, which also mends any mark that
Markdown's inline syntax split.
"""
import re

import nh3
from markupsafe import Markup, escape

from . import markdown
from .textdiff import DELETE_END, DELETED, INSERT_END, INSERTED, Piece

MARKS = {"insert": ("\ue000", "\ue001"), "delete": ("\ue002", "\ue003")}
BLOCK_PREFIX = re.compile(r"[ \t]*(?:(?:#{1,6}|[-*+]|\d{1,9}[.)]|>)[ \t]+)*")
STRUCTURE_ONLY = re.compile(r"[ \t]*(?:`{3,}|~{3,}|\||(?:[-*_=][ \t]*){3,}$)")
INLINE_EDGES = re.compile(r"([\s*_`~]*)(.*?)([\s*_`~]*)", re.DOTALL)
SYNTAX_ONLY = re.compile(r"[\s*_`#>~|+=-]*")
ALLOWED_TAGS = markdown.ALLOWED_TAGS | {"ins", "del", "span"}
ALLOWED_ATTRIBUTES = {**markdown.ALLOWED_ATTRIBUTES, "span": {"class"}}


def _marked_line(line: str, kind: str, at_line_start: bool, keep_syntax: bool) -> str:
    if not line.strip() or (at_line_start and STRUCTURE_ONLY.match(line)):
        return line
    prefix = BLOCK_PREFIX.match(line).group(0) if at_line_start else ""
    # Emphasis or code delimiters at the edges stay outside the mark, so that they still pair
    # with their partners in the unchanged text; a deletion's own delimiters are left out of a
    # text that shows both versions.
    inner = INLINE_EDGES.fullmatch(line[len(prefix):])
    lead, core, tail = inner.group(1), inner.group(2), inner.group(3)
    if not keep_syntax:
        lead, tail = re.sub(r"[*_`~]", "", lead), re.sub(r"[*_`~]", "", tail)
    start, end = MARKS[kind]
    return f"{prefix}{lead}{start}{core}{end}{tail}" if core else f"{prefix}{lead}{tail}"


def merged_source(pieces: list[Piece], kinds=("same", "insert", "delete")) -> str:
    """One Markdown text holding the pieces of `kinds`, the changed ones marked.

    A change of Markdown syntax alone ("*" to "**") is a change of form, not of words: it is taken
    over unmarked, and where both versions meet in one text only the new form is kept."""
    out, at_line_start = [], True
    both = "insert" in kinds and "delete" in kinds
    for piece in pieces:
        if piece.kind not in kinds:
            continue
        if piece.kind != "same" and SYNTAX_ONLY.fullmatch(piece.text):
            if not (both and piece.kind == "delete"):
                out.append(piece.text)
        elif piece.kind == "same":
            out.append(piece.text)
        else:
            lines = piece.text.split("\n")
            for index, line in enumerate(lines):
                if index:
                    out.append("\n")
                    at_line_start = True
                out.append(_marked_line(line, piece.kind, at_line_start,
                                        keep_syntax=not (both and piece.kind == "delete")))
                at_line_start = at_line_start and not line
        if out:
            at_line_start = out[-1].endswith("\n")
    return "".join(out)


def _tags(kind: str) -> tuple[str, str]:
    tag, start, end = ("ins", INSERTED, INSERT_END) if kind == "insert" else ("del", DELETED, DELETE_END)
    return (f'<{tag}><span class="visually-hidden">[{escape(start)}] </span>',
            f'<span class="visually-hidden"> [{escape(end)}]</span></{tag}>')


# The compare page has its <h1> and the comparison's <h2>: the text's highest heading becomes an
# <h3>, whatever level it was written with; side by side, below each text's <h3>, an <h4>.
INLINE_TOP_LEVEL = 3
SIDE_BY_SIDE_TOP_LEVEL = 4


def render(pieces: list[Piece], kinds=("same", "insert", "delete"), *, top_level: int = INLINE_TOP_LEVEL
           ) -> Markup:
    # Each text by its own highest heading: side by side, when one version has a title the other
    # lacks, the other's sections would skip a level below its <h3> (axe heading-order).
    source = merged_source(pieces, kinds)
    html = str(markdown.render(source, heading_offset=markdown.offset_to(top_level, source)))
    for kind, (start_mark, end_mark) in MARKS.items():
        start_tag, end_tag = _tags(kind)
        html = html.replace(start_mark, start_tag).replace(end_mark, end_tag)
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                            url_schemes=markdown.ALLOWED_SCHEMES, link_rel="noopener noreferrer nofollow",
                            strip_comments=True))


def side_by_side(pieces: list[Piece]) -> tuple[Markup, Markup]:
    """(old text with its deletions marked, new text with its insertions marked), rendered."""
    return (render(pieces, ("same", "delete"), top_level=SIDE_BY_SIDE_TOP_LEVEL),
            render(pieces, ("same", "insert"), top_level=SIDE_BY_SIDE_TOP_LEVEL))
