"""What is stored about a person, for them to see and take along (DSGVO Art. 15 and 20).

One list of parts (`PARTS`): each is a JSON file in the download, a row on the page "Meine Daten"
and a paragraph of the README in the ZIP. Only the person's own data goes in. Other people appear
only as "eine andere Person" with their role, where an entry would be meaningless without saying
that it was not the person themself (who recorded an attendance, who ticked off an action item).
Meetings, agreements and rounds are named by their titles: they are the network's, not a person's.
"""
from __future__ import annotations

import io
import json
import textwrap
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..agreements.models import Agreement, Comment
from ..audit import AuditEvent
from ..auth.models import LoginSession
from ..meetings.models import ActionItem, Attendance, Body, BodyMember, Meeting, MinutesComment
from ..meetings.queries import visible_minutes
from ..notifications.models import Notification, NotificationPreference, OutboxMail
from ..people.models import Person
from ..permissions import can
from ..topics.models import Ballot, RoundParticipant, Topic, Vote, VotingRound
from ..workshops.models import Output, Workshop

WIDTH = 78  # the README's lines

# Keys in audit details that could carry secrets or another person's data (an organisation's contact
# person, a signer, a guest): never exported.
_WITHHELD_KEYS = ("token", "password", "secret", "hash", "email", "link", "cookie", "contact", "signer", "guest")


