"""The audit trail."""
import peewee


def upgrade(db):
    class Person(peewee.Model):
        class Meta:
            database = db
            table_name = "person"

    class AuditEvent(peewee.Model):
        created_at = peewee.DateTimeField(index=True)
        actor = peewee.ForeignKeyField(Person, null=True, on_delete="SET NULL")
        action = peewee.CharField(max_length=60, index=True)
        object_type = peewee.CharField(max_length=40, default="")
        object_id = peewee.IntegerField(null=True)
        details = peewee.TextField(default="{}")

        class Meta:
            database = db
            table_name = "audit_event"
            indexes = ((("object_type", "object_id"), False),)

    db.create_tables([AuditEvent])
