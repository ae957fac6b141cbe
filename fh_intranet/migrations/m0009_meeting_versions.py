"""Versions for decisions, action items and a meeting's attendance list, so that conflicting
edits are detected instead of silently overwriting each other."""

# Plain ALTER TABLE … NOT NULL DEFAULT 1 works on SQLite and PostgreSQL alike and fills
# existing rows. playhouse.migrate's add_column would add the column as nullable and then
# rebuild the SQLite table to make it NOT NULL; dropping the old "meeting" table in that rebuild
# would cascade into its agenda items, decisions and action items.
COLUMNS = [
    ("decision", "version"),
    ("action_item", "version"),
    ("meeting", "attendance_version"),
]


def upgrade(db):
    for table, column in COLUMNS:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column}" INTEGER NOT NULL DEFAULT 1')
