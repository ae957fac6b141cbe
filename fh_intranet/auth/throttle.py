"""Login throttling, kept in the database so that it holds across workers and app servers."""
import hashlib
import math
from datetime import timedelta

from flask import current_app

from ..db import utcnow, write_transaction
from .models import LoginFailure


def account_key(email: str) -> str:
    return _hash("account", email.strip().lower())


def address_key(address: str | None) -> str:
    return _hash("address", address or "unknown")


def _hash(kind: str, value: str) -> str:
    # Keyed so that the table does not reveal addresses or e-mails by a dictionary attack.
    secret = current_app.config["SECRET_KEY"]
    return hashlib.sha256(f"{secret}\0{kind}\0{value}".encode()).hexdigest()


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_THROTTLE_MINUTES"])


def minutes_blocked(keys_and_limits: list[tuple[str, int]]) -> int:
    """0 when a new attempt may go ahead, else the minutes until one may."""
    since = utcnow() - _window()
    free_at = None
    for key, limit in keys_and_limits:
        recent = (LoginFailure.select(LoginFailure.created_at)
                  .where(LoginFailure.key == key, LoginFailure.created_at > since)
                  .order_by(LoginFailure.created_at.desc())
                  .limit(limit))
        times = [row.created_at for row in recent]
        if len(times) >= limit:
            key_free_at = times[-1] + _window()
            free_at = key_free_at if free_at is None else max(free_at, key_free_at)
    if free_at is None:
        return 0
    return max(1, math.ceil((free_at - utcnow()).total_seconds() / 60))


def note_failure(*keys: str) -> None:
    """Count a failed attempt against each key (inside the caller's write transaction, or its own)."""
    with write_transaction():
        LoginFailure.delete().where(LoginFailure.created_at < utcnow() - _window()).execute()
        LoginFailure.insert_many([{"key": key} for key in keys]).execute()


def forget(key: str) -> None:
    with write_transaction():
        LoginFailure.delete().where(LoginFailure.key == key).execute()
