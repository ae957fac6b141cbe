"""iCalendar (RFC 5545) for meetings, with the Europe/Berlin time zone spelled out."""
from datetime import datetime, timedelta, timezone
from functools import cache

from flask import Response, current_app, url_for
from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText

from ..timezones import BERLIN
from ..web import content_disposition


@cache
def _berlin() -> Timezone:
    """Europe/Berlin as a VTIMEZONE with the EU's yearly rule (since 1996: summer time from the last
    Sunday of March, 02:00, to the last Sunday of October, 03:00), as Outlook and Google write it.
    icalendar's own, made from the zone database, lists every change since 1981 as one RDATE with
    commas; ical.js (Thunderbird, many web calendars) reads only the first and showed summer
    meetings an hour late. Made once per process; calendars only read it when they are written."""
    zone = Timezone()
    zone.add("tzid", "Europe/Berlin")
    for kind, name, start, before, after, month in ((TimezoneDaylight, "CEST", datetime(1996, 3, 31, 2), 1, 2, 3),
                                                    (TimezoneStandard, "CET", datetime(1996, 10, 27, 3), 2, 1, 10)):
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("tzoffsetfrom", timedelta(hours=before))
        part.add("tzoffsetto", timedelta(hours=after))
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(part)
    return zone


def build(meetings, name: str | None = None, description: str | None = None) -> bytes:
    """A calendar of `meetings`; a feed gives it a `name` and `description`, a single meeting's file
    or invitation does not: Outlook opens a file with a calendar name as a calendar of its own
    instead of adding the appointment (MS-OXCICAL: omitted for a single appointment)."""
    cal = Calendar()
    cal.add("prodid", "-//FH-Intranet//Netzwerk Fruehe Hilfen//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        # RFC 7986 names, and the X-WR- ones that Outlook and older programs read instead; text
        # values, escaped as such (icalendar would write unknown properties as they are)
        cal.add("name", vText(name))
        cal.add("x-wr-calname", vText(name))
        cal.add("description", vText(description))
        cal.add("x-wr-caldesc", vText(description))
        cal.add("x-wr-timezone", "Europe/Berlin")
    cal.add_component(_berlin())
    base = current_app.config["BASE_URL"]
    host = base.split("://", 1)[-1].split("/", 1)[0]
    # When this calendar was written: for a feed the moment it was read, for an invitation or
    # update (built inside the change's transaction) the change. Calendars take the later of two
    # messages with the same SEQUENCE by it; the meeting's creation time never moved.
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@{host}")
        summary = f"{meeting.title} ({meeting.body.name})"
        if meeting.is_cancelled:
            # said in the title too: subscribed calendars (Google's among them) show a cancelled
            # event as if it took place
            summary = _("Abgesagt: %(meeting)s", meeting=summary)
        event.add("summary", summary)
        event.add("dtstart", meeting.starts_at.replace(tzinfo=timezone.utc).astimezone(BERLIN))
        event.add("dtend", meeting.ends_at.replace(tzinfo=timezone.utc).astimezone(BERLIN))
        event.add("dtstamp", stamp)
        event.add("sequence", meeting.version)
        if meeting.state == "cancelled":
            event.add("status", "CANCELLED")
        if meeting.place:
            event.add("location", meeting.place)
        event.add("url", base + url_for("meetings.detail", meeting_id=meeting.id))
        cal.add_component(event)
    return cal.to_ical()


def response(meetings, filename: str, name: str | None = None, description: str | None = None) -> Response:
    return Response(build(meetings, name, description), mimetype="text/calendar",
                    headers={"Content-Disposition": content_disposition(filename)})
