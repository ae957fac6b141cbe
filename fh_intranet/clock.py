"""The time the app writes and judges by (naive UTC: SQLite and PostgreSQL store it alike).

One clock, so that the demo seed can date the history it writes through the ordinary writers: a
version adopted last year, minutes published after their meeting, votes cast while their round was
open, instead of every row stamped with the moment of seeding. Nothing else sets it."""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta, timezone

_shift: ContextVar[timedelta] = ContextVar("clock_shift", default=timedelta(0))


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None) + _shift.get()


@contextmanager
def running_from(moment: datetime):
    """Inside, the clock runs on from `moment` (naive UTC), so what is written in order keeps its order."""
    token = _shift.set(moment - datetime.now(timezone.utc).replace(tzinfo=None))
    try:
        yield
    finally:
        _shift.reset(token)
