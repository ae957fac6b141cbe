"""Which audit events belong to an object's history, and the filtered log for the coordinator."""
from datetime import datetime, time, timedelta

import peewee
from peewee import fn

from ..agreements.models import Agreement
from ..audit import AuditEvent
from ..db import Prepared
from ..meetings.models import Body, Meeting
from ..people.models import Organisation, Person, choice_labels, with_organisation_name
from ..search.models import SearchDocument
from ..search.registry import KINDS
from ..timezones import berlin_to_utc
from ..topics.models import Topic
from .forms import LogFilterForm

PAGE_SIZE = 50
SHOWN_ON_PAGE = 20


def _history_query(kind, object_id, limit):
    own = (AuditEvent.object_type == kind) & (AuditEvent.object_id == object_id)
    parts = (AuditEvent.context_type == kind) & (AuditEvent.context_id == object_id)

    def newest(condition, name):
        ids = (AuditEvent.select(AuditEvent.id).where(condition)
               .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(limit).alias(name))
        return peewee.Select([ids], [ids.c.id])

    def count(condition):
        return AuditEvent.select(fn.COUNT(AuditEvent.id)).where(condition)

    return (AuditEvent.select(AuditEvent, Person.id, Person.name, count(own).alias("own_total"),
                              count(parts).alias("parts_total"))
            .join(Person, peewee.JOIN.LEFT_OUTER)
            .where(AuditEvent.id.in_(newest(own, "own") + newest(parts, "parts")))
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(limit))


# Built once per process (db.Prepared): its nested selects took peewee 1.1 ms to write out on every
# meeting, agreement and body page, seven times as long as SQLite took to answer it.
_HISTORY = Prepared(_history_query)


def history_of(obj, limit: int = SHOWN_ON_PAGE):
    """The newest events of `obj` and of its parts (an agreement's comments, a meeting's agenda, also
    parts deleted since: `AuditEvent.context_*` names the object a part belongs to), and how many
    there are in all. One statement: the newest `limit` of each kind come from its index in time
    order, so an agreement with thousands of comment events sorts 40 rows, not all of them. The two
    id lists are joined by UNION ALL, not `IN … OR IN …`, which PostgreSQL answers by scanning."""
    events = _HISTORY.rows(type(obj).__name__, obj.id, limit)
    return events, (events[0].own_total + events[0].parts_total if events else 0)


def change_mark(obj) -> str:
    """A mark that changes with every change to `obj` or its parts: how many audit events they have
    and the newest one's id. Every change is audited in its own transaction, so this marks the state
    of everything the object shows. The count as well: PostgreSQL numbers events when they are
    written, not when they commit, so a change committed late may carry a lower id than the newest."""
    kind = type(obj).__name__
    marks = []
    for condition in ((AuditEvent.object_type == kind) & (AuditEvent.object_id == obj.id),
                      (AuditEvent.context_type == kind) & (AuditEvent.context_id == obj.id)):
        count, newest = AuditEvent.select(fn.COUNT(AuditEvent.id), fn.MAX(AuditEvent.id)).where(condition).tuples().first()
        marks.append(f"{count}.{newest or 0}")
    return "-".join(marks)


HISTORY_MODELS = (Agreement, Meeting, Topic, Body, Organisation, Person)


# --- the coordinator's log ------------------------------------------------------------------------

def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def parse_filters(args) -> tuple[dict, LogFilterForm]:
    """The filters of the log's query string, and its typed ones as a form: a field it could not
    read filters nothing and carries its message."""
    typed = LogFilterForm(formdata=args)
    typed.validate()
    objekt, day_from, day_to = (None if field.errors else field.data for field in (typed.objekt, typed.von, typed.bis))
    if day_from and day_to and day_from > day_to:
        day_from, day_to = day_to, day_from
    return {
        "person": _int(args.get("person")),
        "aktion": (args.get("aktion") or "")[:60],
        "objektart": (args.get("objektart") or "")[:40],
        "objekt": _int(objekt),
        "von": day_from,
        "bis": day_to,
    }, typed


def object_names(events) -> dict[tuple[str, int], str]:
    """What the objects of these events are called, by (object type, id), in one statement: the
    titles the search index keeps (an agenda item's, a person's name …). Objects deleted since,
    anonymised people and kinds search does not know have none: the log names them by kind and
    number, as before."""
    kinds = {kind.object_type: kind.name for kind in KINDS.values()}
    wanted = {(kinds[e.object_type], e.object_id) for e in events if e.object_type in kinds and e.object_id}
    if not wanted:
        return {}
    rows = (SearchDocument.select(SearchDocument.kind, SearchDocument.object_id, SearchDocument.title)
            .where(SearchDocument.kind.in_({kind for kind, _id in wanted}),
                   SearchDocument.object_id.in_({object_id for _kind, object_id in wanted})).tuples())
    return {(KINDS[kind].object_type, object_id): title for kind, object_id, title in rows if (kind, object_id) in wanted}


def filtered(filters: dict, query=None):
    """The log's events that match `filters`, newest first; `query` chooses the columns."""
    if query is None:
        query = AuditEvent.select(AuditEvent, Person).join(Person, peewee.JOIN.LEFT_OUTER)
    if filters["person"]:
        query = query.where(AuditEvent.actor == filters["person"])
    if filters["aktion"]:
        if filters["aktion"].endswith("."):  # a whole area: "agreement."
            query = query.where(AuditEvent.action.startswith(filters["aktion"]))
        else:
            query = query.where(AuditEvent.action == filters["aktion"])
    if filters["objektart"]:
        query = query.where(AuditEvent.object_type == filters["objektart"])
    if filters["objekt"]:
        query = query.where(AuditEvent.object_id == filters["objekt"])
    if filters["von"]:
        query = query.where(AuditEvent.created_at >= berlin_to_utc(datetime.combine(filters["von"], time.min)))
    if filters["bis"]:
        end = datetime.combine(filters["bis"] + timedelta(days=1), time.min)
        query = query.where(AuditEvent.created_at < berlin_to_utc(end))
    return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


def export_rows(filters: dict):
    """The columns of the CSV, as tuples: a model object per event and person cost most of a CSV of ten years."""
    columns = AuditEvent.select(AuditEvent.created_at, Person.name, AuditEvent.action, AuditEvent.object_type,
                                AuditEvent.object_id, AuditEvent.details).join(Person, peewee.JOIN.LEFT_OUTER)
    return filtered(filters, columns).tuples()


def actors():
    """Everyone who appears in the log, for the person filter."""
    ids = AuditEvent.select(AuditEvent.actor).where(AuditEvent.actor.is_null(False)).distinct()
    return choice_labels(with_organisation_name(Person.select(Person.id, Person.name, Person.role, Person.function,
                                                              Person.organisation))
                         .where(Person.id.in_(ids)).order_by(Person.name, Person.id))


def actions_in_log() -> list[str]:
    return [row.action for row in AuditEvent.select(AuditEvent.action).distinct().order_by(AuditEvent.action)]


def object_types_in_log() -> list[str]:
    return [row.object_type for row in AuditEvent.select(AuditEvent.object_type)
            .where(AuditEvent.object_type != "").distinct().order_by(AuditEvent.object_type)]
