"""Rendered once and kept. Markdown rendered when it is written: agreement versions (per
section), agreement comments, agenda item notes and minutes comments keep their HTML next to the
text. Existing rows keep an empty rendering; the pages render those on the fly (markdown.shown),
so no data step is needed here. Published PDFs are kept per revision in `rendered_pdf`.
"""
import peewee

NEW_COLUMNS = [("agreement_version", "rendered"), ("comment", "body_html"), ("agenda_item", "notes_html"),
               ("minutes_comment", "body_html")]


def upgrade(db):
    # Plain ALTER TABLE on both databases: a NOT NULL column with a default needs no copy of the
    # table. (playhouse.migrate rebuilds the table on SQLite for NOT NULL, and dropping the old
    # agenda_item would cascade into its decisions and action items.)
    for table, column in NEW_COLUMNS:
        db.execute_sql(f"ALTER TABLE {table} ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")

    class RenderedPdf(peewee.Model):
        kind = peewee.CharField(max_length=40)
        object_id = peewee.IntegerField()
        fingerprint = peewee.CharField(max_length=200)
        locale = peewee.CharField(max_length=5)
        data = peewee.BlobField()
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "rendered_pdf"
            indexes = ((("kind", "object_id", "fingerprint", "locale"), True),)

    db.create_tables([RenderedPdf])
