"""Every change to bodies, meetings and minutes.

Each function is one write transaction with its audit record inside. Rules that read before they
write (minutes still a draft, versions not moved on, numbers taken as MAX + 1) read under lock:
`ensure_editable` locks the meeting row, so publishing and any change to the draft minutes
happen one after the other, never interleaved.

Functions that views call with a form's `version` compare it with the stored one and raise
`EditConflict`; scripts (the demo data) leave it at UNCHECKED.
"""
import hashlib
import secrets
from datetime import date

import peewee
from flask_babel import lazy_gettext as _l

from .. import audit, dates, markdown
from ..changes import EditConflict, Refused, create_once, locked, parse_version, reason, update_versioned
from ..db import serialize, utcnow, write_transaction
from ..notifications import audiences
from ..notifications.workflow import notify, recipients
from ..people.models import Person
from ..timezones import utc_to_berlin
from .models import (
    CANCELLED,
    NOTES_HEADING_OFFSET,
    PUBLISHED,
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    CalendarFeed,
    Decision,
    Guest,
    Meeting,
    MinutesComment,
    MinutesRevision,
)

# A change made by a script rather than through a form: there is no loaded version to compare.
UNCHECKED = object()
MOVED_BY = ("starts_at", "ends_at", "place")  # a change of these is news to the members

MINUTES_PUBLISHED = reason("minutes.published", _l(
    "Das Protokoll ist veröffentlicht und kann nur noch über eine Korrektur geändert werden."))
ALREADY_PUBLISHED = reason("minutes.already_published", _l("Das Protokoll ist bereits veröffentlicht."))
MEETING_CANCELLED = reason("meetings.cancelled", _l("Die Sitzung ist abgesagt."))
CANNOT_CANCEL = reason("meetings.cannot_cancel", _l(
    "Absagen lässt sich nur eine Sitzung, die noch nicht stattgefunden hat und deren Protokoll nicht "
    "veröffentlicht ist."))
NOT_PUBLISHED = reason("minutes.not_published", _l(
    "Nur veröffentlichte Protokolle werden korrigiert; Entwürfe werden direkt bearbeitet."))
NO_CORRECTION_REASON = reason("minutes.correction_reason_missing", _l(
    "Bitte geben Sie einen Grund für die Korrektur an."))
AGENDA_ITEM_GONE = reason("meetings.agenda_item_gone", _l(
    "Dieser Tagesordnungspunkt wurde inzwischen entfernt."))
DECISION_GONE = reason("meetings.decision_gone", _l("Dieser Beschluss wurde inzwischen entfernt."))
ACTION_GONE = reason("meetings.action_item_gone", _l("Diese Aufgabe wurde inzwischen entfernt."))
ACTION_CHANGED = reason("meetings.action_item_changed", _l(
    "Jemand anderes hat diese Aufgabe inzwischen geändert; sie ist jetzt %(state)s. Ihr Klick wurde "
    "nicht übernommen. Prüfen Sie den Stand und entscheiden Sie erneut."))
BODY_NAME_TAKEN = reason("bodies.name_taken", _l("Ein Gremium mit diesem Namen gibt es schon."))

DONE, OPEN = _l("erledigt"), _l("offen")


# --- shared pieces ------------------------------------------------------------------------------

def ensure_editable(meeting) -> Meeting:
    """Inside a write transaction: the meeting, locked, as long as its minutes are a draft.

    Publishing takes the same row lock, so a change to the draft either lands before publishing
    (and is published with it) or is refused after it; corrections have their own way.
    """
    current = locked(Meeting.select().where(Meeting.id == _id(meeting))).get()
    closed = why_closed(current)
    if closed is not None:
        raise Refused(closed)
    return current


def why_closed(meeting: Meeting):
    """Why the meeting's draft can no longer be changed, or None while it can (the reason a page
    refused by this state gives too, permissions.STATE_REASON)."""
    return {PUBLISHED: MINUTES_PUBLISHED, CANCELLED: MEETING_CANCELLED}.get(meeting.state)


def _id(obj) -> int:
    return getattr(obj, "id", obj)


