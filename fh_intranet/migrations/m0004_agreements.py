"""Cooperation agreements, their versions, state changes, comments and signatures."""
import peewee


def upgrade(db):
    class Organisation(peewee.Model):
        class Meta:
            database = db
            table_name = "organisation"

    class Person(peewee.Model):
        class Meta:
            database = db
            table_name = "person"

    class Agreement(peewee.Model):
        title = peewee.CharField(max_length=200)
        kind = peewee.CharField(max_length=30, default="cooperation")
        state = peewee.CharField(max_length=20, default="draft", index=True)
        review_by = peewee.DateField(null=True)
        comment_deadline = peewee.DateTimeField(null=True)
        adopted_on = peewee.DateField(null=True)
        superseded_by = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL")
        created_by = peewee.ForeignKeyField(Person)
        created_at = peewee.DateTimeField()
        version = peewee.IntegerField(default=1)

        class Meta:
            database = db
            table_name = "agreement"

    class AgreementVersion(peewee.Model):
        agreement = peewee.ForeignKeyField(Agreement, on_delete="CASCADE")
        number = peewee.IntegerField()
        text = peewee.TextField()
        change_note = peewee.CharField(max_length=500, default="")
        author = peewee.ForeignKeyField(Person)
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "agreement_version"
            indexes = ((("agreement", "number"), True),)

    class StateChange(peewee.Model):
        agreement = peewee.ForeignKeyField(Agreement, on_delete="CASCADE")
        from_state = peewee.CharField(max_length=20)
        to_state = peewee.CharField(max_length=20)
        actor = peewee.ForeignKeyField(Person)
        created_at = peewee.DateTimeField()
        note = peewee.CharField(max_length=300, default="")

        class Meta:
            database = db
            table_name = "state_change"

    class Comment(peewee.Model):
        agreement = peewee.ForeignKeyField(Agreement, on_delete="CASCADE")
        version = peewee.ForeignKeyField(AgreementVersion, on_delete="CASCADE")
        section_anchor = peewee.CharField(max_length=120)
        section_heading = peewee.CharField(max_length=300, default="")
        parent = peewee.ForeignKeyField("self", null=True, on_delete="CASCADE")
        author = peewee.ForeignKeyField(Person)
        body = peewee.TextField()
        created_at = peewee.DateTimeField()
        edited_at = peewee.DateTimeField(null=True)
        resolved_at = peewee.DateTimeField(null=True)
        resolved_by = peewee.ForeignKeyField(Person, null=True)

        class Meta:
            database = db
            table_name = "comment"
            indexes = ((("agreement", "section_anchor"), False),)

    class Signature(peewee.Model):
        agreement = peewee.ForeignKeyField(Agreement, on_delete="CASCADE")
        organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE")
        version = peewee.ForeignKeyField(AgreementVersion)
        kind = peewee.CharField(max_length=20, default="signature")
        signer_name = peewee.CharField(max_length=200)
        signer_function = peewee.CharField(max_length=200, default="")
        signed_on = peewee.DateField()
        recorded_by = peewee.ForeignKeyField(Person)
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "signature"
            indexes = ((("agreement", "organisation"), True),)

    db.create_tables([Agreement, AgreementVersion, StateChange, Comment, Signature])
