"""The network lives in Europe/Berlin; the database keeps naive UTC."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def berlin_to_utc(local: datetime) -> datetime:
    """A wall-clock time in Berlin (naive) as naive UTC."""
    return local.replace(tzinfo=BERLIN).astimezone(timezone.utc).replace(tzinfo=None)


def utc_to_berlin(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc).astimezone(BERLIN).replace(tzinfo=None)
