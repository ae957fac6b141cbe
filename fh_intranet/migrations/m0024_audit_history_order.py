"""An object's history is its newest events: the indexes on the object and on the context (m0022)
end with the time, so that the newest 20 are read from the index in order instead of sorting all
of an agreement's thousands of comment events."""


def upgrade(db):
    db.execute_sql("DROP INDEX auditevent_object_type_object_id")
    db.execute_sql("DROP INDEX audit_event_context_type_context_id")
    db.execute_sql("CREATE INDEX audit_event_object_type_object_id_created_at "
                   "ON audit_event (object_type, object_id, created_at)")
    db.execute_sql("CREATE INDEX audit_event_context_type_context_id_created_at "
                   "ON audit_event (context_type, context_id, created_at)")
