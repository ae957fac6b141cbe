"""Thementische can be renamed and given another host: their row carries a version, so that two
people editing one at once meet the second's edit as a conflict instead of overwriting it."""


def upgrade(db):
    db.execute_sql("ALTER TABLE workshop ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
