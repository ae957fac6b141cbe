"""PostgreSQL reads what the search filters and counts by (kind, readers, recheck time) from an
index of its own, not from the documents' wide rows with their whole text.

A common word's search joined its thousands of matches to a scan of every document row: 10-15 ms
of a 50 ms page at ten years. From this covering index the same join reads a few narrow pages
(index-only, once vacuum has marked the table's pages as seen by all). SQLite finds the documents by
their row id and reads only the columns up to the last one asked for.
"""
import peewee


def upgrade(db):
    if not isinstance(db, peewee.PostgresqlDatabase):
        return
    db.execute_sql("CREATE INDEX search_document_filter ON search_document (id) "
                   "INCLUDE (kind, object_id, readers, recheck_at)")
