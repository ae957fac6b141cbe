"""The network lives in Europe/Berlin; the database keeps naive UTC.

Forms accept only sensible years (forms.FIRST_YEAR … LAST_YEAR). Should a time at the very ends
of the calendar still arrive (an old row, a script), the conversion gives the calendar's first or
last moment instead of failing: Berlin is at most two hours from UTC, so nothing else is lost.
"""
from datetime import date, datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from .clock import utcnow

BERLIN = ZoneInfo("Europe/Berlin")


def _shifted(value: datetime, source, target) -> datetime:
    try:
        return value.replace(tzinfo=source).astimezone(target).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return datetime.min if value.year == datetime.min.year else datetime.max


def berlin_to_utc(local: datetime) -> datetime:
    """A wall-clock time in Berlin (naive) as naive UTC."""
    return _shifted(local, BERLIN, timezone.utc)


def utc_to_berlin(value: datetime) -> datetime:
    return _shifted(value, timezone.utc, BERLIN)


@lru_cache(maxsize=4096)
def berlin_day(value: datetime) -> date:
    """The Berlin day of a stored (UTC) time. Cached: long lists and exports repeat their meetings'
    times row after row."""
    return utc_to_berlin(value).date()


def berlin_today() -> date:
    """Today as the network counts days (due dates, deadlines), whatever zone the server runs in."""
    return utc_to_berlin(utcnow()).date()
