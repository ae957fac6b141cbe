"""A copy of every table's rows, put back after tests changed them.

Building a test's data through the app (the demo, the route table's objects) takes seconds; putting
back a copy takes a moment. `Snapshot()` reads every row; `restore_if_changed()` puts back only the
tables that differ, `put_back()` fills emptied tables with all of it (search index and id sequences
included, so that rows made afterwards get fresh ids).
"""
import peewee

from fh_intranet.db import current_schema, database, table_names

# PostgreSQL: each id sequence with the table and column it numbers.
SEQUENCES = """
    SELECT s.relname, t.relname, a.attname FROM pg_class s
    JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
    JOIN pg_class t ON t.oid = d.refobjid
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
    WHERE s.relkind = 'S' AND s.relnamespace = current_schema()::regnamespace"""
# Rows per INSERT: far below SQLite's and PostgreSQL's limits on parameters per statement.
ROWS_PER_INSERT = 200


def fts_virtual_tables(db) -> list[str]:
    """SQLite's FTS5 tables (the search index); none on PostgreSQL."""
    if not isinstance(db, peewee.SqliteDatabase):
        return []
    return [row[0] for row in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")]


def fts_shadow_tables(db) -> set[str]:
    """The tables in which an FTS5 table keeps its words (<name>_data, …): written only through it."""
    virtual = fts_virtual_tables(db)
    return {name for name in table_names(db) if any(name.startswith(f"{table}_") for table in virtual)}


class Snapshot:
    """Every table's rows as they are now.

    Which tables changed, a comparison tells (SQLite: the rows themselves; PostgreSQL: a hash of
    each table's rows, all in one round trip). `restore_if_changed` puts back only the rows that
    differ: new ones are deleted, changed ones updated, deleted ones inserted again, with their ids
    (sequences stay where they are, so new rows get fresh ids).
    """

    def __init__(self):
        db = database.obj
        self.sqlite = isinstance(db, peewee.SqliteDatabase)
        database.connect(reuse_if_open=True)
        try:
            # SQLite's FTS5 search index is written only through its own table, which has no ids
            # to restore by: restore_if_changed leaves it as the requests wrote it (search_document
            # says what counts); put_back copies it whole.
            skipped = {"schema_migration", *fts_virtual_tables(db), *fts_shadow_tables(db)}
            names = [name for name in table_names(db) if name not in skipped]
            self.order = self._parents_first(db, names)
            self.columns = {}
            self.rows = {}
            for name in self.order:
                self.columns[name], self.rows[name] = self._read(name)
            self.hash_sql = " UNION ALL ".join(
                f"SELECT '{name}', md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{name}\" t"
                for name in self.order)
            self.hashes = self._hashes()
            self.search_rows = {name: db.execute_sql(f'SELECT rowid, * FROM "{name}"').fetchall()
                                for name in fts_virtual_tables(db)}
        finally:
            database.close()
        self.restores = 0

    @staticmethod
    def _parents_first(db, names):
        schema = current_schema(db)
        parents = {name: {fk.dest_table for fk in db.get_foreign_keys(name, schema=schema)} - {name}
                   for name in names}
        ordered: list[str] = []
        while len(ordered) < len(names):
            ready = [name for name in names if name not in ordered and parents[name] <= set(ordered)]
            ordered += ready or [name for name in names if name not in ordered]
        return ordered

    @staticmethod
    def _read(name):
        cursor = database.obj.execute_sql(f'SELECT * FROM "{name}"')
        columns = [column[0] for column in cursor.description]
        rows = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cursor.fetchall()]
        return columns, sorted(rows, key=repr)

    def _hashes(self) -> dict:
        return None if self.sqlite else dict(database.obj.execute_sql(self.hash_sql).fetchall())

    def _changed(self) -> list[str]:
        if self.sqlite:
            return [name for name in self.order if self._read(name)[1] != self.rows[name]]
        now = self._hashes()
        return [name for name in self.order if now[name] != self.hashes[name]]

    def long_texts(self, at_least: int) -> list[str]:
        """table.column of every stored value of `at_least` characters."""
        database.connect(reuse_if_open=True)
        try:
            found = set()
            for name in self.order:
                columns, rows = self._read(name)
                found.update(f"{name}.{column}" for row in rows for column, value in zip(columns, row, strict=True)
                             if isinstance(value, str) and len(value) >= at_least)
            return sorted(found)
        finally:
            database.close()

    def restore_if_changed(self):
        # The connection stays open: the next request takes it over (and closes it when done).
        database.connect(reuse_if_open=True)
        changed = self._changed()
        if changed:
            self.restores += 1
            try:
                self._run(self._differences(changed))
            except peewee.DatabaseError:
                # The differences in another order than the keys allow: everything, all at once.
                self._run(self._everything())

    @staticmethod
    def _inserts(name, columns, rows) -> list[tuple[str, list]]:
        marks = "(" + ", ".join([database.obj.param] * len(columns)) + ")"
        names = ", ".join(f'"{column}"' for column in columns)
        return [(f'INSERT INTO "{name}" ({names}) VALUES {", ".join([marks] * len(chunk))}', [v for r in chunk for v in r])
                for chunk in (rows[at:at + ROWS_PER_INSERT] for at in range(0, len(rows), ROWS_PER_INSERT))]

    def _differences(self, changed):
        param = database.obj.param
        emptied, inserts, updates, deletes = [], [], [], []
        for name in changed:  # parents first
            columns, before = self.columns[name], self.rows[name]
            if "id" not in columns:
                emptied.append((f'DELETE FROM "{name}"', []))
                inserts += self._inserts(name, columns, before)
                continue
            at = columns.index("id")
            was = {row[at]: row for row in before}
            now = {row[at]: row for row in self._read(name)[1]}
            missing = [row for key, row in was.items() if key not in now]
            inserts += self._inserts(name, columns, missing)
            for key, row in was.items():
                if key in now and now[key] != row:
                    assignments = ", ".join(f'"{column}" = {param}' for column in columns)
                    updates.append((f'UPDATE "{name}" SET {assignments} WHERE "id" = {param}', [*row, key]))
            new = [key for key in now if key not in was]
            if new:
                marks = ", ".join([param] * len(new))
                deletes.insert(0, (f'DELETE FROM "{name}" WHERE "id" IN ({marks})', new))
        return emptied + inserts + updates + deletes

    def _everything(self):
        statements = [(f'DELETE FROM "{name}"', []) for name in reversed(self.order)]
        return statements + self._all_rows()

    def _all_rows(self):
        """INSERTs of every row, parents first and, within a table, by id (a row naming another of
        its table, such as a reply, names an older one)."""
        statements = []
        for name in self.order:
            columns, rows = self.columns[name], self.rows[name]
            if "id" in columns:
                at = columns.index("id")
                rows = sorted(rows, key=lambda row: row[at])
            statements += self._inserts(name, columns, rows)
        return statements

    def put_back(self):
        """Every table as it was, whatever it holds now: the rows, the search index, and each id
        sequence just past the highest id."""
        db = database.obj
        database.connect(reuse_if_open=True)
        statements = self._everything()
        for name, rows in self.search_rows.items():
            statements.append((f'DELETE FROM "{name}"', []))
            if rows:
                columns = ["rowid", *self._fts_columns(name)]
                statements += self._inserts(name, columns, [tuple(row) for row in rows])
        if not self.sqlite:
            statements += [(f"SELECT setval('\"{sequence}\"', COALESCE((SELECT max(\"{column}\") FROM \"{table}\"), 0) + 1, false)", [])
                           for sequence, table, column in db.execute_sql(SEQUENCES).fetchall()]
        self._run(statements)

    @staticmethod
    def _fts_columns(name):
        return [row[1] for row in database.obj.execute_sql(f'PRAGMA table_info("{name}")').fetchall()]

    def _run(self, statements):
        db = database.obj
        if self.sqlite:
            db.execute_sql("PRAGMA foreign_keys = OFF")
        try:
            with db.atomic():
                if self.sqlite:
                    for sql, params in statements:
                        db.execute_sql(sql, params)
                else:  # one round trip
                    db.execute_sql(";\n".join(sql for sql, _ in statements),
                                   [value for _, params in statements for value in params])
        finally:
            if self.sqlite:
                db.execute_sql("PRAGMA foreign_keys = ON")


