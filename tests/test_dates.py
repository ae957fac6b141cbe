"""One date format for the whole UI: long with weekday and "Uhr", short in tables, Berlin time."""
from datetime import date, datetime

from flask_babel import force_locale

from fh_intranet import dates


def test_german_long_and_short_forms_in_berlin_time(app):
    with app.test_request_context(), force_locale("de"):
        # 13:00 UTC in November is 14:00 in Berlin; in July 15:00
        assert dates.when(datetime(2026, 11, 27, 13, 0)) == "Fr., 27.11.2026, 14:00 Uhr"
        assert dates.when(datetime(2026, 7, 2, 13, 0), "short") == "02.07.2026, 15:00"
        assert dates.day(date(2026, 12, 18)) == "18.12.2026"
        assert dates.day(date(2026, 12, 18), "long") == "Fr., 18.12.2026"
        assert dates.when(None) == "" and dates.day(None) == ""


def test_english_forms(app):
    with app.test_request_context(), force_locale("en"):
        assert dates.when(datetime(2026, 11, 27, 13, 0)) == "Fri, 27 Nov 2026, 14:00"
        assert dates.day(date(2026, 12, 18)) == "18 Dec 2026"


def test_the_meeting_page_shows_the_long_form(client_as, people):
    from fh_intranet.meetings.models import Body, Meeting

    body = Body.create(name="Steuerungsgruppe Test", kind="steering_group")
    meeting = Meeting.create(body=body, kind="session", title="Sitzung im Advent",
                             starts_at=datetime(2026, 12, 3, 13, 30), ends_at=datetime(2026, 12, 3, 15, 0))
    html = client_as("coordinator").get(f"/sitzungen/{meeting.id}").get_data(as_text=True)
    assert "Do., 03.12.2026, 14:30–16:00 Uhr" in html


def test_a_span_over_two_days_names_both(app):
    with app.test_request_context(), force_locale("de"):
        assert dates.span(datetime(2026, 12, 3, 8, 0), datetime(2026, 12, 4, 15, 0)) == \
            "Do., 03.12.2026, 09:00 Uhr – Fr., 04.12.2026, 16:00 Uhr"


def test_numeric_forms_match_babel_around_the_clock_changes(app):
    """Short dates and times are written by strftime where Babel would write the same digits; a
    walk over both clock changes of a year checks that they do."""
    from datetime import timedelta

    from babel import dates as babel_dates

    with app.test_request_context(), force_locale("de"):
        moment = datetime(2026, 3, 28, 20, 17)
        while moment < datetime(2026, 10, 26, 4, 0):
            expected = babel_dates.format_datetime(moment, "dd.MM.yyyy, HH:mm", tzinfo="Europe/Berlin", locale="de")
            assert dates.when(moment, "short") == expected, moment
            moment += timedelta(minutes=37) if moment.month in (3, 10) else timedelta(hours=29)
        assert dates.day(datetime(2026, 12, 31, 23, 30)) == "01.01.2027", "a stored time's day in Berlin"
        assert dates.day(datetime(2026, 7, 1, 21, 59)) == "01.07.2026"
        assert dates.day(datetime(2026, 7, 1, 22, 0)) == "02.07.2026", "summer time: UTC+2"
        old = datetime(999, 5, 1, 12, 0)  # strftime would not pad the year: Babel writes it
        assert dates.when(old, "short").startswith("01.05.0999, ")


def test_a_meeting_just_after_midnight_is_listed_on_its_berlin_day(client_as, people):
    """Stored as 23:30 UTC the day before: the list of past meetings shows the Berlin day."""
    from fh_intranet.meetings.models import Body, Meeting

    body = Body.create(name="Steuerungsgruppe Nacht", kind="steering_group")
    Meeting.create(body=body, kind="session", title="Sitzung nach Mitternacht",
                   starts_at=datetime(2025, 1, 14, 23, 30), ends_at=datetime(2025, 1, 15, 0, 30))
    html = client_as("coordinator").get("/sitzungen/").get_data(as_text=True)
    listed = html[html.index("Sitzung nach Mitternacht"):][:200]
    assert "15.01.2025" in listed and "14.01.2025" not in listed
