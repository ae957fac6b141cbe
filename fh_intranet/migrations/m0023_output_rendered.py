"""Workshop outputs keep their Markdown rendered (`text_html`), as agenda notes and comments do
since m0017. Existing rows keep an empty rendering; the pages render those on the fly."""


def upgrade(db):
    # A NOT NULL column with a default: a plain ALTER TABLE on both databases (see m0017).
    db.execute_sql("ALTER TABLE output ADD COLUMN text_html TEXT NOT NULL DEFAULT ''")
