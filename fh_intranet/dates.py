"""One way to show a date or a time anywhere in the UI, mails and PDFs.

Long form for a date that stands alone ("Do., 27.11.2026, 14:00 Uhr"), short form in tables and
lists ("27.11.2026, 14:00"); always four-digit years, times in Berlin time.
"""
from datetime import datetime

from babel import dates as babel_dates
from flask_babel import get_locale, get_timezone, to_user_timezone

from .timezones import berlin_day, utc_to_berlin

PATTERNS = {
    "de": {"long": "EE, dd.MM.yyyy, HH:mm 'Uhr'", "short": "dd.MM.yyyy, HH:mm",
           "date": "dd.MM.yyyy", "long_date": "EE, dd.MM.yyyy", "start": "EE, dd.MM.yyyy, HH:mm",
           "end": "HH:mm 'Uhr'"},
    "en": {"long": "EEE, d MMM yyyy, HH:mm", "short": "d MMM yyyy, HH:mm",
           "date": "d MMM yyyy", "long_date": "EEE, d MMM yyyy", "start": "EEE, d MMM yyyy, HH:mm",
           "end": "HH:mm"},
}


# The patterns made of numbers only, as strftime writes them: the same text at a tenth of Babel's
# cost, which a list of comments or action items pays once per row.
NUMERIC = {"dd.MM.yyyy, HH:mm": "%d.%m.%Y, %H:%M", "dd.MM.yyyy": "%d.%m.%Y", "HH:mm": "%H:%M"}


def _pattern(locale, style: str) -> str:
    return PATTERNS.get(getattr(locale, "language", "de"), PATTERNS["de"])[style]


def _numeric(value, pattern: str) -> str | None:
    """`value` in `pattern` by strftime where that gives Babel's text, else None."""
    numeric = NUMERIC.get(pattern)
    if numeric is None or value.year < 1000:  # strftime does not pad the year to four digits
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return None
        value = utc_to_berlin(value)  # stored in UTC, shown in Berlin time (BABEL_DEFAULT_TIMEZONE)
    return value.strftime(numeric)


# Babel's formatters with the locale looked up once per value (Flask-Babel's wrappers look it up
# again, with the time zone and their own format table: most of a date's cost in a long list).
def _datetime(value, style: str) -> str:
    locale = get_locale()
    pattern = _pattern(locale, style)
    return _numeric(value, pattern) or babel_dates.format_datetime(value, pattern, tzinfo=get_timezone(),
                                                                   locale=locale)


def when(value, style: str = "long") -> str:
    """A point in time (stored in UTC) as the reader's local time; "" for none."""
    return _datetime(value, "short" if style == "short" else "long") if value else ""


def day(value, style: str = "date") -> str:
    """A calendar date; `style="long"` adds the weekday."""
    if not value:
        return ""
    locale = get_locale()
    pattern = _pattern(locale, "long_date" if style == "long" else "date")
    # A stored time is UTC: its day is the Berlin day (a meeting at 00:30 is not the day before's).
    plain = berlin_day(value) if isinstance(value, datetime) and value.tzinfo is None else value
    return _numeric(plain, pattern) or babel_dates.format_date(plain, pattern, locale=locale)


def span(start, end) -> str:
    """A meeting's time: "Do., 03.12.2026, 14:30–16:00 Uhr", or two long forms across days."""
    if not end:
        return when(start)
    if to_user_timezone(start).date() == to_user_timezone(end).date():
        locale = get_locale()
        end_time = babel_dates.format_time(end, _pattern(locale, "end"), tzinfo=get_timezone(), locale=locale)
        return f"{_datetime(start, 'start')}–{end_time}"
    return f"{when(start)} – {when(end)}"
