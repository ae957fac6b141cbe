"""How each person wants to hear of each kind of event, and the one-click link that turns a kind off."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from .kinds import KINDS
from .models import CHANNELS, NotificationPreference

UNSUBSCRIBE_SALT = "fh-intranet.unsubscribe"


def channels_of(person) -> dict[str, str]:
    """Every kind's channel for `person`: their choice, else the kind's default."""
    chosen = {row.kind: row.channel for row in
              NotificationPreference.select().where(NotificationPreference.person == person.id)}
    return {code: chosen.get(code, kind.default) for code, kind in KINDS.items()
            if chosen.get(code, kind.default) in CHANNELS}


def channel_for(person, kind: str) -> str:
    row = NotificationPreference.get_or_none(NotificationPreference.person == person.id,
                                             NotificationPreference.kind == kind)
    return row.channel if row is not None else KINDS[kind].default


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(person, kinds) -> str:
    """A link-safe token that lets whoever holds it turn off exactly these kinds for this person.

    It does not expire: a mail may be read weeks later. It only ever switches mails off."""
    return _serializer().dumps([person.id, sorted(set(kinds))])


def read_unsubscribe_token(token: str) -> tuple[int, list[str]] | None:
    try:
        person_id, kinds = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(person_id, int) or not isinstance(kinds, list) or not kinds:
        return None
    if not all(isinstance(kind, str) and kind in KINDS for kind in kinds):
        return None
    return person_id, kinds
