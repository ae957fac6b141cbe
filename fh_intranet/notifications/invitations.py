"""Calendar invitations: a mail with the meeting's .ics (METHOD:REQUEST) to each member of the body
who asked for them. The event keeps its UID (meeting-<id>@host, as in the calendar feed) and its
SEQUENCE is the meeting's version, so a calendar replaces the entry when the meeting moves."""
from __future__ import annotations

from email.utils import parseaddr

from flask import current_app
from flask_babel import force_locale
from icalendar import Calendar, vCalAddress

from ..db import utcnow
from ..i18n import locale_of
from ..people.models import Person
from . import mails, preferences
from .models import IMMEDIATE, Notification, kept_previous

KIND = "meeting.calendar"


def invitation_ics(meeting, person, method: str = "REQUEST") -> str:
    from ..meetings.calendar import build

    calendar = Calendar.from_ical(build([meeting]))
    calendar.add("method", method)
    organiser = parseaddr(current_app.config["MAIL_FROM"])[1] or "noreply@localhost"
    for event in calendar.walk("VEVENT"):
        event.add("organizer", vCalAddress(f"mailto:{organiser}"))
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = person.name
        attendee.params["rsvp"] = "FALSE"
        event.add("attendee", attendee)
    return calendar.to_ical().decode()


def send_invitations(meeting, people, *, actor=None, method: str = "REQUEST", previous: dict | None = None) -> int:
    """Inside the meeting's write transaction: queue the .ics mail for every one of `people` who
    wants calendar invitations (for a move, `previous` says the former time or place, as the
    move's notification does). Returns how many were queued."""
    queued = 0
    for person in Person.select().where(Person.id.in_(list(people) or [0]), Person.active,
                                        Person.password_hash.is_null(False)):
        if preferences.channel_for(person, KIND) != IMMEDIATE:
            continue
        # Not stored: the list already has the meeting's own notification; this only renders the mail.
        about = Notification(person=person, kind=KIND, object_type="Meeting", object_id=meeting.id,
                             text=meeting.title, created_at=utcnow(), previous=kept_previous(previous))
        mails.queue_notification_mail(person, [about], ics=_in_link_context(meeting, person, method),
                                      ics_method=method)
        queued += 1
    return queued


def _in_link_context(meeting, person, method):
    with mails.link_context(), force_locale(locale_of(person)):  # the calendar's words in the mail's language
        return invitation_ics(meeting, person, method)
