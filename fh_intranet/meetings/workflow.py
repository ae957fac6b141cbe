"""Changes to bodies, meetings and minutes; each one audited, drafts only where the rules say so."""
from datetime import date

import peewee

from .. import audit
from ..changes import Refused
from ..db import database, serialize, utcnow, write_transaction
from ..people.models import Person
from ..timezones import utc_to_berlin
from .models import (
    PUBLISHED,
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Decision,
    Guest,
    Meeting,
    MinutesComment,
    MinutesRevision,
    Notification,
)


def ensure_editable(meeting: Meeting) -> None:
    """Refuse any change to minutes that are published (corrections have their own way)."""
    if Meeting.get_by_id(meeting.id).state == PUBLISHED:
        raise Refused("published")


# --- bodies -----------------------------------------------------------------------------------

def set_members(body: Body, person_ids: set[int], chair_id: int | None) -> None:
    with database.atomic():
        current = {m.person_id for m in BodyMember.select().where(BodyMember.body == body)}
        # The form lists active people only: memberships of deactivated people stay as they are.
        active = Person.select(Person.id).where(Person.active)
        (BodyMember.delete().where(BodyMember.body == body, BodyMember.person.in_(active),
                                   BodyMember.person.not_in(person_ids or {0})).execute())
        for person_id in sorted(person_ids - current):
            BodyMember.create(body=body, person=person_id)
        if chair_id is not None and chair_id not in person_ids:
            chair_id = None
        Body.update(chair=chair_id).where(Body.id == body.id).execute()
        body.chair_id = chair_id
        audit.record("body.members_changed", body, added=sorted(person_ids - current),
                     removed=sorted(current - person_ids), chair=chair_id)


# --- meetings ---------------------------------------------------------------------------------

def create_meeting(body: Body, **fields) -> Meeting:
    with database.atomic():
        meeting = Meeting.create(body=body, **fields)
        members = [m.person_id for m in BodyMember.select().join(Person)
                   .where(BodyMember.body == body, Person.active)]
        for person_id in members:
            Attendance.create(meeting=meeting, person=person_id)
        audit.record("meeting.created", meeting, title=meeting.title, body=body.id)
    return meeting


def agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.select().where(AgendaItem.meeting == meeting).order_by(AgendaItem.position, AgendaItem.id))


def add_agenda_item(meeting: Meeting, title: str) -> AgendaItem:
    with database.atomic():
        ensure_editable(meeting)
        last = AgendaItem.select(peewee.fn.MAX(AgendaItem.position)).where(AgendaItem.meeting == meeting).scalar()
        item = AgendaItem.create(meeting=meeting, title=title, position=(last or 0) + 1)
        audit.record("agenda_item.added", item, meeting=meeting.id, title=title)
    return item


def move_agenda_item(item: AgendaItem, step: int) -> None:
    """Move up (-1) or down (+1); positions are renumbered 1..n, so TOP numbers follow."""
    with database.atomic():
        ensure_editable(item.meeting)
        items = agenda(item.meeting)
        index = next(i for i, other in enumerate(items) if other.id == item.id)
        target = index + step
        if not 0 <= target < len(items):
            return
        items[index], items[target] = items[target], items[index]
        for position, other in enumerate(items, start=1):
            if other.position != position:
                AgendaItem.update(position=position).where(AgendaItem.id == other.id).execute()
        audit.record("agenda_item.moved", item, meeting=item.meeting_id, to=target + 1)


def delete_agenda_item(item: AgendaItem) -> None:
    with database.atomic():
        ensure_editable(item.meeting)
        item.delete_instance(recursive=True)
        for position, other in enumerate(agenda(item.meeting), start=1):
            AgendaItem.update(position=position).where(AgendaItem.id == other.id).execute()
        audit.record("agenda_item.deleted", item, meeting=item.meeting_id, title=item.title)


def add_decision(item: AgendaItem, text: str) -> Decision:
    with database.atomic():
        ensure_editable(item.meeting)
        decision = Decision.create(meeting=item.meeting_id, agenda_item=item, text=text)
        audit.record("decision.added", decision, meeting=item.meeting_id)
    return decision


def delete_decision(decision: Decision) -> None:
    with database.atomic():
        ensure_editable(decision.meeting)
        decision.delete_instance()
        audit.record("decision.deleted", decision, meeting=decision.meeting_id)


def add_action(item: AgendaItem, what: str, person: Person, due_on: date | None) -> ActionItem:
    with database.atomic():
        ensure_editable(item.meeting)
        action = ActionItem.create(meeting=item.meeting_id, agenda_item=item, what=what, person=person, due_on=due_on)
        audit.record("action_item.added", action, meeting=item.meeting_id, person=person.id)
    return action


