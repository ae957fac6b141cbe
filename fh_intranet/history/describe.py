"""Audit events in words: what happened (German, translated), which details may be shown, and a link
to the text comparison where an event changed a text."""
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..agreements.models import STATE_LABELS
from ..i18n import translations
from ..notifications.kinds import KINDS
from ..timezones import BERLIN

ACTIONS = {
    "agreement.created": _l("Vereinbarung angelegt"),
    "agreement.details_changed": _l("Angaben der Vereinbarung geändert"),
    "agreement.version_saved": _l("Neue Fassung gespeichert"),
    "agreement.state_changed": _l("Status der Vereinbarung geändert"),
    "agreement.signed": _l("Unterschrift eingetragen"),
    "comment.added": _l("Kommentar geschrieben"),
    "comment.edited": _l("Kommentar bearbeitet"),
    "comment.resolved": _l("Kommentar als erledigt markiert"),
    "comment.reopened": _l("Kommentar wieder geöffnet"),
    "topic.proposed": _l("Thema vorgeschlagen"),
    "topic.updated": _l("Thema geändert"),
    "topic.archived": _l("Thema archiviert"),
    "topic.restored": _l("Thema wiederhergestellt"),
    "topic.merged": _l("Thema zusammengeführt"),
    "round.created": _l("Abstimmung angelegt"),
    "round.opened": _l("Abstimmung eröffnet"),
    "round.closed": _l("Abstimmung beendet"),
    "round.topics_changed": _l("Themen der Abstimmung geändert"),
    "round.results_frozen": _l("Ergebnis der Abstimmung festgeschrieben"),
    "body.created": _l("Gremium angelegt"),
    "body.updated": _l("Gremium geändert"),
    "body.archived": _l("Gremium archiviert"),
    "body.restored": _l("Gremium wiederhergestellt"),
    "body.members_changed": _l("Mitglieder des Gremiums geändert"),
    "meeting.created": _l("Sitzung angelegt"),
    "meeting.updated": _l("Sitzung geändert"),
    "meeting.attendance_recorded": _l("Anwesenheit erfasst"),
    "meeting.guest_added": _l("Gast eingetragen"),
    "meeting.cancelled": _l("Sitzung abgesagt"),
    "agenda_item.added": _l("Tagesordnungspunkt hinzugefügt"),
    "agenda_item.updated": _l("Tagesordnungspunkt geändert"),
    "agenda_item.moved": _l("Tagesordnungspunkt verschoben"),
    "agenda_item.deleted": _l("Tagesordnungspunkt entfernt"),
    "decision.added": _l("Beschluss eingetragen"),
    "decision.updated": _l("Beschluss geändert"),
    "decision.deleted": _l("Beschluss entfernt"),
    "action_item.added": _l("Aufgabe eingetragen"),
    "action_item.updated": _l("Aufgabe geändert"),
    "action_item.deleted": _l("Aufgabe entfernt"),
    "action_item.done": _l("Aufgabe erledigt"),
    "action_item.reopened": _l("Aufgabe wieder geöffnet"),
    "minutes.commented": _l("Anmerkung zum Protokollentwurf"),
    "minutes.published": _l("Protokoll veröffentlicht"),
    "minutes.corrected": _l("Protokoll korrigiert"),
    "workshop.created": _l("Thementisch angelegt"),
    "workshop.updated": _l("Thementisch geändert"),
    "workshop.deleted": _l("Thementisch gelöscht"),
    "output.added": _l("Ergebnis eingetragen"),
    "output.updated": _l("Ergebnis geändert"),
    "output.deleted": _l("Ergebnis gelöscht"),
    "attachment.added": _l("Datei hochgeladen"),
    "attachment.deleted": _l("Datei gelöscht"),
    "person.invited": _l("Person eingeladen"),
    "person.reinvited": _l("Einladung erneut gesendet"),
    "person.updated": _l("Angaben der Person geändert"),
    "person.deactivated": _l("Person deaktiviert"),
    "person.reactivated": _l("Person wieder aktiviert"),
    "person.locale_changed": _l("Sprache gewechselt"),
    "person.created_on_cli": _l("Zugang auf der Kommandozeile angelegt"),
    "person.created_by_demo": _l("Zugang mit den Demodaten angelegt"),
    "person.anonymised": _l("Person anonymisiert"),
    "signature.signer_anonymised": _l("Name in einer Unterschrift anonymisiert"),
    "organisation.created": _l("Organisation angelegt"),
    "organisation.updated": _l("Organisation geändert"),
    "offering.created": _l("Angebot angelegt"),
    "offering.updated": _l("Angebot geändert"),
    "offering.deleted": _l("Angebot gelöscht"),
    "offering.confirmed": _l("Angebote als aktuell bestätigt"),
    "update_round.opened": _l("Aktualisierungsrunde eröffnet"),
    "update_round.reminded": _l("An die Aktualisierungsrunde erinnert"),
    "sector.created": _l("Bereich angelegt"),
    "sector.updated": _l("Bereich geändert"),
    "sector.moved": _l("Bereich verschoben"),
    "login": _l("Angemeldet"),
    "login.failed": _l("Anmeldung fehlgeschlagen"),
    "logout": _l("Abgemeldet"),
    "password.reset_requested": _l("Neues Passwort angefordert"),
    "password.reset": _l("Passwort neu gesetzt"),
    "password.changed": _l("Passwort geändert"),
    "invitation.accepted": _l("Einladung angenommen"),
    "session.ended": _l("Sitzung beendet"),
    "session.ended_others": _l("Andere Sitzungen beendet"),
    "calendar_feed.created": _l("Kalender-Abo eingerichtet"),
    "calendar_feed.reset": _l("Kalender-Abo erneuert"),
    "notifications.preferences_changed": _l("Benachrichtigungen eingestellt"),
    "notifications.unsubscribed": _l("Benachrichtigungen über den Link in einer E-Mail abbestellt"),
    "report.texts_saved": _l("Texte des Sachstandsberichts gespeichert"),
    "report.finalised": _l("Sachstandsbericht abgeschlossen"),
}

