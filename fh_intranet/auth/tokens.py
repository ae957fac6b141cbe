"""Single-use, expiring links for invitations and password resets."""
import hashlib
import secrets
from datetime import timedelta

from ..db import utcnow
from ..people.models import Person
from .models import AccountToken

LIFETIMES = {
    AccountToken.INVITATION: timedelta(days=7),
    AccountToken.PASSWORD_RESET: timedelta(hours=1),
}


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(person: Person, purpose: str) -> str:
    """A new raw token; earlier unused tokens of the same purpose stop working.

    Call inside the transaction of the change that needs it.
    """
    return issue_row(person, purpose)[0]


def issue_row(person: Person, purpose: str) -> tuple[str, AccountToken]:
    """`issue`, also returning the stored row (what a one-time form token points at)."""
    now = utcnow()
    (AccountToken.update(used_at=now)
     .where(AccountToken.person == person, AccountToken.purpose == purpose,
            AccountToken.used_at.is_null())
     .execute())
    raw = secrets.token_urlsafe(32)
    row = AccountToken.create(person=person, purpose=purpose, token_hash=_digest(raw),
                              expires_at=now + LIFETIMES[purpose])
    return raw, row


def revoke(person: Person) -> None:
    """Every unused link of the person stops working (their address changed)."""
    (AccountToken.update(used_at=utcnow())
     .where(AccountToken.person == person, AccountToken.used_at.is_null()).execute())


def find_valid(raw: str, purpose: str) -> AccountToken | None:
    return (AccountToken.select(AccountToken, Person).join(Person)
            .where(AccountToken.token_hash == _digest(raw), AccountToken.purpose == purpose,
                   AccountToken.used_at.is_null(), AccountToken.expires_at > utcnow())
            .first())


def redeem(token: AccountToken) -> bool:
    """Mark used; False when another request used it first (so it is used exactly once)."""
    return bool(AccountToken.update(used_at=utcnow())
                .where(AccountToken.id == token.id, AccountToken.used_at.is_null())
                .execute())
