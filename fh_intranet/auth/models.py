"""What login needs to remember across workers and app servers."""
import peewee

from ..db import BaseModel, utcnow
from ..people.models import Person


class LoginFailure(BaseModel):
    """One failed login. `key` is a hash of the account or client address, never the raw value."""

    key = peewee.CharField(max_length=64, index=True)
    created_at = peewee.DateTimeField(default=utcnow, index=True)


class AccountToken(BaseModel):
    """A single-use link for an invitation or a password reset. Only its hash is stored."""

    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"

    person = peewee.ForeignKeyField(Person, backref="tokens", on_delete="CASCADE")
    purpose = peewee.CharField(max_length=20)
    token_hash = peewee.CharField(max_length=64, unique=True)
    created_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField()
    used_at = peewee.DateTimeField(null=True)
