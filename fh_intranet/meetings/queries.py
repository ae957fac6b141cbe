"""Reading meetings, action items and decisions with what the current person may see."""

from peewee import fn

from ..db import Prepared, utcnow
from ..paging import paginate
from ..people.models import Person, choice_labels, with_organisation_name
from ..permissions import can
from .models import PUBLISHED, ActionItem, AgendaItem, Attendance, Body, Decision, Meeting, MinutesComment, MinutesRevision


def visible_minutes(query, meeting=Meeting, with_drafts: bool | None = None):
    """Restrict a query over meetings to those whose minutes the current person may read, or, when
    `with_drafts` says whether drafts count, to those."""
    if can("minutes.read_drafts") if with_drafts is None else with_drafts:
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


def actions_query(with_drafts: bool | None = None):
    """Action items with what the lists show of their meeting, body and person. Only those columns:
    building four whole models per row, and the SQL naming all their columns, cost a list of 50
    items more than rendering it. Only those in minutes the current person may read, unless
    `with_drafts` says whether drafts count."""
    query = (ActionItem.select(ActionItem, Meeting.id, Meeting.title, Meeting.state, Meeting.starts_at, Body.id,
                               Body.name, Person.id, Person.name)
             .join(Meeting).join(Body).switch(ActionItem)
             .join(Person, on=(ActionItem.person == Person.id), attr="person"))
    return visible_minutes(query, with_drafts=with_drafts)


def action_people() -> list[tuple[int, str]]:
    """The people the action-item filter offers: those with items in minutes the current person
    may read. A name that appears only in draft minutes must not reach a partner through a filter."""
    # Asked per person (an index lookup that stops at the first item), not by collecting the people
    # of every action item of all years.
    has_items = visible_minutes(ActionItem.select(ActionItem.id).join(Meeting).where(ActionItem.person == Person.id))
    return choice_labels(with_organisation_name(Person.select(Person.id, Person.name, Person.role, Person.function,
                                                              Person.organisation))
                         .where(fn.EXISTS(has_items)).order_by(Person.name, Person.id))


def minutes_revisions(meeting) -> list:
    """The published states of the minutes with their authors, oldest first: 1 is the publishing,
    every further one a correction with its reason. Without the snapshots: each is the whole
    minutes, and only a comparison of two needs them."""
    return list(MinutesRevision.select(MinutesRevision.id, MinutesRevision.meeting, MinutesRevision.number,
                                       MinutesRevision.reason, MinutesRevision.author, MinutesRevision.created_at,
                                       Person.id, Person.name).join(Person)
                .where(MinutesRevision.meeting == meeting).order_by(MinutesRevision.number))


def _due_first(query):
    return query.order_by(ActionItem.due_on.is_null(), ActionItem.due_on, ActionItem.id)


def open_actions(*conditions, limit: int | None = None):
    return list(_due_first(actions_query().where(ActionItem.done_at.is_null(), *conditions)).limit(limit))


# A person's open items, on every start page: built once per process (db.Prepared), one text for
# those who read draft minutes and one for those who read published ones only.
_OPEN_ACTIONS_OF = {with_drafts: Prepared(lambda person_id, with_drafts=with_drafts: _due_first(
    actions_query(with_drafts).where(ActionItem.done_at.is_null(), ActionItem.person == person_id)))
    for with_drafts in (True, False)}


def open_actions_of(person) -> list[ActionItem]:
    """The person's open action items, due first, in minutes they may read."""
    return _OPEN_ACTIONS_OF[can("minutes.read_drafts", person=person)].rows(person.id)


def count_open_actions(*conditions) -> int:
    return actions_query().where(ActionItem.done_at.is_null(), *conditions).count()


def decisions_query():
    """Numbered decisions with what the register shows of their meeting (see `actions_query`)."""
    return (Decision.select(Decision, Meeting.id, Meeting.title, Meeting.starts_at, Body.id, Body.name)
            .join(Meeting).join(Body).where(Meeting.state == PUBLISHED, Decision.number.is_null(False)))


def publication_gaps(meeting) -> dict:
    """What a coordinator should see before publishing: is the meeting over, is anything recorded."""
    return {
        "in_future": meeting.starts_at > utcnow(),
        "no_items": not AgendaItem.select().where(AgendaItem.meeting == meeting).exists(),
        "no_attendance": not Attendance.select().where(Attendance.meeting == meeting).exists(),
        "comments": MinutesComment.select().where(MinutesComment.meeting == meeting).count(),
    }
