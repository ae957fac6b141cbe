"""The first version of an agreement no longer stores the note „Erste Fassung“.

It was written in German into the data and shown as stored, to English readers too; the page now
says it in the reader's language where the first version has no note of its own.
"""


def upgrade(db):
    db.execute_sql("UPDATE agreement_version SET change_note = '' WHERE number = 1 AND change_note = 'Erste Fassung'")
