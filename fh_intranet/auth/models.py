"""What login needs to remember across workers and app servers."""
import peewee

from ..db import BaseModel, DateTimeField, utcnow
from ..people.models import Person


class LoginFailure(BaseModel):
    """One failed login. `key` is a hash of the account or client address, never the raw value."""

    key = peewee.CharField(max_length=64, index=True)
    created_at = DateTimeField(default=utcnow, index=True)


class AccountToken(BaseModel):
    """A single-use link for an invitation or a password reset. Only its hash is stored."""

    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"

    person = peewee.ForeignKeyField(Person, backref="tokens", on_delete="CASCADE")
    purpose = peewee.CharField(max_length=20)
    token_hash = peewee.CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)


class LoginSession(BaseModel):
    """One logged-in browser. The session and remember-me cookies carry `id` and a random secret
    whose hash is stored here, so that ending the row (logout, "abmelden" in Mein Konto, a password
    change, deactivation) ends both cookies on the server, wherever they are replayed from."""

    person = peewee.ForeignKeyField(Person, backref="login_sessions", on_delete="CASCADE")
    secret_hash = peewee.CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)
    # Refreshed at most every few minutes (auth.sessions.TOUCH_EVERY), not on every request.
    last_used_at = DateTimeField(default=utcnow)
    # Fixed at login: 12 hours, or REMEMBER_DAYS with "Angemeldet bleiben".
    expires_at = DateTimeField()
    # "Firefox / Windows": what the person needs to recognise the device, not the raw header.
    user_agent = peewee.CharField(max_length=120, default="")
    remember = peewee.BooleanField(default=False)
    ended_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("person", "ended_at"), False),)
