"""Word-level differences between two texts, as HTML with <ins>/<del> that do not rely on colour."""
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

# Words (letters incl. umlauts, digits), runs of white space, or single other characters.
TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)

INSERTED = _l("eingefügt:")
DELETED = _l("gelöscht:")
INSERT_END = _l("Ende der Einfügung")
DELETE_END = _l("Ende der Löschung")


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "insert" or "delete"
    text: str


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text or "")


def compare(old: str, new: str) -> list[Piece]:
    """The pieces that turn `old` into `new`, word by word."""
    a, b = tokens(old), tokens(new)
    pieces = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(Piece("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(Piece("insert", "".join(b[j1:j2])))
    return pieces


def _mark(piece: Piece) -> str:
    if piece.kind == "same":
        return str(escape(piece.text))
    tag, start, end = ("ins", INSERTED, INSERT_END) if piece.kind == "insert" else ("del", DELETED, DELETE_END)
    return (f'<{tag}><span class="visually-hidden">[{escape(start)}] </span>{escape(piece.text)}'
            f'<span class="visually-hidden"> [{escape(end)}]</span></{tag}>')


def inline_html(pieces: list[Piece]) -> Markup:
    return Markup("".join(_mark(p) for p in pieces))


def side_by_side_html(pieces: list[Piece]) -> tuple[Markup, Markup]:
    """(old text with its deletions marked, new text with its insertions marked)."""
    old = "".join(_mark(p) for p in pieces if p.kind != "insert")
    new = "".join(_mark(p) for p in pieces if p.kind != "delete")
    return Markup(old), Markup(new)


def summary(pieces: list[Piece]) -> dict:
    words = lambda kind: sum(len(re.findall(r"\w+", p.text)) for p in pieces if p.kind == kind)  # noqa: E731
    return {"inserted": words("insert"), "deleted": words("delete")}
