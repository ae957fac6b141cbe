"""Audit events name the object whose history shows them too (`context_type`, `context_id`): a
comment's agreement, the meeting of an agenda item, decision, action item, workshop or workshop
output. A meeting's history used to search the details of every event for its id, which grew
with the years; now it is two index lookups.

Existing events get their context from the rows they name, or, for rows deleted since, from the
agreement or meeting their details recorded.
"""
import json

# object type -> (the context's type, the query giving each row's context id, the details key)
PARTS = {
    "Comment": ("Agreement", "SELECT id, agreement_id FROM comment", "agreement"),
    "AgendaItem": ("Meeting", "SELECT id, meeting_id FROM agenda_item", "meeting"),
    "Decision": ("Meeting", "SELECT id, meeting_id FROM decision", "meeting"),
    "ActionItem": ("Meeting", "SELECT id, meeting_id FROM action_item", "meeting"),
    "Workshop": ("Meeting", "SELECT id, meeting_id FROM workshop", "meeting"),
    "Output": ("Meeting", "SELECT output.id, workshop.meeting_id FROM output "
                          "JOIN workshop ON workshop.id = output.workshop_id", None),
}


def upgrade(db):
    db.execute_sql("ALTER TABLE audit_event ADD COLUMN context_type VARCHAR(40) NOT NULL DEFAULT ''")
    db.execute_sql("ALTER TABLE audit_event ADD COLUMN context_id INTEGER")
    db.execute_sql("CREATE INDEX audit_event_context_type_context_id ON audit_event (context_type, context_id)")
    marker = db.param
    update = (f"UPDATE audit_event SET context_type = {marker}, context_id = {marker} "
              f"WHERE object_type = {marker} AND object_id = {marker}")
    for object_type, (context_type, rows, details_key) in PARTS.items():
        context_of = dict(db.execute_sql(rows).fetchall())
        events = db.execute_sql(f"SELECT id, object_id, details FROM audit_event WHERE object_type = {marker}",
                                (object_type,)).fetchall()
        found = {}
        for _event, object_id, details in events:
            context_id = context_of.get(object_id)
            if context_id is None and details_key:
                context_id = _detail(details, details_key)
            if context_id is not None:
                found[object_id] = context_id
        db.cursor().executemany(update, [(context_type, context_id, object_type, object_id)
                                         for object_id, context_id in found.items()])


def _detail(details: str, key: str):
    try:
        value = json.loads(details or "{}").get(key)
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) else None
