"""PDFs never fail and print what was typed: every Markdown construct, long words, Unicode."""
import io
import os
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from fh_intranet import markdown
from fh_intranet.pdf import Document

TYPOGRAPHY = "„Frühe Hilfen“ – 5 € § 3 KKG … Ayşe Yılmaz, Łukasz Wójcik, Zoë Ørsted"

EVERY_CONSTRUCT = f"""# Überschrift {TYPOGRAPHY}
## Zweite Ebene
Absatz mit **fett**, *kursiv*, ***beides***, `code`, ~~gestrichen~~, [Link](https://example.org/pfad)
und einem Zeilenumbruch\
danach.

| Spalte **fett** | *kursiv* und `code` | [Link](https://example.org) |
|:---|:---:|---:|
| **a** b *c* | ![Bild](https://example.org/x.png) | <b>roh</b> |
| | leer | |

- Liste
  - verschachtelt
    1. nummeriert
    2. weiter
- [ ] Aufgabe

> Zitat mit **fett**
> > doppelt

```python
def code():
    return "Block"
```

    eingerückter Code

---

<script>alert(1)</script><img src=x onerror=alert(1)> <table><tr><td><p>Absatz in Zelle</p></td></tr></table>
"""
LONG_WORD = "Donaudampfschifffahrtsgesellschaft" * 150  # 5,100 characters without a space
LONG_URL = "https://example.org/" + "a" * 3000


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def document_bytes(app):
    def make(markdown_text: str, *, lines=(), table_rows=()) -> bytes:
        with app.test_request_context():
            document = Document(f"Protokoll {TYPOGRAPHY}")
            document.heading("TOP 1 – Bericht")
            document.html(markdown.render(markdown_text))
            for line in lines:
                document.line(line)
            if table_rows:
                document.table(["Wer", "Was", "Bis"], [list(row) for row in table_rows], (40, 100, 30))
            return document.output()

    return make


def test_every_markdown_construct_renders_and_the_text_is_extractable(document_bytes):
    pdf = document_bytes(EVERY_CONSTRUCT)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    for expected in ("Überschrift", "„Frühe Hilfen“", "5 €", "§ 3 KKG", "Ayşe Yılmaz", "Łukasz Wójcik", "Zoë Ørsted",
                     "fett", "kursiv", "nummeriert", "Zitat", "Block", "eingerückter Code"):
        assert expected in text, expected
    assert "Ay?e" not in text and "<script>" not in text.replace("&lt;", "<") or "alert(1)" in text


def test_long_words_wrap_in_text_lines_and_tables(document_bytes):
    pdf = document_bytes(f"Ein Wort: {LONG_WORD} und eine Adresse {LONG_URL}",
                         lines=[f"Aufgabe: {LONG_WORD}"],
                         table_rows=[("Ayşe Yılmaz", LONG_URL, "31.12.2026"), ("Zoë", "kurz", "")])
    # only line breaks come between the pieces: no spaces are put into a word or an address
    text = text_of(pdf).replace("\n", "")
    assert text.count(LONG_WORD) >= 2, "the long word is printed whole, only wrapped"
    assert LONG_URL in text


def test_words_that_fit_are_never_split(document_bytes):
    """Narrow table columns and headings with one long word still break at spaces elsewhere."""
    pdf = document_bytes("", lines=[f"Kinder- und Jugendhilfe Krankenhaus {LONG_WORD[:200]} Familienzentrum"],
                         table_rows=[("Kinder- und Jugendhilfe Krankenhaus Familienhebammen gGmbH",
                                      "Aktiv zum Jahresende Kindertagesbetreuung", "15.05.2026 (Beitritt)")])
    words = set(text_of(pdf).split())
    for word in ("Jugendhilfe", "Krankenhaus", "Familienhebammen", "gGmbH", "Jahresende",
                 "Kindertagesbetreuung", "(Beitritt)", "Familienzentrum"):
        assert word in words, word


