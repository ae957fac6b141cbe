"""iCalendar (RFC 5545) for meetings, with the Europe/Berlin time zone spelled out."""
from datetime import timezone
from functools import cache

from flask import Response, current_app, url_for
from icalendar import Calendar, Event, Timezone

from ..timezones import BERLIN


@cache
def _berlin() -> Timezone:
    """Europe/Berlin as a VTIMEZONE, made once per process: icalendar walks the zone's transitions
    for it, which cost a feed more than its meetings. Calendars only read it when they are written."""
    return Timezone.from_tzinfo(BERLIN)


def build(meetings, name: str, description: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//FH-Intranet//Netzwerk Fruehe Hilfen//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # RFC 7986 names, and the X-WR- ones that Outlook and older programs read instead
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("description", description)
    cal.add("x-wr-caldesc", description)
    cal.add("x-wr-timezone", "Europe/Berlin")
    cal.add_component(_berlin())
    base = current_app.config["BASE_URL"]
    host = base.split("://", 1)[-1].split("/", 1)[0]
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@{host}")
        event.add("summary", f"{meeting.title} ({meeting.body.name})")
        event.add("dtstart", meeting.starts_at.replace(tzinfo=timezone.utc).astimezone(BERLIN))
        event.add("dtend", meeting.ends_at.replace(tzinfo=timezone.utc).astimezone(BERLIN))
        event.add("dtstamp", meeting.created_at.replace(tzinfo=timezone.utc))
        event.add("sequence", meeting.version)
        if meeting.state == "cancelled":
            event.add("status", "CANCELLED")
        if meeting.place:
            event.add("location", meeting.place)
        event.add("url", base + url_for("meetings.detail", meeting_id=meeting.id))
        cal.add_component(event)
    return cal.to_ical()


def response(meetings, filename: str, name: str, description: str) -> Response:
    return Response(build(meetings, name, description), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
