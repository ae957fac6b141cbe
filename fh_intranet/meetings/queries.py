"""Reading meetings, action items and decisions with what the current person may see."""
from peewee import JOIN

from ..db import utcnow
from ..people.models import Person
from ..permissions import can
from .models import PUBLISHED, ActionItem, Body, Decision, Meeting


def visible_minutes(query, meeting=Meeting):
    """Restrict a query over meetings to those whose minutes the current person may read."""
    if can("minutes.read_drafts"):
        return query
    return query.where(meeting.state == PUBLISHED)


def meeting_list(body=None):
    query = Meeting.select(Meeting, Body).join(Body)
    if body is not None:
        query = query.where(Meeting.body == body)
    now = utcnow()
    upcoming = list(query.where(Meeting.ends_at >= now).order_by(Meeting.starts_at))
    past = list(query.where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc()))
    return upcoming, past


def actions_query():
    done_by = Person.alias()
    query = (ActionItem.select(ActionItem, Meeting, Body, Person, done_by)
             .join(Meeting).join(Body).switch(ActionItem)
             .join(Person, on=(ActionItem.person == Person.id), attr="person")
             .switch(ActionItem).join(done_by, JOIN.LEFT_OUTER, on=(ActionItem.done_by == done_by.id), attr="done_by"))
    return visible_minutes(query)


def open_actions(*conditions):
    query = actions_query().where(ActionItem.done_at.is_null(), *conditions)
    return list(query.order_by(ActionItem.due_on.is_null(), ActionItem.due_on, ActionItem.id))


def decisions_query():
    return (Decision.select(Decision, Meeting, Body).join(Meeting).join(Body)
            .where(Meeting.state == PUBLISHED, Decision.number.is_null(False)))
