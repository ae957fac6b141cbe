"""When the demo network's history happened: its rows are written through the ordinary writers with
the clock set back (clock.running_from), so that dates, histories and "since your last visit" read
as in a network that has been working for a year."""
from datetime import date, datetime, time, timedelta

from .clock import running_from
from .timezones import berlin_to_utc


def moment(days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
    """That many days before today at a Berlin wall-clock time, as naive UTC."""
    return berlin_to_utc(datetime.combine(date.today() - timedelta(days=days_ago), time(hour, minute)))


def back(days_ago: int, hour: int = 10, minute: int = 0):
    """Write what follows as if it happened then."""
    return running_from(moment(days_ago, hour, minute))
