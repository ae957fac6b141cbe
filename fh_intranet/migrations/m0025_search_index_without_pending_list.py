"""PostgreSQL's GIN index of the search words keeps no pending list (`fastupdate = off`).

With the default, new entries wait in an unsorted list that every search reads from end to end
until a vacuum or 4 MB of them merge it into the index. After a reindex or a restore the whole
index sat there: PostgreSQL then estimated the index dearer than reading every word vector, and a
search without matches took 24 ms instead of 3. The index's writes are one document at a time, in
the writer's transaction; entered directly they cost little. SQLite's FTS5 has no such list.
"""
import peewee


def upgrade(db):
    if not isinstance(db, peewee.PostgresqlDatabase):
        return
    db.execute_sql("ALTER INDEX search_index_vector SET (fastupdate = off)")
    db.execute_sql("SELECT gin_clean_pending_list('search_index_vector'::regclass)")