def test_code_prints_every_character_in_an_embedded_font(document_bytes, caplog):
    """fpdf2 sets code in Courier, which knows Latin-1 only: „ € ş in code failed the download."""
    pdf = document_bytes("Betrag `12 €`, **`Şule`**, *`„x“`*\n\n```\n„Frühe Hilfen“ – 5 € Ayşe\n```")
    text = text_of(pdf)
    for expected in ("12 €", "Şule", "„x“", "„Frühe Hilfen“ – 5 € Ayşe"):
        assert expected in text, expected
    assert "fell back" not in caplog.text, "rendered as formatted text, not the plain-text fallback"
    fonts = {str(font["/BaseFont"]) for page in PdfReader(io.BytesIO(pdf)).pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("DejaVuSansMono" in font for font in fonts) and not any("Courier" in font for font in fonts)


def test_html_fpdf2_refuses_falls_back_to_the_words(app, monkeypatch):
    """fpdf2 may fail halfway through a line and leave no page selected; the words still print."""
    from fpdf import FPDF
    from fpdf.errors import FPDFException

    def refusing(pdf, *args, **kwargs):
        pdf.page = 0
        raise FPDFException("refused")

    monkeypatch.setattr(FPDF, "write_html", refusing)
    with app.test_request_context():
        document = Document("Protokoll")
        document.html(markdown.render("Ein **Absatz** mit `Code`"))
        document.line("danach")
        text = text_of(document.output())
    assert "Ein Absatz mit Code" in text and "danach" in text


def test_table_cells_with_mixed_formatting(document_bytes):
    table = "| A | B |\n|---|---|\n" + "".join(f"| **fett {i}** normal *kursiv* | `x` [l](https://e.org) |\n"
                                            for i in range(40))
    text = text_of(document_bytes(table))
    assert "fett 0" in text and "fett 39" in text


def embedded_fonts(pdf: bytes) -> set[str]:
    return {str(font["/BaseFont"]).split("+")[-1] for page in PdfReader(io.BytesIO(pdf)).pages
            for font in page["/Resources"]["/Font"].values()}


def test_only_the_faces_used_are_embedded(app):
    """fpdf2 embeds every face added; adding all eight up front made an empty PDF 37 KB and 270 ms."""
    with app.test_request_context():
        plain = Document("Angebote")  # the title is set in bold
        plain.line("Zurzeit sind keine Angebote veröffentlicht.")
        styled = Document("Protokoll")
        styled.html(markdown.render("*kursiv*, ***beides*** und `code`"))
        plain_pdf, styled_pdf = plain.output(), styled.output()
    assert embedded_fonts(plain_pdf) == {"DejaVuSansBook", "DejaVuSansBold"}
    assert embedded_fonts(styled_pdf) == {"DejaVuSansBook", "DejaVuSansBold", "DejaVuSansOblique",
                                          "DejaVuSansBoldOblique", "DejaVuSansMonoBook"}
    assert "beides" in text_of(styled_pdf) and "code" in text_of(styled_pdf)
    assert len(plain_pdf) < 25_000


def test_other_tools_read_the_pdf(document_bytes, tmp_path):
    if not shutil.which("pdftotext") or not shutil.which("qpdf"):
        if os.environ.get("FH_REQUIRE_BROWSER"):
            pytest.fail("CI must have poppler-utils and qpdf (.ci/run installs them)")
        pytest.skip("needs pdftotext and qpdf (Debian: poppler-utils, qpdf); .ci/run installs them")
    path = tmp_path / "protokoll.pdf"
    path.write_bytes(document_bytes(EVERY_CONSTRUCT + "\n\n" + LONG_WORD))
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True).stdout.decode()
    assert "„Frühe Hilfen“" in text and "Ayşe Yılmaz" in text and "€" in text


def _checked_text(pdf: bytes, tmp_path) -> str:
    """The text as other tools read it: qpdf finds no damage, pdftotext (or pypdf) extracts it."""
    assert pdf.startswith(b"%PDF")
    if shutil.which("qpdf") and shutil.which("pdftotext"):
        path = tmp_path / "download.pdf"
        path.write_bytes(pdf)
        subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True).stdout.decode()
    return text_of(pdf)


def test_agreement_pdf_with_hostile_markdown_and_unicode(client_as, people, tmp_path):
    from fh_intranet.agreements.models import ADOPTED

    from .agreement_fixtures import make_agreement

    agreement = make_agreement(people["coordinator"], ADOPTED, title=f"Vereinbarung {TYPOGRAPHY}",
                               text=EVERY_CONSTRUCT + f"\n\n# § 9 Lang\n\n{LONG_WORD} {LONG_URL}\n")
    type(agreement).update(review_by=date(2029, 3, 31)).where(type(agreement).id == agreement.id).execute()
    response = client_as("partner").get(f"/vereinbarungen/{agreement.id}/pdf")
    assert response.status_code == 200
    text = _checked_text(response.data, tmp_path)
    assert "„Frühe Hilfen“" in text and "Ayşe Yılmaz" in text and "Łukasz Wójcik" in text
    assert LONG_WORD in squeeze(text)
    assert "Überprüfung bis: 31.03.2029" in text  # as on the agreement's page


