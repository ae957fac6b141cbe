"""The adopted text with its signatures as a PDF (fpdf2: pure Python, no system libraries)."""
from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import FPDF

from .. import markdown

# The PDF core fonts speak Latin-1: German is fine, a few typographic marks need a stand-in.
REPLACEMENTS = str.maketrans({"„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'", "–": "-", "—": "-",
                              "…": "...", "•": "-", "\u00a0": " ", "€": "EUR"})


def _latin1(text: str) -> str:
    return text.translate(REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")


def agreement_pdf(*, agreement, version, sections, signatures) -> bytes:
    document = FPDF(format="A4")
    document.set_compression(False)  # text stays searchable by simple tools
    document.set_title(_latin1(agreement.title))
    document.set_creator("FH-Intranet")
    document.add_page()
    document.set_font("helvetica", "B", 16)
    document.multi_cell(0, 8, _latin1(agreement.title), new_x="LMARGIN", new_y="NEXT")
    document.set_font("helvetica", "", 10)
    facts = [
        f"{_('Art')}: {agreement.kind_label}",
        f"{_('Status')}: {agreement.state_label}",
        f"{_('Fassung')}: {version.number}",
    ]
    if agreement.adopted_on:
        facts.append(f"{_('Beschlossen am')}: {format_date(agreement.adopted_on, 'medium')}")
    document.multi_cell(0, 5, _latin1("  |  ".join(str(f) for f in facts)), new_x="LMARGIN", new_y="NEXT")
    document.ln(4)
    for section in sections:
        html = ""
        if section.heading:
            html += f"<h2>{markdown.clean(section.heading)}</h2>"
        html += str(markdown.render(section.body, heading_offset=2))
        document.write_html(_latin1(html))
    document.ln(6)
    document.set_font("helvetica", "B", 13)
    document.cell(0, 8, _latin1(_("Unterschriften")), new_x="LMARGIN", new_y="NEXT")
    document.set_font("helvetica", "", 10)
    if not signatures:
        document.cell(0, 6, _latin1(_("Noch keine Unterschriften.")), new_x="LMARGIN", new_y="NEXT")
    else:
        with document.table(col_widths=(60, 55, 30, 25)) as table:
            header = table.row()
            for title in (_("Organisation"), _("Unterschrieben von"), _("Datum"), _("Fassung")):
                header.cell(_latin1(title))
            for signature in signatures:
                row = table.row()
                row.cell(_latin1(signature.organisation.name))
                who = signature.signer_name + (f", {signature.signer_function}" if signature.signer_function else "")
                row.cell(_latin1(who))
                when = format_date(signature.signed_on, "medium")
                row.cell(_latin1(f"{when} ({_('Beitritt')})" if signature.is_accession else when))
                row.cell(str(signature.version.number))
    return bytes(document.output())
