"""Calendar invitations: members of a body who asked for them get the meeting's .ics by mail
(METHOD:REQUEST); a moved meeting sends an update with the same UID and a higher SEQUENCE, a
cancelled one METHOD:CANCEL."""
from datetime import datetime, timedelta

from icalendar import Calendar

from fh_intranet.meetings import workflow as meetings
from fh_intranet.meetings.models import Meeting
from fh_intranet.notifications.models import NotificationPreference

from .meeting_fixtures import AHEAD, make_meeting


def _invitation(message, method: str = "REQUEST") -> Calendar:
    """The iTIP part among the message's alternatives, and the same file attached."""
    [part] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert part.get_param("method") == method and part.get_content_charset() == "utf-8"
    assert part not in list(message.iter_attachments()), "an alternative, not a file to open"
    [attached] = [a for a in message.iter_attachments() if a.get_content_type() == "application/ics"]
    assert attached.get_payload(decode=True) == part.get_payload(decode=True)
    return Calendar.from_ical(part.get_payload(decode=True))


def test_members_who_want_invitations_get_the_ics_and_updates_keep_the_uid(app, people, body, mail_sink):
    member, partner = people["member"], people["partner"]
    NotificationPreference.create(person=member, kind="meeting.calendar", channel="immediate")
    meeting = make_meeting(body, "Herbstsitzung", starts=AHEAD, actor=people["coordinator"])
    invitations = [m for m in mail_sink if m["To"] == member.email and list(m.iter_attachments())]
    assert len(invitations) == 1
    first = _invitation(invitations[0])
    assert str(first["method"]) == "REQUEST"
    [event] = first.walk("VEVENT")
    assert str(event["summary"]).startswith("Herbstsitzung")
    assert member.email in str(event["attendee"])
    uid, sequence = str(event["uid"]), int(event["sequence"])
    # the invitation's text says when and where too (its notification is not stored)
    text = invitations[0].get_body(("plain",)).get_content()
    assert "Termin: Mo., 10.03.2031, 14:00–16:00 Uhr" in text and "Ort: Kreishaus" in text
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
    # its mail says the former time too, as the move's notification does
    text = invitations[1].get_body(("plain",)).get_content()
    assert "Termin: Mo., 17.03.2031, 14:00–16:00 Uhr" in text and "Bisher: Mo., 10.03.2031, 14:00–16:00 Uhr" in text


def test_an_invitation_is_one_appointment_in_utf_8(people, body, mail_sink):
    """Its calendar part says its charset (text/* means US-ASCII without: „Übergänge“ arrived as
    „��berg��nge“), and it carries no calendar name, with which Outlook opens a calendar of its own."""
    member = people["member"]
    NotificationPreference.create(person=member, kind="meeting.calendar", channel="immediate")
    make_meeting(body, "Übergänge gestalten", starts=AHEAD, actor=people["coordinator"])
    [message] = [m for m in mail_sink if m["To"] == member.email and list(m.iter_attachments())]
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_content_charset() == "utf-8"
    assert "SUMMARY:Übergänge gestalten" in part.get_content()
    # the text and HTML bodies are still the ones read; the calendar part is the last alternative
    assert "Termin:" in message.get_body(("plain",)).get_content() and message.get_body(("html",)) is not None
    calendar = _invitation(message)
    assert "X-WR-CALNAME" not in calendar and "NAME" not in calendar


def test_invitations_are_off_by_default(people, body, mail_sink):
    make_meeting(body, "Herbstsitzung", starts=AHEAD, actor=people["coordinator"])
    assert not [m for m in mail_sink if list(m.iter_attachments())]


def test_a_cancelled_meeting_sends_a_cancel_with_the_same_uid(app, client_as, people, body, mail_sink):
    """"Sitzung absagen": members are told (never the coordinator who cancels), the invitation is
    withdrawn (METHOD:CANCEL, same UID, higher SEQUENCE, STATUS:CANCELLED), the draft can no longer
    be edited and the feed shows the meeting as cancelled."""
    from fh_intranet.meetings.models import BodyMember, CalendarFeed, Meeting
    from fh_intranet.notifications.models import Notification

    from .conftest import csrf_from

    member = people["member"]
    BodyMember.get_or_create(body=body, person=member)
    NotificationPreference.create(person=member, kind="meeting.calendar", channel="immediate")
    with app.app_context():  # this app's BASE_URL names the UID host, as in the request below
        meeting = make_meeting(body, "Wintersitzung", starts=datetime.utcnow() + timedelta(days=10),
                               actor=people["coordinator"])
    [event] = _invitation([m for m in mail_sink if m["To"] == member.email and list(m.iter_attachments())][0]).walk(
        "VEVENT")

    coordinator = client_as("coordinator")
    token = csrf_from(coordinator.get(f"/sitzungen/{meeting.id}").get_data(as_text=True))
    done = coordinator.post(f"/sitzungen/{meeting.id}/absagen", data={"csrf_token": token, "bestaetigt": "1"})
    assert done.status_code == 303 and Meeting.get_by_id(meeting.id).state == "cancelled"

    cancels = [m for m in mail_sink if m["To"] == member.email and list(m.iter_attachments())][1:]
    assert len(cancels) == 1
    calendar = _invitation(cancels[0], method="CANCEL")
    assert str(calendar["method"]) == "CANCEL"
    [cancelled] = calendar.walk("VEVENT")
    assert str(cancelled["uid"]) == str(event["uid"]) and int(cancelled["sequence"]) > int(event["sequence"])
    assert str(cancelled["status"]) == "CANCELLED"
    # said in the title too: subscribed calendars show a cancelled event as if it took place
    assert str(cancelled["summary"]).startswith("Abgesagt: Wintersitzung")

    told = {n.person_id for n in Notification.select().where(Notification.kind == "meeting.cancelled")}
    assert member.id in told and people["coordinator"].id not in told
    page = coordinator.get(f"/sitzungen/{meeting.id}").get_data(as_text=True)
    assert "Diese Sitzung findet nicht statt." in page and "Protokoll veröffentlichen" not in page
    closed = coordinator.get(f"/sitzungen/{meeting.id}/bearbeiten")
    assert closed.status_code == 409 and "Die Sitzung ist abgesagt." in closed.get_data(as_text=True)
    again = coordinator.post(f"/sitzungen/{meeting.id}/absagen", data={"csrf_token": token, "bestaetigt": "1"})
    assert again.status_code == 403

    feed = CalendarFeed.create(person=member)
    [listed] = [e for e in Calendar.from_ical(client_as("member").get(f"/kalender/{feed.token}.ics").data).walk("VEVENT")
                if str(e["uid"]) == str(event["uid"])]
    assert str(listed["status"]) == "CANCELLED"