def _current(model, obj, gone):
    """The stored row, locked; refused with `gone` if someone removed it meanwhile."""
    row = locked(model.select().where(model.id == _id(obj))).get_or_none()
    if row is None:
        raise Refused(gone)
    return row


def _update(current, expected_version, changes: dict, saved=None) -> dict:
    """update_versioned on a row read under lock; `saved(row)` lists what to show on a conflict
    where the form's fields alone would not tell the whole stored state."""
    if expected_version is UNCHECKED:
        expected_version = current.version
    try:
        return update_versioned(current, expected_version, changes)
    except EditConflict as conflict:
        if saved is None:
            raise
        raise EditConflict(conflict.current, saved=saved(conflict.current)) from None


# --- bodies -----------------------------------------------------------------------------------

def create_body(name: str, kind: str, description: str, *, token=None, actor=None) -> Body:
    def create():
        if Body.select().where(Body.name == name).exists():
            raise Refused(BODY_NAME_TAKEN)
        body = Body.create(name=name, kind=kind, description=description)
        audit.record("body.created", body, actor=actor, name=name)
        return body

    try:
        return create_once(token, Body, create)
    except peewee.IntegrityError:  # the same name, created by someone else at the same moment
        raise Refused(BODY_NAME_TAKEN) from None


def update_body(body: Body, expected_version, *, name: str, kind: str, description: str, actor=None) -> Body:
    try:
        with write_transaction():
            current = locked(Body.select().where(Body.id == body.id)).get()
            if Body.select().where(Body.name == name, Body.id != body.id).exists():
                raise Refused(BODY_NAME_TAKEN)
            changed = _update(current, expected_version, {"name": name, "kind": kind, "description": description})
            if changed:
                audit.record("body.updated", current, actor=actor, changes=changed)
    except peewee.IntegrityError:  # renamed to the same name by someone else at the same moment
        raise Refused(BODY_NAME_TAKEN) from None
    return current


def set_archived(body: Body, archived: bool, actor=None) -> Body:
    """Archive or restore: the button says which, so a double click does not undo itself."""
    with write_transaction():
        current = locked(Body.select().where(Body.id == body.id)).get()
        if current.archived != archived:
            _update(current, current.version, {"archived": archived})
            audit.record("body.archived" if archived else "body.restored", current, actor=actor)
    return current


def _membership(body: Body) -> list[tuple]:
    names = [p.name for p in Person.select().join(BodyMember).where(BodyMember.body == body).order_by(Person.name)]
    chair = Person.get_or_none(Person.id == body.chair_id) if body.chair_id else None
    return [(_l("Mitglieder"), ", ".join(names)), (_l("Vorsitz"), chair.name if chair else "")]


def set_members(body: Body, person_ids: set[int], chair_id: int | None, *, expected_version=UNCHECKED,
                actor=None) -> None:
    """Members and chair as the form lists them; the body's version guards both."""
    with write_transaction():
        current = locked(Body.select().where(Body.id == body.id)).get()
        if expected_version is not UNCHECKED and current.version != parse_version(expected_version):
            raise EditConflict(current, saved=_membership(current))
        members = {m.person_id for m in BodyMember.select().where(BodyMember.body == current)}
        # The form lists active people only: memberships of deactivated people stay as they are.
        active = Person.select(Person.id).where(Person.active)
        (BodyMember.delete().where(BodyMember.body == current, BodyMember.person.in_(active),
                                   BodyMember.person.not_in(person_ids or {0})).execute())
        for person_id in sorted(person_ids - members):
            BodyMember.create(body=current, person=person_id)
        if chair_id is not None and chair_id not in person_ids:
            chair_id = None
        Body.update(chair=chair_id, version=Body.version + 1).where(Body.id == current.id).execute()
        body.chair_id, body.version = chair_id, current.version + 1
        audit.record("body.members_changed", current, actor=actor, added=sorted(person_ids - members),
                     removed=sorted(members - person_ids), chair=chair_id)
        notify("body.invited", object_type="Body", object_id=current.id, title=current.name,
               people=person_ids - members, actor=actor, may_read=("bodies.view", current))


# --- meetings ---------------------------------------------------------------------------------

