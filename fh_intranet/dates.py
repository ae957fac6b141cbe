"""One way to show a date or a time anywhere in the UI, mails and PDFs.

Long form for a date that stands alone ("Do., 27.11.2026, 14:00 Uhr"), short form in tables and
lists ("27.11.2026, 14:00"); always four-digit years, times in Berlin time.
"""
from flask_babel import format_date, format_datetime, format_time, get_locale, to_user_timezone

PATTERNS = {
    "de": {"long": "EE, dd.MM.yyyy, HH:mm 'Uhr'", "short": "dd.MM.yyyy, HH:mm",
           "date": "dd.MM.yyyy", "long_date": "EE, dd.MM.yyyy", "start": "EE, dd.MM.yyyy, HH:mm",
           "end": "HH:mm 'Uhr'"},
    "en": {"long": "EEE, d MMM yyyy, HH:mm", "short": "d MMM yyyy, HH:mm",
           "date": "d MMM yyyy", "long_date": "EEE, d MMM yyyy", "start": "EEE, d MMM yyyy, HH:mm",
           "end": "HH:mm"},
}


def _pattern(style: str) -> str:
    language = getattr(get_locale(), "language", "de")
    return PATTERNS.get(language, PATTERNS["de"])[style]


def when(value, style: str = "long") -> str:
    """A point in time (stored in UTC) as the reader's local time; "" for none."""
    return format_datetime(value, _pattern("short" if style == "short" else "long")) if value else ""


def day(value, style: str = "date") -> str:
    """A calendar date; `style="long"` adds the weekday."""
    return format_date(value, _pattern("long_date" if style == "long" else "date")) if value else ""


def span(start, end) -> str:
    """A meeting's time: "Do., 03.12.2026, 14:30–16:00 Uhr", or two long forms across days."""
    if not end:
        return when(start)
    if to_user_timezone(start).date() == to_user_timezone(end).date():
        return f"{format_datetime(start, _pattern('start'))}–{format_time(end, _pattern('end'))}"
    return f"{when(start)} – {when(end)}"
