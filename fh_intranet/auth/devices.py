"""Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies").

After a successful login the browser gets a signed cookie naming the account (by its keyed hash,
never the address) and a random nonce. Its later attempts at that account are "trusted": they
count against the nonce alone, so neither a flood against the account from elsewhere nor one from
the same office address locks that person out, and a stolen cookie only buys its own few tries.

The cookie holds up to MAX_ENTRIES accounts (a shared office computer), newest first, and is only
sent to the login page. It proves nothing by itself: the password is checked as always.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadData, URLSafeTimedSerializer

from . import throttle

COOKIE_NAME = "fh_device"
LIFETIME = timedelta(days=365)
MAX_ENTRIES = 5
_SALT = "fh-intranet.login-device"
_ACCOUNT_CHARS = 32  # of the keyed account hash: plenty to tell accounts apart


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _entries() -> list[list[str]]:
    raw = request.cookies.get(COOKIE_NAME)
    if not raw or len(raw) > 2000:
        return []
    try:
        data = _serializer().loads(raw, max_age=LIFETIME.total_seconds())
    except BadData:
        return []
    if not isinstance(data, list):
        return []
    return [entry for entry in data
            if isinstance(entry, list) and len(entry) == 2 and all(isinstance(part, str) for part in entry)]


def _account(email: str) -> str:
    return throttle.account_key(email)[:_ACCOUNT_CHARS]


def trusted_key(email: str) -> str | None:
    """The throttle key of this browser's device cookie for `email`, or None (untrusted)."""
    account = _account(email)
    for entry_account, nonce in _entries():
        if entry_account == account:
            return throttle.device_key(nonce)
    return None


def remember(response, email: str):
    """Mark this browser as one that logged in to `email` (a fresh nonce; its old count goes)."""
    account = _account(email)
    entries = [[account, secrets.token_urlsafe(16)]]
    entries += [entry for entry in _entries() if entry[0] != account][:MAX_ENTRIES - 1]
    cfg = current_app.config
    response.set_cookie(
        COOKIE_NAME, _serializer().dumps(entries), max_age=int(LIFETIME.total_seconds()),
        path="/anmelden",  # only the login form needs it
        secure=cfg["REMEMBER_COOKIE_SECURE"], httponly=True, samesite="Lax")
    return response