def create_meeting(body: Body, *, token=None, actor=None, **fields) -> Meeting:
    """A meeting whose attendance list starts from the body's active members."""
    def create():
        meeting = Meeting.create(body=body, **fields)
        members = [m.person_id for m in BodyMember.select().join(Person)
                   .where(BodyMember.body == body, Person.active)]
        for person_id in members:
            Attendance.create(meeting=meeting, person=person_id)
        audit.record("meeting.created", meeting, actor=actor, title=meeting.title, body=body.id)
        if _ahead(meeting):  # one entered afterwards, for its minutes, is no news to anyone's calendar
            _tell_members("meeting.scheduled", meeting, actor)
        return meeting

    return create_once(token, Meeting, create)


def update_meeting(meeting: Meeting, expected_version, values: dict, actor=None) -> Meeting:
    with write_transaction():
        current = ensure_editable(meeting)
        was_ahead = _ahead(current)
        changed = _update(current, expected_version, values)
        if changed:
            audit.record("meeting.updated", current, actor=actor, changes=changed)
        moved = {name: old for name, (old, _new) in changed.items() if name in MOVED_BY}
        if moved and (was_ahead or _ahead(current)):
            if moved.keys() & {"starts_at", "ends_at"}:  # the former time is told whole, as its span
                moved.setdefault("starts_at", current.starts_at)  # the end that did not move is as now
                moved.setdefault("ends_at", current.ends_at)
            _tell_members("meeting.moved", current, actor, previous=moved)
        elif "title" in changed and _ahead(current):
            # Renamed only: no news for the list, but calendars that hold the invitation update its name.
            from ..notifications import invitations

            invitations.send_invitations(current, audiences.body_members(current.body_id), actor=actor)
    return current


def _ahead(meeting: Meeting) -> bool:
    """Still to come: what members and their calendars are told of."""
    return meeting.ends_at > utcnow()


def cancel_meeting(meeting: Meeting, actor) -> Meeting:
    """Call a meeting off: it stays in the lists as "abgesagt", members are told, and calendar
    programs that got an invitation remove it (METHOD:CANCEL with the same UID)."""
    with write_transaction():
        current = ensure_editable(meeting)
        if current.ends_at < utcnow():
            raise Refused(CANNOT_CANCEL)
        Meeting.update(state=CANCELLED, version=Meeting.version + 1).where(Meeting.id == current.id).execute()
        current.state, current.version = CANCELLED, current.version + 1
        audit.record("meeting.cancelled", current, actor=actor, title=current.title)
        _tell_members("meeting.cancelled", current, actor, method="CANCEL")
    return current


def audience(kind: str, meeting: Meeting) -> tuple[list[int], tuple[str, Meeting]]:
    """Who hears of a meeting's event, and the rule each of them must pass to be told: the body's
    members, for minutes only those who may read them."""
    rule = "meeting.read_minutes" if kind.startswith("minutes.") else "meetings.view"
    return audiences.body_members(meeting.body_id), (rule, meeting)


def told(kind: str, meeting: Meeting, actor) -> list[Person]:
    """Whom `notify` will reach for this event, by name (for the second look before it happens).
    `meeting` as it will be then: who may read minutes depends on their being published."""
    people, may_read = audience(kind, meeting)
    return sorted(recipients(people, actor=actor, may_read=may_read), key=lambda person: person.name)


def _notify_members(kind: str, meeting: Meeting, actor, previous: dict | None = None) -> list[int]:
    people, may_read = audience(kind, meeting)
    notify(kind, object_type="Meeting", object_id=meeting.id, title=meeting.title, people=people, actor=actor,
           may_read=may_read, previous=previous)
    return people


def _tell_members(kind: str, meeting: Meeting, actor, method: str = "REQUEST", previous: dict | None = None) -> None:
    """A meeting was set, moved or called off: its body's members hear of it (of a move with the
    former time or place, `previous`), and get the calendar invitation (.ics) if they asked for one."""
    from ..notifications import invitations

    people = _notify_members(kind, meeting, actor, previous)
    invitations.send_invitations(meeting, people, actor=actor, method=method, previous=previous)


def agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.select().where(AgendaItem.meeting == meeting).order_by(AgendaItem.position, AgendaItem.id))


