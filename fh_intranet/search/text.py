"""German search text: one folding for index and query, a Snowball stemmer, safe snippets.

Folding makes the spellings people type equal: "Frühe", "Fruehe" and "FRÜHE" all become
"fruhe", "Straße" becomes "strasse", accents go ("Şahin" → "sahin"). SQLite then indexes the
Snowball stems of the folded words (FTS5 has no German stemmer); PostgreSQL gets the folded
words and stems them itself with its `german` configuration.
"""
import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

WORD = re.compile(r"\w+")
NOT_WORD = re.compile(r"\W")
# ae/oe/ue written for ä/ö/ü ("Fruehe"); not the u of "qu" ("Quelle", "Queue").
DIGRAPHS = re.compile(r"(?<!q)([aou])e")
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# The word being typed counts as a word's beginning from this many letters on; shorter, it is a
# whole word ("KI"). One or two letters begin nearly every word: ranking all of ten years'
# documents for them took 50-80 ms at every pause in typing, for a list nobody reads.
MIN_PREFIX = 3

_stemmer = snowballstemmer.stemmer("german")
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


@lru_cache(maxsize=20_000)
def fold(word: str) -> str:
    """Lower case, ß → ss, no accents or umlauts, ae/oe/ue → a/o/u."""
    word = word.casefold()
    word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    # Decomposition can bring punctuation ("¼" → "1⁄4"): keep word characters only, so that a
    # folded word is always one safe token in an FTS5 or tsquery expression.
    return DIGRAPHS.sub(r"\1", NOT_WORD.sub("", word))


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """The stem of one word as the index stores it: "Vereinbarungen" → "vereinbar"."""
    return _stemmer.stemWord(fold(word))


def words(text: str) -> list[str]:
    return WORD.findall(text or "")


def folded_text(text: str) -> str:
    """For PostgreSQL's german configuration: folded words, stemmed by the database."""
    return " ".join(fold(word) for word in words(text))


def stemmed_text(text: str) -> str:
    """For SQLite FTS5: the stems, separated by spaces."""
    return " ".join(stem(word) for word in words(text))


def query_words(query: str) -> list[str]:
    """The words of what someone typed, bounded in number and length."""
    return [word[:MAX_TERM_LENGTH] for word in words(query) if stem(word[:MAX_TERM_LENGTH])][:MAX_TERMS]


def typed_prefix(words: list[str]) -> str | None:
    """The folded last word, when it stands for the words it begins: alone from MIN_PREFIX typed
    letters on (counted as typed: "Mue" is three, as the page's hint says, though it folds to "mu"),
    because one letter begins nearly every word and ranking them all took 80 ms at every pause in
    typing; after other words from the first letter, because those words bound the matches, and
    taken whole the list emptied at each new word being typed („Kita S…“)."""
    if not words or (len(words) == 1 and len(words[0]) < MIN_PREFIX):
        return None
    return fold(words[-1])


def plain_text(markdown_source: str) -> str:
    """What a Markdown text says, without its markup (for the index and the snippets)."""
    lines = []
    for token in _markdown.parse(markdown_source or ""):
        if token.type == "inline":
            lines.append("".join(" " if child.type in ("softbreak", "hardbreak") else child.content
                                 for child in token.children or []))
        elif token.type in ("code_block", "fence"):
            lines.append(token.content)
    return "\n".join(line for line in lines if line.strip())


class Matcher:
    """Which words of a text match the query: same stem, the last word also as a prefix (typing)."""

    def __init__(self, query: str):
        query = query_words(query)
        self.stems = {stem(word) for word in query}
        self.prefix_folded = typed_prefix(query)
        self.prefix = stem(query[-1]) if self.prefix_folded else None

    def matches(self, word: str) -> bool:
        key = stem(word)
        if key in self.stems:
            return True
        return bool(self.prefix) and (key.startswith(self.prefix) or fold(word).startswith(self.prefix_folded))


def highlight(text: str, matcher: Matcher) -> Markup:
    """`text` escaped, its matching words in <mark>. Indexed text is never trusted as HTML."""
    out, last = [], 0
    for found in WORD.finditer(text or ""):
        if matcher.matches(found.group()):
            out.append(escape(text[last:found.start()]))
            out.append(Markup("<mark>%s</mark>") % found.group())
            last = found.end()
    out.append(escape((text or "")[last:]))
    return Markup("").join(out)


def snippet(text: str, matcher: Matcher, width: int = 220) -> Markup:
    """A short passage of `text` around its first match, highlighted; its start if nothing matches."""
    text = " ".join((text or "").split())
    first = next((m for m in WORD.finditer(text) if matcher.matches(m.group())), None)
    start = 0 if first is None else max(0, first.start() - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    passage = highlight(text[start:end], matcher)
    return Markup("{}{}{}").format("… " if start else "", passage, " …" if end < len(text) else "")
