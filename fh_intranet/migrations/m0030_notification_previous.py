"""A notification keeps what its change replaced (a moved meeting's former time and place), as data:
a mail or list says „bisher: …“ in the reader's language when it is shown."""


def upgrade(db):
    db.execute_sql("ALTER TABLE notification ADD COLUMN previous TEXT")