def test_an_agreement_pdf_declares_the_networks_language_for_every_reader(client_as, people):
    """Its text is the network's German, whoever reads it (the labels around it follow the reader)."""
    from pypdf import PdfReader

    from fh_intranet.agreements.models import ADOPTED
    from fh_intranet.people.models import Person

    from .agreement_fixtures import make_agreement

    agreement = make_agreement(people["coordinator"], ADOPTED)
    Person.update(locale="en").where(Person.id == people["member"].id).execute()
    english = client_as("member").get(f"/vereinbarungen/{agreement.id}/pdf").data
    root = PdfReader(io.BytesIO(english)).trailer["/Root"]
    assert root["/Lang"] == "de"
    # the reader's window and screen readers name it by its title, not by its file name
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_minutes_pdf_with_hostile_markdown_unicode_and_a_correction(client_as, body, people, tmp_path):
    from datetime import date

    from fh_intranet.meetings import workflow

    from .meeting_fixtures import make_meeting

    meeting = make_meeting(body, f"Sitzung {TYPOGRAPHY}")
    item = workflow.add_agenda_item(meeting, "Bericht – Ayşe Yılmaz")
    workflow.update_agenda_item(item, item.version, title=item.title, notes=EVERY_CONSTRUCT)
    workflow.add_decision(item, f"Beschluss „{LONG_URL}“")
    workflow.add_action(item, f"Aufgabe {LONG_WORD}", people["member"], date(2027, 1, 31))
    workflow.publish(meeting, people["coordinator"])
    workflow.correct(meeting, people["coordinator"], "Schreibweise von Łukasz Wójcik berichtigt", {}, {})
    response = client_as("partner").get(f"/sitzungen/{meeting.id}/pdf")
    assert response.status_code == 200
    text = _checked_text(response.data, tmp_path)
    assert "Ayşe Yılmaz" in text and "„Frühe Hilfen“" in text
    assert "Schreibweise von Łukasz Wójcik berichtigt" in text
    assert LONG_WORD in squeeze(text) and LONG_URL.replace("https://", "") in squeeze(text)


def test_a_decision_is_labelled_as_on_the_page_in_draft_and_published_minutes(client_as, body, people, tmp_path):
    from fh_intranet.meetings import workflow
    from fh_intranet.meetings.models import Decision

    from .meeting_fixtures import make_meeting

    meeting = make_meeting(body, "Sitzung mit Beschluss")
    workflow.add_decision(workflow.add_agenda_item(meeting, "Bericht"), "Die Frist bleibt.")
    draft = _checked_text(client_as("member").get(f"/sitzungen/{meeting.id}/pdf").data, tmp_path)
    assert "Beschluss: Die Frist bleibt." in draft, "a draft's decision has no number yet (was „Beschluss :“)"
    workflow.publish(meeting, people["coordinator"])
    published = _checked_text(client_as("member").get(f"/sitzungen/{meeting.id}/pdf").data, tmp_path)
    label = Decision.get().label
    assert label and f"Beschluss {label}: Die Frist bleibt." in published


def test_a_table_too_wide_for_the_page_is_turned_not_broken_mid_word(app):
    """The report's attendance had a column per sector: „Gremiu|m“, „Steueru|ngsgrup|pe“."""
    from fh_intranet.pdf import turned

    sectors = ["Kindertagesbetreuung", "Schwangerschaftsberatung", "Familienbildung", "Gesundheitsamt",
               "Frühförderung", "Geburtsklinik", "Mehrgenerationenhaus", "Familiengericht", "Gewaltschutz"]
    header = ["Gremium", "Sitzungen", *sectors]
    rows = [["Steuerungsgruppe", 4, *range(9)], ["Netzwerkkonferenz", 2, *range(9, 18)]]
    assert turned(header, rows)[0] == ["Gremium", "Steuerungsgruppe", "Netzwerkkonferenz"]
    assert turned(header, rows)[1][0] == ["Sitzungen", 4, 2]
    with app.test_request_context():
        document = Document("Breite Tabelle")
        document.table(header, [[str(value) for value in row] for row in rows])
        text = text_of(document.output())
    for word in ["Gremium", "Steuerungsgruppe", "Netzwerkkonferenz", *sectors]:
        assert word in text, word