def test_the_calendar_file_spells_out_berlin_time_for_readers_that_apply_it(client_as, body, people):
    """Readers such as ical.js apply the file's own VTIMEZONE, not a zone database: it states the
    yearly rule (a list of dates on one line was read as its first date only, and summer meetings
    came an hour late). Names are written as escaped text, also with a line break in them."""
    summer = make_meeting(body, "Sommer, Treffen; C:\\neu", starts=datetime(2031, 7, 4, 7, 0))  # 09:00 in Berlin
    winter = make_meeting(body, "Wintersitzung", starts=datetime(2031, 1, 9, 8, 0))  # 09:00 in Berlin
    for meeting in (summer, winter):
        body_ics = client_as("member").get(f"/sitzungen/{meeting.id}/termin.ics").data
        assert b"RDATE" not in body_ics
        calendar = Calendar.from_ical(body_ics)
        assert str(calendar.walk("VEVENT")[0]["summary"]) == f"{meeting.title} ({body.name})"
        [zone] = calendar.walk("VTIMEZONE")
        [event] = calendar.walk("VEVENT")
        start = event["dtstart"].dt
        assert (start.hour, start.minute) == (9, 0) and event["dtstart"].params["TZID"] == "Europe/Berlin"
        # the UTC time the file's own zone gives is the stored one
        local = start.replace(tzinfo=None)
        assert local - zone.to_tz().utcoffset(local) == meeting.starts_at
    # DTSTAMP says when the file was written, not when the meeting was first made (RFC 5545 3.8.7.2)
    Meeting.update(created_at=datetime(2020, 1, 1)).where(Meeting.id == summer.id).execute()
    [event] = Calendar.from_ical(client_as("member").get(f"/sitzungen/{summer.id}/termin.ics").data).walk("VEVENT")
    assert event["dtstamp"].dt.replace(tzinfo=None) > datetime.utcnow() - timedelta(minutes=5)
    # a title with a line break (a hand-made request; the form's field has one line) made it fail
    Meeting.update(title="Zeile eins\nZeile zwei").where(Meeting.id == summer.id).execute()
    answer = client_as("member").get(f"/sitzungen/{summer.id}/termin.ics")
    assert answer.status_code == 200
    [event] = Calendar.from_ical(answer.data).walk("VEVENT")
    assert str(event["summary"]) == f"Zeile eins\nZeile zwei ({body.name})"


def test_an_english_readers_cancellation_says_so_in_english(people, body, mail_sink):
    from fh_intranet.people.models import Person

    member = people["member"]
    Person.update(locale="en").where(Person.id == member.id).execute()
    NotificationPreference.create(person=member, kind="meeting.calendar", channel="immediate")
    meeting = make_meeting(body, "Herbstsitzung", starts=AHEAD, actor=people["coordinator"])
    meetings.cancel_meeting(meeting, people["coordinator"])
    [_first, cancel] = [m for m in mail_sink if m["To"] == member.email and list(m.iter_attachments())]
    [event] = _invitation(cancel, method="CANCEL").walk("VEVENT")
    assert str(event["summary"]) == f"Cancelled: Herbstsitzung ({body.name})"


def test_a_renamed_meeting_updates_the_invitation_without_news_of_a_move(people, body, mail_sink):
    from fh_intranet.notifications.models import Notification

    member = people["member"]
    NotificationPreference.create(person=member, kind="meeting.calendar", channel="immediate")
    meeting = make_meeting(body, "Herbstsitzung", starts=AHEAD, actor=people["coordinator"])
    [first] = _invitation([m for m in mail_sink if m["To"] == member.email and list(m.iter_attachments())][0]).walk("VEVENT")
    meetings.update_meeting(meeting, meeting.version, {"title": "Herbstsitzung mit Jugendamt"}, actor=people["coordinator"])
    invitations = [m for m in mail_sink if m["To"] == member.email and list(m.iter_attachments())]
    assert len(invitations) == 2
    [renamed] = _invitation(invitations[1]).walk("VEVENT")
    assert str(renamed["uid"]) == str(first["uid"]) and int(renamed["sequence"]) > int(first["sequence"])
    assert str(renamed["summary"]).startswith("Herbstsitzung mit Jugendamt")
    assert not Notification.select().where(Notification.kind == "meeting.moved").exists()
