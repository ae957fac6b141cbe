"""A draft offering is found by its own organisation's people too: its rule depends on the person,
not only on the role, so its search document is asked for each person (`ASK_EACH_PERSON`).
Documents indexed before only let the coordination find drafts; this marks them as a reindex would.
"""


def upgrade(db):
    db.execute_sql("UPDATE search_document SET recheck_at = '2000-01-01 00:00:00' WHERE kind = 'offering' "
                   "AND object_id IN (SELECT id FROM offering WHERE NOT published)")