def _when(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"  # stored as UTC
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _someone(person_id, me: Person) -> str | None:
    """Who did something: "selbst", or another person by role only (their name is theirs)."""
    if person_id is None:
        return None
    if person_id == me.id:
        return "selbst"
    other = Person.get_or_none(Person.id == person_id)
    return f"eine andere Person ({other.role_label})" if other else "eine andere Person"


def profile(person: Person) -> dict:
    bodies = (Body.select(Body.name, Body.chair).join(BodyMember)
              .where(BodyMember.person == person.id).order_by(Body.name))
    return {
        "name": person.name,
        "email": person.email,
        "function": person.function,
        "organisation": person.organisation.name if person.organisation else None,
        "role": person.role,
        "locale": person.locale,
        "active": person.active,
        "created_at": _when(person.created_at),
        "last_login_at": _when(person.last_login_at),
        "deactivated_at": _when(person.deactivated_at),
        "bodies": [{"name": body.name, "chair": body.chair_id == person.id} for body in bodies],
    }


def agreement_comments(person: Person) -> list[dict]:
    rows = (Comment.select(Comment, Agreement).join(Agreement)
            .where(Comment.author == person.id).order_by(Comment.created_at, Comment.id))
    return [{"agreement": row.agreement.title, "section": row.section_heading or row.section_anchor,
             "reply": row.parent_id is not None, "text": row.body, "created_at": _when(row.created_at),
             "edited_at": _when(row.edited_at), "resolved_at": _when(row.resolved_at)} for row in rows]


def minutes_comments(person: Person) -> list[dict]:
    rows = (MinutesComment.select(MinutesComment, Meeting).join(Meeting)
            .where(MinutesComment.author == person.id).order_by(MinutesComment.created_at, MinutesComment.id))
    return [{"meeting": row.meeting.title, "meeting_starts_at": _when(row.meeting.starts_at),
             "text": row.body, "created_at": _when(row.created_at)} for row in rows]


def votes(person: Person) -> list[dict]:
    """Named rounds only: what the person gave each topic. Anonymous rounds: participation only
    (after their close nothing links a person to points; before it, the ballot is secret)."""
    named = (Vote.select(Vote, Ballot, VotingRound, Topic).join(Ballot).join(VotingRound)
             .switch(Vote).join(Topic)
             .where(Ballot.person == person.id, ~VotingRound.anonymous)
             .order_by(VotingRound.opens_at, VotingRound.id, Topic.title))
    result = [{"round": vote.ballot.round.title, "anonymous": False, "method": vote.ballot.round.method,
               "topic": vote.topic.title, "points": vote.points, "rank": vote.rank,
               "updated_at": _when(vote.ballot.updated_at)} for vote in named]
    anonymous = (VotingRound.select().join(RoundParticipant)
                 .where(RoundParticipant.person == person.id).order_by(VotingRound.opens_at))
    result += [{"round": round_.title, "anonymous": True, "took_part": True} for round_ in anonymous]
    return result


def action_items(person: Person) -> list[dict]:
    # Only from minutes the person may read: a draft's items are not theirs to see before it is published.
    rows = visible_minutes(ActionItem.select(ActionItem, Meeting).join(Meeting)
                           .where(ActionItem.person == person.id).order_by(ActionItem.created_at, ActionItem.id),
                           with_drafts=can("minutes.read_drafts", person=person))
    return [{"what": row.what, "meeting": row.meeting.title, "due_on": _when(row.due_on),
             "done_at": _when(row.done_at), "done_by": _someone(row.done_by_id, person),
             "created_at": _when(row.created_at)} for row in rows]


def attendance(person: Person) -> list[dict]:
    rows = visible_minutes(Attendance.select(Attendance, Meeting).join(Meeting)
                           .where(Attendance.person == person.id).order_by(Meeting.starts_at),
                           with_drafts=can("minutes.read_drafts", person=person))
    return [{"meeting": row.meeting.title, "starts_at": _when(row.meeting.starts_at), "status": row.status}
            for row in rows]


def contributions(person: Person) -> list[dict]:
    topics = Topic.select().where(Topic.proposed_by == person.id).order_by(Topic.created_at)
    outputs = (Output.select(Output, Workshop).join(Workshop)
               .where(Output.author == person.id).order_by(Output.created_at))
    return ([{"kind": "topic_proposed", "title": topic.title, "description": topic.description,
              "created_at": _when(topic.created_at)} for topic in topics]
            + [{"kind": "workshop_output", "workshop": output.workshop.title, "text": output.text,
                "created_at": _when(output.created_at), "edited_at": _when(output.edited_at)}
               for output in outputs])


def notifications(person: Person) -> list[dict]:
    rows = Notification.select().where(Notification.person == person.id).order_by(Notification.created_at)
    return [{"kind": row.kind, "text": row.text, "object": f"{row.object_type}:{row.object_id}",
             "previous": row.previous_values or None,
             "created_at": _when(row.created_at), "read_at": _when(row.read_at)} for row in rows]


def mail_settings_and_mails(person: Person) -> list[dict]:
    """What the person chose per kind of news, and the mails written to them (subject, when and
    whether sent; the texts repeat what the notifications say): not those to an address of theirs
    written for whoever held it before."""
    settings = NotificationPreference.select().where(NotificationPreference.person == person.id)
    mails = OutboxMail.select().where(OutboxMail.person == person.id).order_by(OutboxMail.created_at)
    return ([{"kind": "setting", "news": row.kind, "channel": row.channel} for row in settings]
            + [{"kind": "mail", "subject": row.subject, "created_at": _when(row.created_at),
                "status": row.status, "sent_at": _when(row.sent_at)} for row in mails])


def login_sessions(person: Person) -> list[dict]:
    """The devices, never the secret's hash that the cookie is checked against."""
    rows = LoginSession.select().where(LoginSession.person == person.id).order_by(LoginSession.created_at)
    return [{"device": row.user_agent, "created_at": _when(row.created_at), "last_used_at": _when(row.last_used_at),
             "expires_at": _when(row.expires_at), "remember": row.remember, "ended_at": _when(row.ended_at)}
            for row in rows]


def audit_events(person: Person) -> list[dict]:
    """Events by the person, and events about the person by others. Details only where the event
    is about the person or an object of the network, never about another person."""
    events = (AuditEvent.select()
              .where((AuditEvent.actor == person.id) |
                     ((AuditEvent.object_type == "Person") & (AuditEvent.object_id == person.id)))
              .order_by(AuditEvent.created_at, AuditEvent.id))
    result = []
    for event in events:
        about_other = event.object_type == "Person" and event.object_id != person.id
        result.append({
            "at": _when(event.created_at), "action": event.action,
            "by": _someone(event.actor_id, person),
            "object": None if about_other else (f"{event.object_type}:{event.object_id}" if event.object_type else None),
            "details": {} if about_other else _without_withheld(event.details_dict),
        })
    return result


def _without_withheld(value):
    if isinstance(value, dict):
        return {key: _without_withheld(item) for key, item in value.items()
                if not any(word in key.lower() for word in _WITHHELD_KEYS)}
    if isinstance(value, list):
        return [_without_withheld(item) for item in value]
    return value


@dataclass(frozen=True)
class Part:
    filename: str
    title: object  # lazy string: the page's row
    explanation: object  # lazy string: its paragraph in the README of the ZIP
    collect: Callable[[Person], object]


PARTS = (
    Part("profil.json", _l("Ihre Angaben"),
         _l("Name, E-Mail-Adresse, Funktion, Organisation, Rolle, Sprache, ob der Zugang aktiv ist, wann er "
            "angelegt wurde, die letzte Anmeldung und die Gremien, denen Sie angehören (mit Vorsitz)."), profile),
    Part("kommentare_vereinbarungen.json", _l("Kommentare zu Vereinbarungen"),
         _l("Ihre Kommentare und Antworten zu Abschnitten von Vereinbarungsentwürfen: Vereinbarung, "
            "Abschnitt, Text, wann geschrieben, bearbeitet und erledigt."), agreement_comments),
    Part("anmerkungen_protokolle.json", _l("Anmerkungen zu Protokollentwürfen"),
         _l("Ihre Anmerkungen zu Protokollentwürfen: Sitzung, Text, Zeitpunkt."), minutes_comments),
    Part("stimmen.json", _l("Stimmen in Abstimmungsrunden"),
         _l("Ihre Punkte bzw. Rangplätze je Thema in namentlichen Abstimmungsrunden. Bei anonymen Runden "
            "steht nur, dass Sie teilgenommen haben: Nach dem Ende ist nirgends gespeichert, was Sie "
            "vergeben haben."), votes),
    Part("aufgaben.json", _l("Aufgaben"),
         _l("Die Aufgaben aus Protokollen, für die Sie eingetragen sind: was, aus welcher Sitzung, bis wann, "
            "ob erledigt und ob von Ihnen selbst oder einer anderen Person abgehakt."), action_items),
    Part("anwesenheit.json", _l("Anwesenheit in Sitzungen"),
         _l("Ob Sie bei Sitzungen anwesend, entschuldigt oder abwesend waren."), attendance),
    Part("beitraege.json", _l("Themenvorschläge und Ergebnisse von Thementischen"),
         _l("Themen, die Sie vorgeschlagen haben, und Ergebnisse von Thementischen, die Sie eingetragen haben."),
         contributions),
    Part("benachrichtigungen.json", _l("Benachrichtigungen"),
         _l("Die Benachrichtigungen an Sie (z. B. über veröffentlichte Protokolle), bei einer verlegten Sitzung "
            "auch ihr bisheriger Termin oder Ort (previous), und wann Sie sie gelesen haben."),
         notifications),
    Part("e_mails.json", _l("E-Mail-Einstellungen und E-Mails"),
         _l("Was Sie je Art von Neuigkeit gewählt haben (sofort = immediate, täglich = digest, aus = off) und die "
            "E-Mails an Ihre Adresse: Betreff, wann geschrieben, ob und wann verschickt."), mail_settings_and_mails),
    Part("anmeldungen.json", _l("Angemeldete Geräte"),
         _l("Ihre Anmeldungen: Browser und Betriebssystem (nur grob, z. B. „Firefox / Windows“), Beginn, "
            "letzte Nutzung, Ablauf, Ende. Die geheimen Schlüssel der Anmelde-Cookies sind nicht enthalten."),
         login_sessions),
    Part("ereignisse.json", _l("Änderungsprotokoll"),
         _l("Einträge des Änderungsprotokolls, die Sie ausgelöst haben oder die Ihren Zugang betreffen "
            "(Anmeldungen, Passwortänderungen, Änderungen durch die Netzwerkkoordination). Betrifft ein "
            "Eintrag eine andere Person, fehlen Objekt und Einzelheiten; Schlüssel, Links und Passwörter "
            "sind nie enthalten."), audit_events),
)


def readme(created_at: str) -> str:
    """The ZIP's README, in the reader's language (its file names and JSON keys stay as they are)."""
    title = _("Ihre im FH-Intranet gespeicherten Daten")
    paragraphs = [
        _("Diese ZIP-Datei enthält alle Daten, die das FH-Intranet über Sie gespeichert hat (Auskunft nach "
          "Art. 15 DSGVO, Datenübertragbarkeit nach Art. 20 DSGVO), im maschinenlesbaren Format JSON (UTF-8). "
          "Zeitpunkte sind in UTC angegeben (Endung „Z“), Tagesdaten als JJJJ-MM-TT."),
        _("Enthalten sind nur Ihre eigenen Daten. Andere Personen werden nicht mit Namen genannt: Wo es für das "
          "Verständnis nötig ist (wer eine Aufgabe abgehakt oder einen Eintrag ausgelöst hat), steht „selbst“ "
          "oder „eine andere Person“ mit deren Rolle. Sitzungen, Vereinbarungen, Themen und Abstimmungsrunden "
          "werden mit ihrem Titel genannt; ihr Inhalt gehört dem Netzwerk und steht im Intranet."),
    ]
    lines = [title, "=" * len(title), ""] + [textwrap.fill(p, WIDTH) + "\n" for p in paragraphs]
    lines.append(_("Die Dateien:") + "\n")
    for part in PARTS:
        lines.append(part.filename + "\n" + textwrap.fill(str(part.explanation), WIDTH, initial_indent="    ",
                                                           subsequent_indent="    ") + "\n")
    lines.append(textwrap.fill(_("Fragen zu Ihren Daten, Berichtigung oder Löschung: Wenden Sie sich an die "
                                 "Netzwerkkoordination."), WIDTH) + "\n")
    lines.append(_("Erstellt am %(when)s.", when=created_at) + "\n")
    return "\n".join(lines)


def collect(person: Person) -> dict[str, object]:
    return {part.filename: part.collect(person) for part in PARTS}


def zip_archive(person: Person, created_at: datetime) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(_when(created_at)))
        for filename, data in collect(person).items():
            archive.writestr(filename, json.dumps(data, ensure_ascii=False, indent=2))
    return buffer.getvalue()