def add_agenda_item(meeting: Meeting, title: str, *, token=None, actor=None) -> AgendaItem:
    def create():
        ensure_editable(meeting)  # the lock also keeps positions unique: MAX + 1 one at a time
        last = AgendaItem.select(peewee.fn.MAX(AgendaItem.position)).where(AgendaItem.meeting == meeting).scalar()
        item = AgendaItem.create(meeting=meeting, title=title, position=(last or 0) + 1)
        audit.record("agenda_item.added", item, actor=actor, meeting=_id(meeting), title=title)
        return item

    return create_once(token, AgendaItem, create)


def _notes_html(notes: str) -> str:
    return markdown.keep(notes, heading_offset=NOTES_HEADING_OFFSET)


def update_agenda_item(item: AgendaItem, expected_version, *, title: str, notes: str, actor=None) -> AgendaItem:
    with write_transaction():
        ensure_editable(item.meeting_id)
        current = _current(AgendaItem, item, AGENDA_ITEM_GONE)
        changed = _update(current, expected_version, {"title": title, "notes": notes, "notes_html": _notes_html(notes)})
        if changed:
            audit.record("agenda_item.updated", current, actor=actor,
                         changes=sorted(name for name in changed if name != "notes_html"))
    return current


def move_agenda_item(item: AgendaItem, step: int, actor=None) -> None:
    """Move up (-1) or down (+1); positions are renumbered 1..n, so TOP numbers follow."""
    with write_transaction():
        ensure_editable(item.meeting_id)
        items = agenda(item.meeting_id)
        index = next((i for i, other in enumerate(items) if other.id == item.id), None)
        if index is None:
            raise Refused(AGENDA_ITEM_GONE)
        target = index + step
        if not 0 <= target < len(items):
            return
        items[index], items[target] = items[target], items[index]
        _renumber(items)
        audit.record("agenda_item.moved", item, actor=actor, meeting=item.meeting_id, to=target + 1)


def _renumber(items) -> None:
    for position, other in enumerate(items, start=1):
        if other.position != position:
            AgendaItem.update(position=position).where(AgendaItem.id == other.id).execute()


def delete_agenda_item(item: AgendaItem, actor=None) -> None:
    """Removing what is already gone (a double click) changes nothing."""
    with write_transaction():
        ensure_editable(item.meeting_id)
        current = locked(AgendaItem.select().where(AgendaItem.id == item.id)).get_or_none()
        if current is None:
            return
        current.delete_instance(recursive=True)  # with its decisions and action items
        _renumber(agenda(item.meeting_id))
        audit.record("agenda_item.deleted", item, actor=actor, meeting=item.meeting_id, title=item.title)


# --- decisions and action items -------------------------------------------------------------------

def add_decision(item: AgendaItem, text: str, *, token=None, actor=None) -> Decision:
    def create():
        ensure_editable(item.meeting_id)
        _current(AgendaItem, item, AGENDA_ITEM_GONE)
        decision = Decision.create(meeting=item.meeting_id, agenda_item=item, text=text)
        audit.record("decision.added", decision, actor=actor, meeting=item.meeting_id)
        return decision

    return create_once(token, Decision, create)


def update_decision(decision: Decision, expected_version, text: str, actor=None) -> Decision:
    with write_transaction():
        ensure_editable(decision.meeting_id)
        current = _current(Decision, decision, DECISION_GONE)
        changed = _update(current, expected_version, {"text": text})
        if changed:
            audit.record("decision.updated", current, actor=actor, meeting=current.meeting_id)
    return current


def delete_decision(decision: Decision, actor=None) -> None:
    with write_transaction():
        ensure_editable(decision.meeting_id)
        if Decision.delete().where(Decision.id == decision.id).execute():
            audit.record("decision.deleted", decision, actor=actor, meeting=decision.meeting_id)


def add_action(item: AgendaItem, what: str, person: Person, due_on: date | None, *, token=None,
               actor=None) -> ActionItem:
    def create():
        ensure_editable(item.meeting_id)
        _current(AgendaItem, item, AGENDA_ITEM_GONE)
        action = ActionItem.create(meeting=item.meeting_id, agenda_item=item, what=what, person=person, due_on=due_on)
        audit.record("action_item.added", action, actor=actor, meeting=item.meeting_id, person=_id(person))
        _tell_assignee(action, actor)
        return action

    return create_once(token, ActionItem, create)


