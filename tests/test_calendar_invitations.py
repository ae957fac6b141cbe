"""Calendar invitations: members of a body who asked for them get the meeting's .ics by mail
(METHOD:REQUEST); a moved meeting sends an update with the same UID and a higher SEQUENCE."""
from datetime import timedelta

from icalendar import Calendar

from fh_intranet.meetings import workflow as meetings
from fh_intranet.notifications.models import NotificationPreference

from .meeting_fixtures import make_meeting


def _invitation(message) -> Calendar:
    parts = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [part.get_content_type() for part in message.iter_attachments()]
    assert parts[0].get_param("method") == "REQUEST"
    return Calendar.from_ical(parts[0].get_payload(decode=True))


def test_members_who_want_invitations_get_the_ics_and_updates_keep_the_uid(app, people, body, mail_sink):
    member, partner = people["member"], people["partner"]
    NotificationPreference.create(person=member, kind="meeting.calendar", channel="immediate")
    meeting = make_meeting(body, "Herbstsitzung", actor=people["coordinator"])
    invitations = [m for m in mail_sink if m["To"] == member.email and list(m.iter_attachments())]
    assert len(invitations) == 1
    first = _invitation(invitations[0])
    assert str(first["method"]) == "REQUEST"
    [event] = first.walk("VEVENT")
    assert str(event["summary"]).startswith("Herbstsitzung")
    assert member.email in str(event["attendee"])
    uid, sequence = str(event["uid"]), int(event["sequence"])
    # the partner did not ask for invitations: a notification mail, but no .ics
    assert not [m for m in mail_sink if m["To"] == partner.email and list(m.iter_attachments())]

    meetings.update_meeting(meeting, meeting.version, {"starts_at": meeting.starts_at + timedelta(days=7),
                                                       "ends_at": meeting.ends_at + timedelta(days=7)},
                            actor=people["coordinator"])
    invitations = [m for m in mail_sink if m["To"] == member.email and list(m.iter_attachments())]
    assert len(invitations) == 2
    [moved] = _invitation(invitations[1]).walk("VEVENT")
    assert str(moved["uid"]) == uid
    assert int(moved["sequence"]) > sequence
    assert moved.decoded("dtstart") - event.decoded("dtstart") == timedelta(days=7)


def test_invitations_are_off_by_default(people, body, mail_sink):
    make_meeting(body, "Herbstsitzung", actor=people["coordinator"])
    assert not [m for m in mail_sink if list(m.iter_attachments())]
