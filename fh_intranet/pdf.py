"""PDF documents with fpdf2 (pure Python: `make run` needs no system libraries for it).

DejaVu Sans (and DejaVu Sans Mono for code) is embedded (subset) so that German typography („…“ – € §)
and names in Latin Extended print as typed and stay extractable: fpdf2's own fonts (Courier for
code) know Latin-1 only. Words longer than a line (a pasted URL) are broken between characters
by fpdf2 itself, everything else at spaces. Markdown arrives as sanitised HTML; fpdf2's HTML
support is narrower than what Markdown can produce, so the HTML is first reduced to what it renders
reliably (plain-text table cells, no images), and anything it still cannot render falls back to
plain text rather than failing the download.
"""
import logging
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from flask_babel import get_locale
from fpdf import FPDF, ViewerPreferences
from fpdf.html import DEFAULT_TAG_STYLES

log = logging.getLogger(__name__)
# fpdf2 subsets the fonts with fontTools, which logs some sixty lines per document at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent / "data" / "fonts"
FONT = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf",
              "BI": "DejaVuSans-BoldOblique.ttf"}
MONO = "DejaVuMono"
MONO_FILES = {"": "DejaVuSansMono.ttf", "B": "DejaVuSansMono-Bold.ttf", "I": "DejaVuSansMono-Oblique.ttf",
              "BI": "DejaVuSansMono-BoldOblique.ttf"}
# fpdf2 sets <code> and <pre> in Courier, which has no „ € ş: our monospaced font instead.
CODE_STYLES = {"code": DEFAULT_TAG_STYLES["code"].replace(family=MONO),
               "pre": DEFAULT_TAG_STYLES["pre"].replace(font_family=MONO)}
TABLE_CELL_LIMIT = 800
# Kept PDFs (pdf_cache) are made again when this changes: raise it with any change that changes
# PDFs already made (this module's layout, or what a document's builder puts in or says in German;
# a changed translation catalog makes them again by itself). 2: code in DejaVu
# Sans Mono, words broken only where they must; 3: an agreement's review date; 4: only the font
# faces used are embedded; 5: the annual report's columns as wide as what they hold, a table
# too wide for the page turned; 6: the document's language is the one it is written in (was
# always German: the report is in its reader's); 7: line breaks in the network's texts kept (markdown.RENDERING 2).
LAYOUT = 7


def turned(header: list, rows: list[list]) -> tuple[list, list[list]]:
    """Rows as columns: the first column (what each row is) becomes the header, each other column a
    row led by its title."""
    return ([header[0], *(values[0] for values in rows)],
            [[title, *(values[i] for values in rows)] for i, title in enumerate(header) if i])


class _FacesOnUse(FPDF):
    """Adds a DejaVu face when it is first set. fpdf2 parses a face when it is added (some 20 ms
    each) and embeds every face added, used or not: with all eight added up front, the PDF of an
    empty offerings directory took 270 ms and 37 KB."""

    FILES = {FONT.lower(): FONT_FILES, MONO.lower(): MONO_FILES}

    def set_font(self, family=None, style="", size=0):
        family = family or self.font_family
        files = self.FILES.get((family or "").lower())
        if files is not None:
            # as fpdf2 reads a style: letters in any order, U(nderline) and S(trike) drawn, not faces
            face = "".join(sorted(getattr(style, "style", style).upper())).replace("S", "").replace("U", "")
            if face in files and family.lower() + face not in self.fonts:  # other letters: fpdf2 says no
                self.add_font(family, face, str(FONT_DIR / files[face]))
        super().set_font(family, style, size)


def reader_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "de"