def action_state(action: ActionItem):
    return DONE if action.done_at else OPEN


def _action_saved(action: ActionItem) -> list[tuple]:
    """An action item as stored, the tick included (the edit form has no field for it)."""
    person = Person.get_or_none(Person.id == action.person_id)
    return [(_l("Aufgabe"), action.what), (_l("Wer"), person.name if person else ""),
            (_l("Bis"), dates.day(action.due_on) if action.due_on else ""), (_l("Stand"), action_state(action))]


def update_action(action: ActionItem, expected_version, *, what: str, person_id: int, due_on: date | None,
                  actor=None) -> ActionItem:
    """Only the fields of the form: a tick made meanwhile is never written back."""
    with write_transaction():
        ensure_editable(action.meeting_id)
        current = _current(ActionItem, action, ACTION_GONE)
        changed = _update(current, expected_version, {"what": what, "person_id": person_id, "due_on": due_on},
                          saved=_action_saved)
        if changed:
            audit.record("action_item.updated", current, actor=actor, meeting=current.meeting_id, changes=changed)
        if "person_id" in changed:
            _tell_assignee(current, actor)
    return current


def _tell_assignee(action: ActionItem, actor, meeting: Meeting | None = None) -> None:
    """The person an action item is for, if they may read the minutes it stands in (partners learn
    of theirs once the minutes are published, see `publish`)."""
    meeting = meeting or Meeting.get_by_id(action.meeting_id)
    notify("action.assigned", object_type="ActionItem", object_id=action.id, title=action.what[:300],
           people=[action.person_id], actor=actor, may_read=("meeting.read_minutes", meeting))


def _tell_untold_assignees(meeting: Meeting, actor) -> None:
    from ..notifications.models import Notification

    for action in ActionItem.select().where(ActionItem.meeting == meeting.id, ActionItem.done_at.is_null()):
        told = Notification.select().where(Notification.kind == "action.assigned", Notification.object_id == action.id,
                                           Notification.object_type == "ActionItem",
                                           Notification.person == action.person_id).exists()
        if not told:
            _tell_assignee(action, actor, meeting)


def delete_action(action: ActionItem, actor=None) -> None:
    with write_transaction():
        ensure_editable(action.meeting_id)
        if ActionItem.delete().where(ActionItem.id == action.id).execute():
            audit.record("action_item.deleted", action, actor=actor, meeting=action.meeting_id)


def set_done(action: ActionItem, done: bool, actor: Person, *, expected_version=UNCHECKED) -> ActionItem:
    """Tick or reopen. Allowed after publishing too: it is progress, not the minutes' content.

    A tick shown before someone else changed the item (ticked, reopened, edited) is refused,
    so two people never undo each other's click without seeing it.
    """
    with write_transaction():
        current = _current(ActionItem, action, ACTION_GONE)
        if done and current.done_by_id == _id(actor):
            return current  # ticked by this person already: their double click, not someone else's change
        if expected_version is not UNCHECKED and current.version != parse_version(expected_version):
            raise Refused(ACTION_CHANGED, state=action_state(current))
        _update(current, current.version, {"done_at": utcnow() if done else None,
                                           "done_by_id": _id(actor) if done else None})
        audit.record("action_item.done" if done else "action_item.reopened", current, actor=actor,
                     meeting=current.meeting_id)
    return current


# --- attendance, guests, comments -----------------------------------------------------------------

def attendance_saved(meeting: Meeting) -> list[tuple]:
    rows = (Attendance.select(Attendance, Person).join(Person)
            .where(Attendance.meeting == meeting).order_by(Person.name))
    return [(row.person.name, row.status_label) for row in rows]


