"""One-time tokens of create forms: a double submit creates one object."""
import peewee


def upgrade(db):
    class Submission(peewee.Model):
        token = peewee.CharField(max_length=80, unique=True)
        object_type = peewee.CharField(max_length=40, default="")
        object_id = peewee.IntegerField(null=True)
        created_at = peewee.DateTimeField(index=True)

        class Meta:
            database = db
            table_name = "submission"

    db.create_tables([Submission])