OBJECT_TYPES = {
    "Agreement": _l("Vereinbarung"),
    "Comment": _l("Kommentar"),
    "Meeting": _l("Sitzung"),
    "AgendaItem": _l("Tagesordnungspunkt"),
    "Decision": _l("Beschluss"),
    "ActionItem": _l("Aufgabe"),
    "Workshop": _l("Thementisch"),
    "Output": _l("Ergebnis"),
    "Attachment": _l("Datei"),
    "Topic": _l("Thema"),
    "VotingRound": _l("Abstimmung"),
    "Body": _l("Gremium"),
    "Person": _l("Person"),
    "Organisation": _l("Organisation"),
    "Sector": _l("Bereich"),
    "Signature": _l("Unterschrift"),
    "CalendarFeed": _l("Kalender-Abo"),
    "Offering": _l("Angebot"),
    "UpdateRound": _l("Aktualisierungsrunde"),
    "AnnualReport": _l("Sachstandsbericht"),
}

FIELDS = {
    "title": _l("Titel"), "name": _l("Name"), "kind": _l("Art"), "review_by": _l("Überprüfen bis"),
    "description": _l("Beschreibung"), "place": _l("Ort"), "starts_at": _l("Beginn"), "ends_at": _l("Ende"),
    "notes": _l("Notizen"), "text": _l("Text"), "what": _l("Aufgabe"), "person_id": _l("Wer"),
    "due_on": _l("Bis"), "email": _l("E-Mail-Adresse"), "role": _l("Rolle"), "function": _l("Funktion"),
    "organisation": _l("Organisation"), "organisation_id": _l("Organisation"), "sector": _l("Bereich"),
    "address": _l("Anschrift"), "contact_name": _l("Ansprechperson"), "contact_email": _l("E-Mail für Kontakt"),
    "contact_phone": _l("Telefon"), "body_id": _l("Gremium"), "body": _l("Gremium"),
    "district": _l("Sozialraum / Ort"), "joined_on": _l("Im Netzwerk seit"), "left_on": _l("Ausgeschieden am"),
    "label": _l("Bezeichnung"), "counts_for_kkg": _l("§ 3 KKG"), "active": _l("Aktiv"),
    "introduction": _l("Einleitung"), "outlook": _l("Ausblick"),
    # a person's notification settings name the kinds of notification they changed
    **{code: kind.label for code, kind in KINDS.items()},
}

# Details that name a secret or a device are never shown (the writers must not record secrets at
# all; this is the second wall).
SECRET_WORDS = ("token", "password", "passwort", "secret", "hash", "link", "cookie", "key", "user_agent", "ip")


def object_label(object_type: str) -> str:
    return str(OBJECT_TYPES.get(object_type, object_type))


# How `audit.record` writes a stored time (naive UTC, `str()` of a datetime)
STORED_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?")


def details_text(details: dict) -> str:
    """`details` (as `shown_details` leaves them) for an export: JSON, which every tool reads,
    with stored times in Berlin time and their offset, as the export's own time column is: written
    as stored, „13:00:00“ stood beside a change made at 14:00."""
    def berlin(value):
        if isinstance(value, dict):
            return {name: berlin(part) for name, part in value.items()}
        if isinstance(value, list):
            return [berlin(part) for part in value]
        if isinstance(value, str) and STORED_TIME.fullmatch(value):
            try:
                return datetime.fromisoformat(value).replace(tzinfo=timezone.utc).astimezone(BERLIN).isoformat()
            except (OverflowError, ValueError):  # the calendar's very end: kept as written
                return value
        return value
    return json.dumps(berlin(details), ensure_ascii=False, sort_keys=True) if details else ""