def set_attendance(meeting: Meeting, statuses: dict[int, str | None], *, expected_version=UNCHECKED,
                   actor=None) -> None:
    """The whole list at once; a list loaded before someone else saved it is refused."""
    with write_transaction():
        current = ensure_editable(meeting)
        if expected_version is not UNCHECKED and current.attendance_version != parse_version(expected_version):
            raise EditConflict(current, saved=attendance_saved(current), version=current.attendance_version)
        changed = {}
        for row in Attendance.select().where(Attendance.meeting == current):
            if row.person_id in statuses and statuses[row.person_id] != row.status:
                Attendance.update(status=statuses[row.person_id]).where(Attendance.id == row.id).execute()
                changed[row.person_id] = [row.status, statuses[row.person_id]]
        Meeting.update(attendance_version=Meeting.attendance_version + 1).where(Meeting.id == current.id).execute()
        audit.record("meeting.attendance_recorded", current, actor=actor, changes=changed)


def add_guest(meeting: Meeting, name: str, organisation: str, *, token=None, actor=None) -> Guest:
    def create():
        ensure_editable(meeting)
        guest = Guest.create(meeting=meeting, name=name, organisation=organisation)
        audit.record("meeting.guest_added", meeting, actor=actor, guest=guest.id)
        return guest

    return create_once(token, Guest, create)


def add_minutes_comment(meeting: Meeting, body: str, author: Person, *, token=None) -> MinutesComment:
    def create():
        ensure_editable(meeting)
        comment = MinutesComment.create(meeting=meeting, body=body, body_html=markdown.keep(body), author=author)
        audit.record("minutes.commented", meeting, actor=author, comment=comment.id)
        notify("minutes.commented", object_type="Meeting", object_id=meeting.id, title=meeting.title,
               people=audiences.coordinators(), actor=author, may_read=("meeting.read_minutes", meeting))
        return comment

    return create_once(token, MinutesComment, create)


# --- publishing and corrections -----------------------------------------------------------------

def snapshot(meeting: Meeting) -> str:
    """The minutes as plain text: what a correction is compared against."""
    decisions = {}
    for decision in Decision.select().where(Decision.meeting == meeting).order_by(Decision.id):
        decisions.setdefault(decision.agenda_item_id, []).append(decision)
    lines = []
    for number, item in enumerate(agenda(meeting), start=1):
        lines.append(f"TOP {number}: {item.title}")
        if item.notes.strip():
            lines.append(item.notes.strip())
        for decision in decisions.get(item.id, []):
            lines.append(f"Beschluss {decision.label or ''}: {decision.text}".replace("  ", " "))
        lines.append("")
    return "\n".join(lines).strip() + "\n"


def publish(meeting: Meeting, actor: Person) -> None:
    with write_transaction():
        current = locked(Meeting.select().where(Meeting.id == meeting.id)).get()
        if current.state == PUBLISHED:
            raise Refused(ALREADY_PUBLISHED)
        if (closed := why_closed(current)) is not None:  # called off meanwhile: no minutes to publish
            raise Refused(closed)
        serialize("decision-numbers")  # numbers are taken per year as MAX + 1, across meetings
        Meeting.update(state=PUBLISHED, published_at=utcnow(), version=Meeting.version + 1).where(
            Meeting.id == current.id).execute()
        _number_decisions(current)
        MinutesRevision.create(meeting=current, number=1, reason="", snapshot=snapshot(current), author=actor)
        current.state = PUBLISHED
        _notify_members("minutes.published", current, actor)
        _tell_untold_assignees(current, actor)
        audit.record("minutes.published", current, actor=actor)
    meeting.state = PUBLISHED


def _number_decisions(meeting: Meeting) -> None:
    """Decisions are numbered per year of the meeting ("2026/07"), in agenda order, when published."""
    year = utc_to_berlin(meeting.starts_at).year
    decisions = (Decision.select().join(AgendaItem).where(Decision.meeting == meeting, Decision.number.is_null())
                 .order_by(AgendaItem.position, Decision.id))
    last = Decision.select(peewee.fn.MAX(Decision.number)).where(Decision.year == year).scalar() or 0
    for offset, decision in enumerate(decisions, start=1):
        Decision.update(year=year, number=last + offset).where(Decision.id == decision.id).execute()


def latest_revision(meeting: Meeting) -> MinutesRevision | None:
    return (MinutesRevision.select().where(MinutesRevision.meeting == meeting)
            .order_by(MinutesRevision.number.desc()).first())


