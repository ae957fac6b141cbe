"""A mail in the outbox names the person it was written for (`person_id`), not only an address: a
person's own-data export listed every mail to their current address, also those written for
whoever held it before; and a changed address left mails on their way to the old one.

Existing mails get the person who holds their address now (the best that can be known).
"""


def upgrade(db):
    db.execute_sql("ALTER TABLE outbox_mail ADD COLUMN person_id INTEGER REFERENCES person (id) ON DELETE SET NULL")
    db.execute_sql("CREATE INDEX outbox_mail_person_id ON outbox_mail (person_id)")
    db.execute_sql("UPDATE outbox_mail SET person_id = "
                   "(SELECT person.id FROM person WHERE person.email = outbox_mail.recipient)")
