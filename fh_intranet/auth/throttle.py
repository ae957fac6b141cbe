"""Login throttling, kept in the database so that it holds across workers and app servers.

An attempt is counted *before* its password is checked: `claim` reserves a slot under a lock (the
write lock on SQLite, an advisory lock per key on PostgreSQL), so N parallel attempts check at
most `limit` passwords, never more. A successful login gives its slot back (`release`).

Who is counted where (OWASP "device cookies"):
- A browser that logged in to an account before carries a signed device cookie for it
  (auth.devices). Its attempts at that account count only against that device: a flood from
  elsewhere, or from the same office address, does not lock it out.
- Every other attempt counts against the account's pool of untrusted devices and against the
  client address (a whole office behind one address shares that allowance).
"""
from __future__ import annotations

import hashlib
import math
from datetime import timedelta

from flask import current_app

from ..db import serialize, utcnow, write_transaction
from .models import LoginFailure


def account_key(email: str) -> str:
    return _hash("account", email.strip().lower())


def address_key(address: str | None) -> str:
    return _hash("address", address or "unknown")


def feedback_key(address: str | None) -> str:
    """The public feedback form of the accessibility statement, counted per client address."""
    return _hash("feedback", address or "unknown")


def device_key(nonce: str) -> str:
    return _hash("device", nonce)


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


def claim(keys_and_limits: list[tuple[str, int]]) -> tuple[int, list[int]]:
    """Count one attempt against every key, unless one of them is at its limit.

    Returns (minutes to wait, []) when blocked, else (0, ids of the rows that count it). The
    check and the count happen under one lock, so parallel attempts cannot all pass the check.
    """
    with write_transaction():
        for key, _limit in sorted(keys_and_limits):  # always the same order: no deadlocks
            serialize(f"login-throttle:{key}")
        wait = minutes_blocked(keys_and_limits)
        if wait:
            return wait, []
        LoginFailure.delete().where(LoginFailure.created_at < utcnow() - _window()).execute()
        ids = [LoginFailure.insert(key=key).execute() for key, _limit in keys_and_limits]
    return 0, ids


def release(ids: list[int]) -> None:
    """A claimed attempt that succeeded does not count (inside the login's write transaction)."""
    if ids:
        LoginFailure.delete().where(LoginFailure.id.in_(ids)).execute()


def forget(key: str) -> None:
    with write_transaction():
        LoginFailure.delete().where(LoginFailure.key == key).execute()
