"""PDF documents with fpdf2 (pure Python: `make run` needs no system libraries for it)."""
from fpdf import FPDF

# The PDF core fonts speak Latin-1: German is fine, a few typographic marks need a stand-in.
REPLACEMENTS = str.maketrans({"„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'", "–": "-", "—": "-",
                              "…": "...", "•": "-", "→": "->", "\u00a0": " ", "€": "EUR"})


def latin1(text) -> str:
    return str(text).translate(REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")


class Document:
    def __init__(self, title: str):
        self.pdf = FPDF(format="A4")
        self.pdf.set_compression(False)  # text stays searchable by simple tools
        self.pdf.set_title(latin1(title))
        self.pdf.set_creator("FH-Intranet")
        self.pdf.add_page()
        self.pdf.set_font("helvetica", "B", 16)
        self.pdf.multi_cell(0, 8, latin1(title), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font("helvetica", "", 10)

    def line(self, text: str) -> None:
        self.pdf.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def heading(self, text: str) -> None:
        self.pdf.ln(3)
        self.pdf.set_font("helvetica", "B", 13)
        self.pdf.multi_cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font("helvetica", "", 10)

    def html(self, html: str) -> None:
        """Sanitised HTML (from our Markdown renderer) only."""
        self.pdf.write_html(latin1(html))

    def table(self, header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        with self.pdf.table(col_widths=widths) as table:
            head = table.row()
            for title in header:
                head.cell(latin1(title))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(latin1(value))

    def output(self) -> bytes:
        return bytes(self.pdf.output())
