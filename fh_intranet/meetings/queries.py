"""Reading meetings, action items and decisions with what the current person may see."""
from peewee import JOIN

from ..db import utcnow
from ..paging import paginate
from ..people.models import Person
from ..permissions import can
from .models import PUBLISHED, ActionItem, AgendaItem, Attendance, Body, Decision, Meeting, MinutesRevision


def visible_minutes(query, meeting=Meeting):
    """Restrict a query over meetings to those whose minutes the current person may read."""
    if can("minutes.read_drafts"):
        return query
    return query.where(meeting.state == PUBLISHED)


def meeting_list(body=None):
    """Upcoming meetings (a list: few) and the past ones, latest first, a page at a time."""
    query = Meeting.select(Meeting, Body).join(Body)
    if body is not None:
        query = query.where(Meeting.body == body)
    now = utcnow()
    upcoming = list(query.where(Meeting.ends_at >= now).order_by(Meeting.starts_at))
    past = paginate(query.where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc(), Meeting.id.desc()))
    return upcoming, past


def actions_query():
    done_by = Person.alias()
    query = (ActionItem.select(ActionItem, Meeting, Body, Person, done_by)
             .join(Meeting).join(Body).switch(ActionItem)
             .join(Person, on=(ActionItem.person == Person.id), attr="person")
             .switch(ActionItem).join(done_by, JOIN.LEFT_OUTER, on=(ActionItem.done_by == done_by.id), attr="done_by"))
    return visible_minutes(query)


def action_people() -> list[Person]:
    """The people the action-item filter offers: those with items in minutes the current person
    may read. A name that appears only in draft minutes must not reach a partner through a filter."""
    assigned = visible_minutes(ActionItem.select(ActionItem.person).join(Meeting))
    return list(Person.select().where(Person.id.in_(assigned)).order_by(Person.name))


def minutes_revisions(meeting) -> list:
    """The published states of the minutes with their authors, oldest first: 1 is the publishing,
    every further one a correction with its reason."""
    return list(MinutesRevision.select(MinutesRevision, Person).join(Person)
                .where(MinutesRevision.meeting == meeting).order_by(MinutesRevision.number))


def open_actions(*conditions, limit: int | None = None):
    query = actions_query().where(ActionItem.done_at.is_null(), *conditions)
    return list(query.order_by(ActionItem.due_on.is_null(), ActionItem.due_on, ActionItem.id).limit(limit))


def count_open_actions(*conditions) -> int:
    return actions_query().where(ActionItem.done_at.is_null(), *conditions).count()


def decisions_query():
    return (Decision.select(Decision, Meeting, Body).join(Meeting).join(Body)
            .where(Meeting.state == PUBLISHED, Decision.number.is_null(False)))


def publication_gaps(meeting) -> dict:
    """What a coordinator should see before publishing: is the meeting over, is anything recorded."""
    return {
        "in_future": meeting.starts_at > utcnow(),
        "no_items": not AgendaItem.select().where(AgendaItem.meeting == meeting).exists(),
        "no_attendance": not Attendance.select().where(Attendance.meeting == meeting).exists(),
    }