def delete_action(action: ActionItem) -> None:
    with database.atomic():
        ensure_editable(action.meeting)
        action.delete_instance()
        audit.record("action_item.deleted", action, meeting=action.meeting_id)


def set_done(action: ActionItem, done: bool, actor: Person) -> None:
    """Ticking is allowed after publishing too: it is progress, not the minutes' content."""
    with database.atomic():
        action.done_at = utcnow() if done else None
        action.done_by = actor if done else None
        action.save(only=[ActionItem.done_at, ActionItem.done_by])
        audit.record("action_item.done" if done else "action_item.reopened", action, meeting=action.meeting_id)


def set_attendance(meeting: Meeting, statuses: dict[int, str | None]) -> None:
    with database.atomic():
        ensure_editable(meeting)
        for row in Attendance.select().where(Attendance.meeting == meeting):
            if row.person_id in statuses and statuses[row.person_id] != row.status:
                row.status = statuses[row.person_id]
                row.save(only=[Attendance.status])
        audit.record("meeting.attendance_recorded", meeting)


def add_guest(meeting: Meeting, name: str, organisation: str) -> Guest:
    with database.atomic():
        ensure_editable(meeting)
        guest = Guest.create(meeting=meeting, name=name, organisation=organisation)
        audit.record("meeting.guest_added", meeting, guest=guest.id)
    return guest


def add_minutes_comment(meeting: Meeting, body: str, author: Person) -> MinutesComment:
    with database.atomic():
        ensure_editable(meeting)
        comment = MinutesComment.create(meeting=meeting, body=body, author=author)
        audit.record("minutes.commented", meeting, actor=author, comment=comment.id)
    return comment


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
        serialize("decision-numbers")  # numbers are taken as MAX + 1
        moved = (Meeting.update(state=PUBLISHED, published_at=utcnow(), version=Meeting.version + 1)
                 .where(Meeting.id == meeting.id, Meeting.state != PUBLISHED).execute())
        if not moved:
            raise Refused("published")
        _number_decisions(meeting)
        MinutesRevision.create(meeting=meeting, number=1, reason="", snapshot=snapshot(meeting), author=actor)
        members = BodyMember.select(BodyMember.person).join(Person).where(BodyMember.body == meeting.body_id, Person.active)
        for membership in members:
            Notification.create(person=membership.person_id, kind="minutes.published", object_type="Meeting",
                                object_id=meeting.id, text=meeting.title)
        audit.record("minutes.published", meeting, actor=actor)
    meeting.state = PUBLISHED


def _number_decisions(meeting: Meeting) -> None:
    """Decisions are numbered per year of the meeting ("2026/07"), in agenda order, when published."""
    year = utc_to_berlin(meeting.starts_at).year
    decisions = (Decision.select().join(AgendaItem).where(Decision.meeting == meeting, Decision.number.is_null())
                 .order_by(AgendaItem.position, Decision.id))
    last = Decision.select(peewee.fn.MAX(Decision.number)).where(Decision.year == year).scalar() or 0
    for offset, decision in enumerate(decisions, start=1):
        Decision.update(year=year, number=last + offset).where(Decision.id == decision.id).execute()


def correct(meeting: Meeting, actor: Person, reason: str, notes: dict[int, str], decision_texts: dict[int, str]) -> MinutesRevision:
    """A visible correction of published minutes: new texts, a reason and a new revision."""
    if not reason.strip():
        raise Refused("reason")
    with write_transaction():
        serialize(f"minutes-revisions-{meeting.id}")
        if Meeting.get_by_id(meeting.id).state != PUBLISHED:
            raise Refused("not_published")
        for item in agenda(meeting):
            if item.id in notes and notes[item.id] != item.notes:
                AgendaItem.update(notes=notes[item.id], version=AgendaItem.version + 1).where(AgendaItem.id == item.id).execute()
        for decision in Decision.select().where(Decision.meeting == meeting):
            if decision.id in decision_texts and decision_texts[decision.id] != decision.text:
                Decision.update(text=decision_texts[decision.id]).where(Decision.id == decision.id).execute()
        last = MinutesRevision.select(peewee.fn.MAX(MinutesRevision.number)).where(MinutesRevision.meeting == meeting).scalar()
        revision = MinutesRevision.create(meeting=meeting, number=last + 1, reason=reason.strip(),
                                          snapshot=snapshot(meeting), author=actor)
        audit.record("minutes.corrected", meeting, actor=actor, revision=revision.number, reason=reason.strip())
    return revision