class Document:
    def __init__(self, title: str, *, language: str = "de"):
        """`language`: what most of its words are written in, for screen readers and search. The
        network writes German; a document of the app's own words (the report) is in the reader's
        language, `reader_language()`."""
        self.pdf = _FacesOnUse(format="A4")
        self.pdf.set_title(title)
        self.pdf.set_lang(language)
        self.pdf.set_creator("FH-Intranet")
        # a reader's window and a screen reader name the document by its title, not its file name
        self.pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
        self.pdf.add_page()
        # The bold face comes with the title: fpdf2's table headings take it without set_font.
        self.pdf.set_font(FONT, "B", 16)
        self._cell(8, title)
        self.pdf.set_font(FONT, "", 10)

    def _cell(self, height: float, text: str) -> None:
        self.pdf.multi_cell(0, height, str(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def line(self, text: str) -> None:
        self._cell(5, text)

    def heading(self, text: str) -> None:
        self.pdf.ln(3)
        self.pdf.set_font(FONT, "B", 13)
        self._cell(7, text)
        self.pdf.set_font(FONT, "", 10)

    def html(self, html: str) -> None:
        """Sanitised HTML (from our Markdown renderer) only."""
        simple = PdfHtml.simplify(html)
        try:
            self.pdf.write_html(simple, font_family=FONT, tag_styles=CODE_STYLES)
        except Exception:  # fpdf2 refuses some nestings: keep the words, lose the layout
            log.warning("PDF: HTML fell back to plain text", exc_info=True)
            if not self.pdf.page:  # a failure inside fpdf2's line rendering leaves no page selected
                self.pdf.page = len(self.pdf.pages)
            self.pdf.set_font(FONT, "", 10)
            self.pdf.ln(2)
            self._cell(5, PdfHtml.text_of(html))
        self.pdf.set_font(FONT, "", 10)

    def table(self, header: list[str], rows: list[list[str]], widths: tuple[float, ...] | None = None) -> None:
        """`widths` relative to each other; without them the columns get what they hold (fitted_widths).
        A table whose columns do not fit side by side even at their longest words (a column per
        sector) is printed turned, its first column as the header; if that does not fit either, as a
        list."""
        # fpdf2 cannot split a table row across pages: rows with very long texts print as a list.
        if any(len(str(value)) > TABLE_CELL_LIMIT for values in rows for value in values):
            self._as_list(header, rows)
            return
        if widths is None:
            widths = self.fitted_widths(header, rows)
            if widths is None and rows:
                header, rows = turned(header, rows)
                widths = self.fitted_widths(header, rows)
            if widths is None:
                self._as_list(header, rows)
                return
        with self.pdf.table(col_widths=widths, text_align="LEFT") as table:
            head = table.row()
            for title in header:
                head.cell(str(title))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(str(value))

    def _as_list(self, header: list[str], rows: list[list[str]]) -> None:
        for values in rows:
            self.pdf.ln(1)
            for title, value in zip(header, values, strict=False):
                self._cell(5, f"{title}: {value}")

    def fitted_widths(self, header: list[str], rows: list[list[str]]) -> tuple[float, ...] | None:
        """Each column at least as wide as its longest word, so that no word is broken in the middle
        („Kindertagesbetreuu|ng“ in a column of equal widths, which no search finds), and the rest
        of the line shared by how much more each column's longest text needs: a column of names gets
        the room, a column of counts keeps little. None when the longest words alone are wider than
        the page."""
        padding = 2 * self.pdf.c_margin + 1
        width = self.pdf.get_string_width

        def measured(texts, style: str) -> tuple[float, float]:
            """(longest word, longest text) in the face the table prints them in."""
            self.pdf.set_font(FONT, style, 10)
            texts = [str(text) for text in texts]
            return (max((width(word) for text in texts for word in text.split()), default=0),
                    max((width(text) for text in texts), default=0))

        words, whole = [], []
        for i, title in enumerate(header):
            head = measured([title], "B")  # the header row is bold
            cells = measured([values[i] for values in rows if i < len(values)], "")
            words.append(max(head[0], cells[0]) + padding)
            whole.append(max(head[1], cells[1]) + padding)
        self.pdf.set_font(FONT, "", 10)
        room = self.pdf.epw
        if sum(whole) <= room:
            return tuple(whole)
        if sum(words) > room:
            return None
        more = [w - m for w, m in zip(whole, words, strict=True)]
        return tuple(m + (room - sum(words)) * extra / sum(more) for m, extra in zip(words, more, strict=True))

    def output(self) -> bytes:
        return bytes(self.pdf.output())


class PdfHtml(HTMLParser):
    """Rebuild sanitised HTML as the subset fpdf2 renders: table cells as plain text, images as
    their alt text."""

    DROP_WITH_CONTENT = {"script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.in_cell = 0
        self.dropping = 0

    @classmethod
    def simplify(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        parser.close()
        return "".join(parser.out)

    @classmethod
    def text_of(cls, html: str) -> str:
        parser = _Text()
        parser.feed(html)
        parser.close()
        return "".join(parser.parts).strip()

    def handle_starttag(self, tag, attrs):
        if tag in self.DROP_WITH_CONTENT:
            self.dropping += 1
            return
        if tag == "img":
            alt = dict(attrs).get("alt") or ""
            self.out.append(escape(alt))
            return
        if tag in ("td", "th"):
            self.in_cell += 1
            self.out.append(f"<{tag}>")
            return
        if self.in_cell:
            if tag == "br":
                self.out.append(" ")
            return
        kept = [(name, value) for name, value in attrs if name == "href" and tag == "a"]
        rendered = "".join(f' {name}="{escape(value or "")}"' for name, value in kept)
        self.out.append(f"<{tag}{rendered}>")

    def handle_endtag(self, tag):
        if tag in self.DROP_WITH_CONTENT:
            self.dropping = max(0, self.dropping - 1)
            return
        if tag in ("td", "th"):
            self.in_cell = max(0, self.in_cell - 1)
            self.out.append(f"</{tag}>")
            return
        if self.in_cell or tag in ("img", "br", "hr"):
            return
        self.out.append(f"</{tag}>")

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr") and not self.in_cell:
            self.out.append(f"<{tag}>")
        else:
            self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if not self.dropping:
            self.out.append(escape(data, quote=False))


class _Text(HTMLParser):
    BLOCKS = {"p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "br", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_data(self, data):
        self.parts.append(data)
