"""The agreement's current text with its signatures as a PDF."""
from flask_babel import gettext as _

from .. import dates, markdown
from ..pdf import Document


def agreement_pdf(*, agreement, version, sections, signatures) -> bytes:
    document = Document(agreement.title)
    facts = [f"{_('Art')}: {agreement.kind_label}", f"{_('Status')}: {agreement.state_label}",
             f"{_('Fassung')}: {version.number}"]
    if agreement.adopted_on:
        facts.append(f"{_('Beschlossen am')}: {dates.day(agreement.adopted_on)}")
    if agreement.review_by:
        facts.append(f"{_('Überprüfung bis')}: {dates.day(agreement.review_by)}")
    document.line("  |  ".join(facts))
    for section in sections:
        html = f"<h2>{markdown.clean(section.heading)}</h2>" if section.heading else ""
        document.html(html + str(markdown.render(section.body, heading_offset=2)))
    if not agreement.takes_signatures:  # in force with its adoption, signed by nobody
        return document.output()
    document.heading(_("Unterschriften"))
    if not signatures:
        document.line(_("Noch keine Unterschriften."))
        return document.output()
    rows = []
    for signature in signatures:
        when = dates.day(signature.signed_on)
        rows.append([signature.organisation.name,
                     signature.signer_name + (f", {signature.signer_function}" if signature.signer_function else ""),
                     f"{when} ({_('Beitritt')})" if signature.is_accession else when,
                     str(signature.version.number)])
    document.table([_("Organisation"), _("Unterschrieben von"), _("Datum"), _("Fassung")], rows, (60, 55, 30, 25))
    return document.output()