def shown_details(details):
    """`details` without any entry whose name mentions a secret, at any depth."""
    if isinstance(details, dict):
        return {name: shown_details(value) for name, value in details.items()
                if not any(word in str(name).lower() for word in SECRET_WORDS)}
    if isinstance(details, list):
        return [shown_details(value) for value in details]
    return details


class Wording:
    """The log's words in the request's language, each label translated once per Wording rather than
    once per event (a CSV of ten years names 60,000 events). `settled()` translates every label up
    front, for rows written after the request has ended (a streamed CSV), where no language can be
    looked up any more."""

    def __init__(self):
        self.catalog = translations()
        self._said: dict = {}  # (table id, key) -> text

    def settled(self) -> "Wording":
        for table in (ACTIONS, OBJECT_TYPES, FIELDS, STATE_LABELS):
            for key in table:
                self.label(table, key)
        return self

    def label(self, table: dict, key, default=None) -> str:
        text = self._said.get((id(table), key))
        if text is None:
            label = table.get(key)
            text = self._said[id(table), key] = str(label) if label is not None else str(key if default is None else default)
        return text

    def gettext(self, text: str, **variables) -> str:
        translated = self.catalog.ugettext(text)
        return translated % variables if variables else translated

    def ngettext(self, singular: str, plural: str, num: int) -> str:
        return self.catalog.ungettext(singular, plural, num) % {"num": num}


@dataclass
class Entry:
    event: object  # AuditEvent
    what: str
    summary: str
    link: tuple | None  # (url, label) to a comparison of texts


def _changed_fields(changes, wording: Wording) -> str:
    names = changes if isinstance(changes, list) else list(changes or {})
    return ", ".join(wording.label(FIELDS, name) for name in names if name not in ("version", "edited_at"))


def summary(action: str, details: dict, wording: Wording) -> str:
    """What an event changed, in a few words; `details` as `shown_details` leaves them."""
    text = ""
    if "changes" in details or "changed" in details:
        fields = _changed_fields(details.get("changes", details.get("changed")), wording)
        text = wording.gettext("Geändert: %(fields)s", fields=fields) if fields else ""
    if action == "meeting.attendance_recorded":
        text = wording.ngettext("%(num)d Person", "%(num)d Personen", len(details.get("changes") or {}))
    elif action == "agreement.state_changed":
        text = (f"{wording.label(STATE_LABELS, details.get('from_state'), '')} → "
                f"{wording.label(STATE_LABELS, details.get('to_state'), '')}")
    elif action == "agreement.version_saved":
        text = (wording.gettext("Fassung %(number)s", number=details.get("number"))
                + (f": {details['change_note']}" if details.get("change_note") else ""))
    elif action == "minutes.corrected":
        text = (wording.gettext("Fassung %(number)s", number=details.get("revision"))
                + (f": {details['reason']}" if details.get("reason") else ""))
    elif action == "topic.merged" and details.get("into"):
        text = wording.gettext("in Thema Nr. %(id)s", id=details["into"])
    elif action in ("agenda_item.added", "agenda_item.deleted", "meeting.cancelled") and details.get("title"):
        text = details["title"]
    elif action == "notifications.unsubscribed" and details.get("kinds"):
        text = _changed_fields(details["kinds"], wording)
    elif action in ("report.texts_saved", "report.finalised") and details.get("year"):
        text = (wording.gettext("Jahr %(year)s", year=details["year"])
                + (f" – {text}" if text else ""))
    return text


def _comparison(event, details: dict, wording: Wording) -> tuple | None:
    number = details.get("number") if event.action == "agreement.version_saved" else details.get("revision")
    if event.action == "agreement.version_saved" and isinstance(number, int) and number > 1:
        return (url_for("agreements.compare", agreement_id=event.object_id, von=number - 1, bis=number),
                wording.gettext("Änderungen ansehen"))
    if event.action == "minutes.corrected" and isinstance(number, int):
        return (url_for("meetings.revision", meeting_id=event.object_id, number=number),
                wording.gettext("Änderungen ansehen"))
    return None


def describe(event, wording: Wording) -> Entry:
    details = shown_details(event.details_dict)
    return Entry(event=event, what=wording.label(ACTIONS, event.action), summary=summary(event.action, details, wording),
                 link=_comparison(event, details, wording))