def _published_texts(meeting: Meeting, revision: MinutesRevision) -> list[tuple]:
    """What the latest revision says, as the correction form shows it."""
    saved = [(_l("Fassung %(number)d, Grund der Korrektur", number=revision.number), revision.reason)]
    decisions = {}
    for decision in Decision.select().where(Decision.meeting == meeting).order_by(Decision.number, Decision.id):
        decisions.setdefault(decision.agenda_item_id, []).append(decision)
    for number, item in enumerate(agenda(meeting), start=1):
        saved.append((_l("TOP %(number)d: %(title)s – Notizen", number=number, title=item.title), item.notes))
        for decision in decisions.get(item.id, []):
            saved.append((_l("Beschluss %(label)s", label=decision.label or ""), decision.text))
    return saved


def correct(meeting: Meeting, actor: Person, reason: str, notes: dict[int, str], decision_texts: dict[int, str],
            *, based_on=UNCHECKED) -> MinutesRevision:
    """A visible correction of published minutes: new texts, a reason and a new revision.

    `based_on` is the revision number the corrector saw. A correction of an older revision would
    silently revert the newer one, so it is refused with the newer texts to compare.
    """
    if not reason.strip():
        raise Refused(NO_CORRECTION_REASON)
    with write_transaction():
        # The meeting's lock serialises corrections: revision numbers are MAX + 1.
        current = locked(Meeting.select().where(Meeting.id == meeting.id)).get()
        if current.state != PUBLISHED:
            raise Refused(NOT_PUBLISHED)
        latest = latest_revision(current)
        if based_on is not UNCHECKED and latest.number != parse_version(based_on):
            raise EditConflict(latest, saved=_published_texts(current, latest), version=latest.number)
        for item in agenda(current):
            if item.id in notes and notes[item.id] != item.notes:
                AgendaItem.update(notes=notes[item.id], notes_html=_notes_html(notes[item.id]),
                                  version=AgendaItem.version + 1).where(
                    AgendaItem.id == item.id).execute()
        for decision in Decision.select().where(Decision.meeting == current):
            if decision.id in decision_texts and decision_texts[decision.id] != decision.text:
                Decision.update(text=decision_texts[decision.id], version=Decision.version + 1).where(
                    Decision.id == decision.id).execute()
        revision = MinutesRevision.create(meeting=current, number=latest.number + 1, reason=reason.strip(),
                                          snapshot=snapshot(current), author=actor)
        audit.record("minutes.corrected", current, actor=actor, revision=revision.number, reason=reason.strip())
        _notify_members("minutes.corrected", current, actor)
    return revision


# --- the personal calendar feed --------------------------------------------------------------

def feed_fingerprint(feed: CalendarFeed) -> str:
    """Names the address a "renew" button was shown with, without repeating the secret."""
    return hashlib.sha256(feed.token.encode()).hexdigest()[:16]


def calendar_feed(person: Person) -> CalendarFeed:
    """The person's feed, made on first use (two tabs at once make one)."""
    feed = CalendarFeed.get_or_none(CalendarFeed.person == person)
    if feed is not None:
        return feed
    with write_transaction():
        serialize(f"calendar-feed-{person.id}")
        feed = CalendarFeed.get_or_none(CalendarFeed.person == person)
        if feed is None:
            feed = CalendarFeed.create(person=person)
            audit.record("calendar_feed.created", feed, actor=person)
    return feed


def reset_feed(person: Person, shown: str | None = None) -> CalendarFeed:
    """A new secret address; the old one stops working.

    `shown` is the fingerprint of the address the button was shown with: a second click on the
    same button (a double click, a resent form) finds it already renewed and changes nothing.
    """
    with write_transaction():
        serialize(f"calendar-feed-{person.id}")
        feed = locked(CalendarFeed.select().where(CalendarFeed.person == person)).get_or_none()
        if feed is not None and shown and shown != feed_fingerprint(feed):
            return feed
        if feed is None:
            feed = CalendarFeed.create(person=person)
        else:
            feed.token, feed.created_at = secrets.token_urlsafe(32), utcnow()
            CalendarFeed.update(token=feed.token, created_at=feed.created_at).where(CalendarFeed.id == feed.id).execute()
        audit.record("calendar_feed.reset", feed, actor=person)
    return feed
