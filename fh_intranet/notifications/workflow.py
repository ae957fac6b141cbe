"""The one writer of notifications: `notify(...)`, called by the areas' workflows inside their
write transactions, and the person's own changes (read marks, preferences, unsubscribing).

Recipients follow the permission rules: never the person who acted, never someone inactive or not
yet set up, never someone whom the rule `may_read` refuses the object (partners see only what they
may read).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from peewee import fn

from .. import audit
from ..changes import Refused, locked, reason
from ..db import Prepared, database, serialize, utcnow, write_transaction
from ..people.models import Person
from ..permissions import can
from . import mails, preferences
from .kinds import KINDS, with_details
from .models import CHANNELS, DIGEST, IMMEDIATE, Notification, NotificationPreference, StartPageVisit, kept_previous

UNKNOWN_CHOICE = reason("notifications.unknown_choice", _l("Diese Auswahl gibt es nicht."))


def notify(kind: str, *, object_type: str, object_id: int, title: str, people, actor=None,
           may_read: tuple[str, object] | None = None, previous: dict | None = None) -> list[Notification]:
    """Tell `people` (Person rows or ids) about an event of `kind`; returns the notifications made.

    `may_read` is (permission rule, object): only people the rule allows are told. `previous`:
    what the change replaced, as plain values (see `kinds.details`).
    """
    if kind not in KINDS:
        raise KeyError(f"unknown notification kind {kind!r}")
    if not database.in_transaction():
        raise RuntimeError("notify belongs inside the change's write_transaction()")
    made = []
    for person in recipients(people, actor=actor, may_read=may_read):
        if not KINDS[kind].concerns(person):  # what the settings do not offer them, nobody is sent
            continue
        channel = preferences.channel_for(person, kind)
        note = Notification.create(person=person, kind=kind, object_type=object_type, object_id=object_id,
                                   text=title[:300], digest_pending=channel == DIGEST,
                                   previous=kept_previous(previous))
        if channel == IMMEDIATE and kind != "meeting.calendar":
            mails.queue_notification_mail(person, [note])
        made.append(note)
    return made


def recipients(people, *, actor=None, may_read: tuple[str, object] | None = None) -> list[Person]:
    """Who of `people` is told: active with a login, not the one who acted, and allowed to read the
    object. (Also what a confirmation page shows as "wird benachrichtigt".)"""
    ids = {getattr(p, "id", p) for p in people} - {getattr(actor, "id", actor)}
    if not ids:
        return []
    query = (Person.select().where(Person.id.in_(ids), Person.active, Person.password_hash.is_null(False))
             .order_by(Person.id))
    return [person for person in query if may_read is None or can(may_read[0], may_read[1], person=person)]


# Start-page views closer together than this are one visit: a reload does not move the boundary.
VISIT_GAP = timedelta(minutes=30)
# How stale the recorded last view may be: a visit ends between 25 and 30 minutes after it.
REFRESH = timedelta(minutes=5)


_VISIT = Prepared(lambda person_id: StartPageVisit.select().where(StartPageVisit.person == person_id).limit(1))


def start_page_viewed(person) -> datetime | None:
    """Record a view of the start page; returns the "since your last visit" boundary to show.

    The boundary is the time of the person's previous visit: it moves on when they come back to
    the start page more than VISIT_GAP after they last looked at it (None: never looked). A view
    within REFRESH of the recorded one changes nothing, so reloading the start page writes nothing."""
    now = utcnow()
    recent = _VISIT.first(person.id)
    if recent is not None and now - recent.last_view_at < REFRESH:
        return recent.seen_until
    with write_transaction():
        serialize(f"start-page-visit:{person.id}")  # two tabs at once make one row
        visit = locked(StartPageVisit.select().where(StartPageVisit.person == person.id)).first()
        if visit is None:
            StartPageVisit.create(person=person.id, seen_until=None, last_view_at=now)
            return None
        boundary = visit.last_view_at if now - visit.last_view_at > VISIT_GAP else visit.seen_until
        (StartPageVisit.update(seen_until=boundary, last_view_at=now)
         .where(StartPageVisit.id == visit.id).execute())
        return boundary


# Asked on every page (the header's count) and by every poll: its SQL is built once (db.Prepared).
_UNREAD = Prepared(lambda person_id: Notification.select(fn.COUNT(Notification.id).alias("unread")).where(
    Notification.person == person_id, Notification.read_at.is_null()).limit(1))


def unread_count(person) -> int:
    return _UNREAD.first(person.id).unread


_NEWEST_UNREAD = Prepared(lambda person_id, limit: with_details(Notification.select().where(
    Notification.person == person_id, Notification.read_at.is_null())).order_by(Notification.created_at.desc()).limit(limit))


def newest_unread(person, limit: int) -> list[Notification]:
    """The start page's few unread notifications, newest first, read `with_details` (its SQL built
    once: db.Prepared)."""
    return _NEWEST_UNREAD.rows(person.id, limit)


def mark_read(person, notification_id: int) -> bool:
    """Mark one of the person's notifications read; False when it is not theirs."""
    with write_transaction():
        updated = (Notification.update(read_at=utcnow())
                   .where(Notification.id == notification_id, Notification.person == person.id,
                          Notification.read_at.is_null()).execute())
        exists = Notification.select().where(Notification.id == notification_id,
                                             Notification.person == person.id).exists()
    return bool(updated) or exists


def mark_all_read(person, up_to: int | None = None) -> int:
    """Mark the person's unread notifications read, those up to id `up_to` (the newest the page
    showed when the button was pressed) when given: one that arrived since stays unread."""
    condition = (Notification.person == person.id) & Notification.read_at.is_null()
    if up_to is not None:
        condition &= Notification.id <= up_to
    with write_transaction():
        return Notification.update(read_at=utcnow()).where(condition).execute()


def newest_id(person) -> int | None:
    return Notification.select(fn.MAX(Notification.id)).where(Notification.person == person.id).scalar()


def save_preferences(person, choices: dict[str, str]) -> dict[str, list[str]]:
    """Store the person's channel per kind; returns {kind: [old, new]} for what changed."""
    if any(kind not in KINDS or channel not in CHANNELS for kind, channel in choices.items()):
        raise Refused(UNKNOWN_CHOICE)
    with write_transaction():
        before = preferences.channels_of(person)
        changed = {kind: [before[kind], channel] for kind, channel in choices.items() if before[kind] != channel}
        for kind, (_old, channel) in changed.items():
            _set_channel(person.id, kind, channel)
        if changed:
            audit.record("notifications.preferences_changed", person, actor=person, changes=changed)
    return changed


def _set_channel(person_id: int, kind: str, channel: str) -> None:
    updated = (NotificationPreference.update(channel=channel)
               .where(NotificationPreference.person == person_id, NotificationPreference.kind == kind).execute())
    if not updated:
        NotificationPreference.create(person=person_id, kind=kind, channel=channel)


def unsubscribe(person_id: int, kinds: list[str]) -> Person | None:
    """Turn these kinds off for the person (the one-click link); None when the person is gone."""
    with write_transaction():
        person = Person.get_or_none(Person.id == person_id)
        if person is None:
            return None
        for kind in kinds:
            _set_channel(person.id, kind, "off")
        audit.record("notifications.unsubscribed", person, actor=None, kinds=kinds)
    return person
