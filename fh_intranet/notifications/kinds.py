"""The kinds of events a person is told about: what the message says, why they get it, and how
they hear of it unless they chose otherwise."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import JOIN

from ..dates import day, span
from ..meetings.models import Meeting
from ..offerings.models import RoundConfirmation, UpdateRound
from ..people.models import COORDINATOR, MEMBER, ROLES
from .models import DIGEST, IMMEDIATE, OFF, Notification

STEERING_GROUP = (COORDINATOR, MEMBER)  # comments on drafts, votes in rounds
COORDINATION = (COORDINATOR,)


@dataclass(frozen=True)
class Kind:
    code: str
    label: object  # what the preference row says
    message: object  # the sentence in the list and the mail; %(title)s is the object's title
    why: object  # the mail footer: why this person got it
    default: str  # IMMEDIATE, DIGEST or OFF
    roles: tuple[str, ...] = ROLES  # who can ever be told: the settings offer the kind only to them

    def concerns(self, person) -> bool:
        return person.role in self.roles


_KINDS = (
    Kind("consultation.opened", _l("Kommentierung einer Vereinbarung eröffnet"),
         _l("Die Kommentierung ist eröffnet: %(title)s"),
         _l("Sie gehören zur Steuerungsgruppe, die Entwürfe kommentiert."), IMMEDIATE, STEERING_GROUP),
    Kind("consultation.deadline", _l("Kommentierungsfrist endet in zwei Tagen"),
         _l("Die Kommentierungsfrist endet bald: %(title)s"),
         _l("Sie gehören zur Steuerungsgruppe, die Entwürfe kommentiert."), IMMEDIATE, STEERING_GROUP),
    Kind("consultation.closed", _l("Kommentierung beendet"),
         _l("Die Kommentierung ist beendet: %(title)s"),
         _l("Sie gehören zur Steuerungsgruppe, die Entwürfe kommentiert."), DIGEST, STEERING_GROUP),
    Kind("agreement.adopted", _l("Vereinbarung beschlossen"),
         _l("Eine Vereinbarung wurde beschlossen: %(title)s"),
         _l("Sie gehören zum Netzwerk, für das die Vereinbarung gilt."), DIGEST),
    Kind("agreement.new_version", _l("Neue Fassung einer Vereinbarung, die ich kommentiert habe"),
         _l("Neue Fassung: %(title)s"),
         _l("Sie haben diese Vereinbarung kommentiert."), DIGEST, STEERING_GROUP),
    Kind("comment.reply", _l("Antwort auf meinen Kommentar"),
         _l("Antwort auf Ihren Kommentar: %(title)s"),
         _l("Sie haben den Kommentar geschrieben, auf den geantwortet wurde."), IMMEDIATE, STEERING_GROUP),
    Kind("comment.resolved", _l("Mein Kommentar wurde erledigt"),
         _l("Ihr Kommentar wurde als erledigt markiert: %(title)s"),
         _l("Sie haben diesen Kommentar geschrieben."), DIGEST, STEERING_GROUP),
    Kind("comment.added", _l("Koordination: neuer Kommentar zu einem Entwurf"),
         _l("Neuer Kommentar zu „%(title)s“"),
         _l("Sie koordinieren das Netzwerk und bereiten die nächste Fassung vor."), DIGEST, COORDINATION),
    Kind("minutes.commented", _l("Koordination: Anmerkung zu einem Protokollentwurf"),
         _l("Anmerkung zum Protokollentwurf: %(title)s"),
         _l("Sie koordinieren das Netzwerk und veröffentlichen die Protokolle."), IMMEDIATE, COORDINATION),
    Kind("minutes.published", _l("Protokoll veröffentlicht"),
         _l("Protokoll veröffentlicht: %(title)s"),
         _l("Sie dürfen dieses Protokoll lesen und gehören zum Gremium oder zum Netzwerk."), IMMEDIATE),
    Kind("minutes.corrected", _l("Protokoll korrigiert"),
         _l("Protokoll korrigiert: %(title)s"),
         _l("Sie dürfen dieses Protokoll lesen und gehören zum Gremium oder zum Netzwerk."), DIGEST),
    Kind("round.opened", _l("Abstimmung eröffnet"),
         _l("Eine Abstimmung ist eröffnet: %(title)s"),
         _l("Sie sind in diesem Gremium stimmberechtigt."), IMMEDIATE, STEERING_GROUP),
    Kind("round.closing", _l("Abstimmung endet in 24 Stunden"),
         _l("Die Abstimmung endet in weniger als 24 Stunden: %(title)s"),
         _l("Sie sind in diesem Gremium stimmberechtigt."), IMMEDIATE, STEERING_GROUP),
    Kind("round.results", _l("Ergebnis einer Abstimmung"),
         _l("Das Ergebnis steht fest: %(title)s"),
         _l("Sie dürfen das Ergebnis dieser Abstimmung sehen."), DIGEST),
    Kind("action.assigned", _l("Aufgabe an mich übertragen"),
         _l("Ihnen wurde eine Aufgabe übertragen: %(title)s"),
         _l("Die Aufgabe ist Ihnen zugeordnet."), IMMEDIATE),
    Kind("action.due", _l("Meine Aufgabe ist in drei Tagen fällig"),
         _l("Ihre Aufgabe ist bald fällig: %(title)s"),
         _l("Die Aufgabe ist Ihnen zugeordnet."), IMMEDIATE),
    Kind("action.overdue", _l("Meine Aufgabe ist überfällig"),
         _l("Ihre Aufgabe ist überfällig: %(title)s"),
         _l("Die Aufgabe ist Ihnen zugeordnet."), IMMEDIATE),
    Kind("body.invited", _l("In ein Gremium aufgenommen"),
         _l("Sie wurden in ein Gremium aufgenommen: %(title)s"),
         _l("Sie sind jetzt Mitglied dieses Gremiums."), IMMEDIATE),
    Kind("meeting.scheduled", _l("Sitzung meines Gremiums angesetzt"),
         _l("Neue Sitzung: %(title)s"),
         _l("Sie sind Mitglied des Gremiums, das sich trifft."), IMMEDIATE),
    Kind("meeting.moved", _l("Sitzung meines Gremiums verlegt"),
         _l("Sitzung verlegt: %(title)s"),
         _l("Sie sind Mitglied des Gremiums, das sich trifft."), IMMEDIATE),
    Kind("meeting.cancelled", _l("Sitzung meines Gremiums abgesagt"),
         _l("Sitzung abgesagt: %(title)s"),
         _l("Sie sind Mitglied des Gremiums, das sich treffen wollte."), IMMEDIATE),
    Kind("meeting.calendar", _l("Kalendereinladungen (.ics) zu Sitzungen meiner Gremien"),
         _l("Kalendereinladung: %(title)s"),
         _l("Sie haben Kalendereinladungen für die Sitzungen Ihrer Gremien gewählt."), OFF),
    Kind("accessibility.feedback", _l("Rückmeldung zur Barrierefreiheit"),
         _l("Neue Rückmeldung zur Barrierefreiheit: %(title)s"),
         _l("Sie koordinieren das Netzwerk und beantworten Rückmeldungen zur Barrierefreiheit."), IMMEDIATE, COORDINATION),
    Kind("offerings.round_opened", _l("Aktualisierungsrunde für die Angebote meiner Organisation"),
         _l("Bitte prüfen Sie die Angebote Ihrer Organisation: %(title)s"),
         _l("Sie gehören zu einer Organisation, die Angebote im Verzeichnis des Netzwerks hat."), IMMEDIATE),
    Kind("offerings.round_reminder", _l("Erinnerung an eine Aktualisierungsrunde"),
         _l("Erinnerung: Die Angebote Ihrer Organisation sind noch nicht bestätigt: %(title)s"),
         _l("Sie gehören zu einer Organisation, die Angebote im Verzeichnis des Netzwerks hat."), IMMEDIATE),
)
KINDS: dict[str, Kind] = {kind.code: kind for kind in _KINDS}

# Where a notification leads: the object's own page.
PLACES = {
    "Agreement": ("agreements.detail", "agreement_id"),
    "Meeting": ("meetings.detail", "meeting_id"),
    "VotingRound": ("voting.detail", "round_id"),
    "Body": ("bodies.detail", "body_id"),
    "ActionItem": ("registers.actions", None),
    "AccessibilityFeedback": ("accessibility.feedback_list", None),
    "RoundConfirmation": ("offerings.round_link", "confirmation_id"),
}


def place_of(notification) -> str:
    """The path of the thing a notification is about (action items live on their meeting's page)."""
    endpoint, argument = PLACES.get(notification.object_type, ("main.start", None))
    return url_for(endpoint, **({argument: notification.object_id} if argument else {}))


def message_of(notification) -> str:
    kind = KINDS.get(notification.kind)
    if kind is None:
        return notification.text
    return str(kind.message) % {"title": notification.text}


DETAIL_ATTRS = {"Meeting": "meeting", "RoundConfirmation": "asked"}  # where with_details puts them
_MEETING_DETAILS = (Meeting.id, Meeting.starts_at, Meeting.ends_at, Meeting.place)
_DEADLINE_DETAILS = (RoundConfirmation.id, UpdateRound.id, UpdateRound.deadline)


def with_details(query):
    """`query` over notifications, joined with what the list and the mail say of each besides its
    message: a meeting's time and place, an update round's deadline (a mail is read where the app
    is not at hand, to put the date in a calendar). Read when shown, never stored: a stored date
    would be in the actor's language, and out of date. No query of its own (see `details`)."""
    return (query.select_extend(*_MEETING_DETAILS, *_DEADLINE_DETAILS)
            .join(Meeting, JOIN.LEFT_OUTER, attr=DETAIL_ATTRS["Meeting"],
                  on=(Notification.object_type == "Meeting") & (Notification.object_id == Meeting.id))
            .switch(Notification)
            .join(RoundConfirmation, JOIN.LEFT_OUTER, attr=DETAIL_ATTRS["RoundConfirmation"],
                  on=(Notification.object_type == "RoundConfirmation") & (Notification.object_id == RoundConfirmation.id))
            .join(UpdateRound, JOIN.LEFT_OUTER, attr="update_round"))


def attach_details(notifications) -> None:
    """What `with_details` joins, for notifications made in memory (a mail's calendar invitation is
    not stored) or read without it: one query per kind of object that has details."""
    wanted: dict[str, set[int]] = {}
    for note in notifications:
        wanted.setdefault(note.object_type, set()).add(note.object_id)
    found: dict[tuple[str, int], object] = {}
    if wanted.get("Meeting"):
        for meeting in Meeting.select(*_MEETING_DETAILS).where(Meeting.id.in_(wanted["Meeting"])):
            found["Meeting", meeting.id] = meeting
    if wanted.get("RoundConfirmation"):
        for asked in (RoundConfirmation.select(*_DEADLINE_DETAILS).join(UpdateRound, attr="update_round")
                      .where(RoundConfirmation.id.in_(wanted["RoundConfirmation"]))):
            found["RoundConfirmation", asked.id] = asked
    for note in notifications:
        if (note.object_type, note.object_id) in found:
            note.__dict__[DETAIL_ATTRS[note.object_type]] = found[note.object_type, note.object_id]


def details(note) -> list[str]:
    """The lines `with_details` (or `attach_details`) read for a notification, and what it says
    was replaced (`previous`), in the current locale."""
    meeting = note.__dict__.get(DETAIL_ATTRS["Meeting"])
    if meeting is not None and meeting.starts_at is not None:
        previous = note.previous_values
        lines = [_("Termin: %(when)s", when=span(meeting.starts_at, meeting.ends_at))]
        if meeting.place or "place" in previous:  # a place removed by the move is said to be gone
            lines.append(_("Ort: %(place)s", place=meeting.place or _("nicht angegeben")))
        return lines + _former_time_and_place(previous)
    asked = note.__dict__.get(DETAIL_ATTRS["RoundConfirmation"])
    if asked is not None and asked.__dict__.get("update_round") is not None and asked.update_round.deadline:
        return [_("Frist: %(day)s", day=day(asked.update_round.deadline))]
    return []


def _former_time_and_place(previous: dict) -> list[str]:
    """A moved meeting's time and place before the move, as its notification keeps them."""
    lines = []
    if previous.get("starts_at") and previous.get("ends_at"):
        lines.append(_("Bisher: %(when)s", when=span(datetime.fromisoformat(previous["starts_at"]),
                                                     datetime.fromisoformat(previous["ends_at"]))))
    if "place" in previous:
        lines.append(_("Bisheriger Ort: %(place)s", place=previous["place"] or _("nicht angegeben")))
    return lines
