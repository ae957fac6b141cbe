"""A person's changes to their own login: the password and the devices logged in with it."""
from __future__ import annotations

from .. import audit
from ..auth import sessions
from ..auth.passwords import hash_password
from ..db import write_transaction
from ..people.models import Person


def change_password(person: Person, new_password: str, *, keep_session_id: int | None) -> int:
    """Set the new password and end every other session of the person; the number ended.

    This browser's session (`keep_session_id`) stays: the person just proved the old password.
    """
    password_hash = hash_password(new_password)  # slow on purpose: outside the write lock
    with write_transaction():
        Person.update(password_hash=password_hash).where(Person.id == person.id).execute()
        ended = sessions.end_all(person, except_id=keep_session_id)
        audit.record("password.changed", person, actor=person, sessions_ended=ended)
    person.password_hash = password_hash
    return ended


def end_session(person: Person, session_id: int) -> bool | None:
    """"abmelden" next to one device: True ended, False ended already, None not the person's."""
    return sessions.end(person, session_id, why="ended_by_owner")


def end_other_sessions(person: Person, keep_session_id: int | None) -> int:
    """"Alle anderen abmelden"."""
    return sessions.end_others(person, keep_session_id)
