"""The directory for the town's family portal and for print: CSV (German Excel), JSON (documented
by directory.schema.json, schema.org terms) and an A4 PDF grouped by target group and district."""
import json
from pathlib import Path

from flask import current_app, url_for
from flask_babel import gettext as _

from .. import csvexport, dates, pdf_cache
from ..db import utcnow
from ..pdf import Document
from ..timezones import berlin_day, berlin_today
from .models import FREE, TARGET_GROUPS

SCHEMA_PATH = Path(__file__).resolve().parent / "directory.schema.json"
SCHEMA_VERSION = 1


def schema() -> dict:
    """The JSON Schema, named by the address it is served from (a validator resolves `$id`)."""
    document = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    document["$id"] = current_app.config["BASE_URL"] + url_for("directory.schema")
    return document


def csv_header() -> list[str]:
    return [_("ID"), _("Titel"), _("Organisation"), _("Kurzbeschreibung"), _("Zielgruppen"), _("Sprachen"),
            _("Kosten"), _("Hinweis zu den Kosten"), _("Barrierefreiheit"), _("Aufsuchend"), _("Ort"),
            _("Sozialraum / Ort"), _("Telefon"), _("E-Mail"), _("Sprechzeiten / Termine"),
            _("Anmeldung erforderlich"), _("Gültig bis"), _("Zuletzt bestätigt")]


def csv_row_maker():
    """Translated once, before the rows are read (a long file streams after the request has ended)."""
    yes, no = _("ja"), _("nein")
    labels = {key: str(label) for key, label in TARGET_GROUPS.items()}
    cost_labels = {FREE: _("kostenfrei"), "fee": _("mit Kosten")}

    def row(offering):
        return [offering.uid, offering.title, offering.organisation.name, offering.description,
                ", ".join(labels[key] for key in offering.groups), offering.languages,
                cost_labels.get(offering.cost, offering.cost), offering.cost_note, offering.accessibility,
                yes if offering.outreach else no, offering.address, offering.district, offering.phone,
                offering.email, offering.hours, yes if offering.registration_required else no,
                csvexport.german_date(offering.valid_until), csvexport.berlin_date(offering.confirmed_at)]

    return row


def csv_response(query):
    return csvexport.streamed(csv_header(), query, csv_row_maker(), "angebote.csv")


def as_json(offering) -> dict:
    """One offering in schema.org terms (a `Service`), plus the fields schema.org has no word for."""
    item = {
        "@type": "Service",
        "identifier": offering.uid,
        "name": offering.title,
        "description": offering.description,
        "audience": [{"@type": "Audience", "identifier": key, "audienceType": str(TARGET_GROUPS[key])}
                     for key in offering.groups],
        "availableLanguage": offering.language_list,
        "isAccessibleForFree": offering.cost == FREE,
        "costNote": offering.cost_note,
        "accessibilitySummary": offering.accessibility,
        "areaServed": offering.district,
        "outreach": offering.outreach,
        "provider": {"@type": "Organization", "name": offering.organisation.name},
        "address": offering.address or None,
        "telephone": offering.phone or None,
        "email": offering.email or None,
        "hoursAvailable": offering.hours or None,
        "registrationRequired": offering.registration_required,
        "validThrough": offering.valid_until.isoformat() if offering.valid_until else None,
        "dateModified": berlin_day(offering.confirmed_at).isoformat(),
    }
    if current_app.config["PUBLIC_DIRECTORY"]:
        item["url"] = current_app.config["BASE_URL"] + url_for("directory.public_page", _anchor=f"angebot-{offering.uid}")
    return item


def json_document(offerings) -> dict:
    return {
        "@context": "https://schema.org",
        "schemaVersion": SCHEMA_VERSION,
        "$schema": current_app.config["BASE_URL"] + url_for("directory.schema"),
        "name": _("Angebote im Netzwerk Frühe Hilfen"),
        "dateCreated": utcnow().replace(microsecond=0).isoformat() + "Z",
        "offerings": [as_json(offering) for offering in offerings],
    }


def pdf_fingerprint(offerings) -> str:
    """What `pdf_document` prints, for keeping the PDF (pdf_cache): the day of "Stand", and per
    offering its groups, district, title, organisation and lines. A change to the document's
    layout or German wording raises pdf.LAYOUT (translations are followed by pdf_cache)."""
    return pdf_cache.fingerprint_of(berlin_today(), [
        (offering.groups, offering.district, offering.title, offering.organisation.name, _pdf_lines(offering))
        for offering in offerings])


def pdf_document(offerings) -> bytes:
    from .queries import grouped

    document = Document(_("Angebote für Familien"))
    document.line(_("Stand: %(date)s – nach Zielgruppe und Sozialraum geordnet; ein Angebot für mehrere "
                    "Zielgruppen steht bei jeder.", date=dates.day(berlin_today())))
    for group, districts in grouped(offerings):
        document.heading(group)
        for district, entries in districts:
            document.pdf.ln(1)
            document.pdf.set_font("DejaVu", "BI", 11)
            document.line(district)
            document.pdf.set_font("DejaVu", "", 10)
            for offering in entries:
                document.pdf.ln(1)
                document.pdf.set_font("DejaVu", "B", 10)
                document.line(f"{offering.title} – {offering.organisation.name}")
                document.pdf.set_font("DejaVu", "", 10)
                for text in _pdf_lines(offering):
                    document.line(text)
    if not offerings:
        document.line(_("Zurzeit sind keine Angebote veröffentlicht."))
    return document.output()


def _pdf_lines(offering) -> list[str]:
    lines = [offering.description] if offering.description else []
    cost = _("kostenfrei") if offering.cost == FREE else _("mit Kosten")
    facts = [cost + (f" ({offering.cost_note})" if offering.cost_note else "")]
    if offering.languages:
        facts.append(_("Sprachen: %(languages)s", languages=offering.languages))
    if offering.registration_required:
        facts.append(_("Anmeldung erforderlich"))
    lines.append(" · ".join(facts))
    where = _("aufsuchend") if offering.outreach else offering.address.replace("\n", ", ")
    if where:
        lines.append(_("Ort: %(place)s", place=where))
    contact = [value for value in (offering.phone, offering.email, offering.hours) if value]
    if contact:
        lines.append(_("Kontakt: %(contact)s", contact=" · ".join(contact)))
    if offering.accessibility:
        lines.append(_("Barrierefreiheit: %(note)s", note=offering.accessibility))
    return lines
