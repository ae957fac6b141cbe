"""Topics and voting rounds."""
import peewee


def upgrade(db):
    class Person(peewee.Model):
        class Meta:
            database = db
            table_name = "person"

    class Body(peewee.Model):
        class Meta:
            database = db
            table_name = "body"

    class Topic(peewee.Model):
        title = peewee.CharField(max_length=200)
        description = peewee.TextField(default="")
        body = peewee.ForeignKeyField(Body, null=True, on_delete="SET NULL")
        proposed_by = peewee.ForeignKeyField(Person)
        state = peewee.CharField(max_length=20, default="proposed", index=True)
        merged_into = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL")
        created_at = peewee.DateTimeField()
        version = peewee.IntegerField(default=1)

        class Meta:
            database = db
            table_name = "topic"

    class VotingRound(peewee.Model):
        title = peewee.CharField(max_length=200)
        method = peewee.CharField(max_length=20, default="dots")
        budget = peewee.IntegerField(default=5)
        max_per_topic = peewee.IntegerField(default=3)
        rank_limit = peewee.IntegerField(default=3)
        body = peewee.ForeignKeyField(Body, on_delete="RESTRICT")
        opens_at = peewee.DateTimeField()
        closes_at = peewee.DateTimeField()
        results = peewee.CharField(max_length=20, default="live")
        anonymous = peewee.BooleanField(default=False)
        created_by = peewee.ForeignKeyField(Person)
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "voting_round"

    class RoundTopic(peewee.Model):
        round = peewee.ForeignKeyField(VotingRound, on_delete="CASCADE")
        topic = peewee.ForeignKeyField(Topic, on_delete="CASCADE")

        class Meta:
            database = db
            table_name = "round_topic"
            indexes = ((("round", "topic"), True),)

    class Ballot(peewee.Model):
        round = peewee.ForeignKeyField(VotingRound, on_delete="CASCADE")
        person = peewee.ForeignKeyField(Person, on_delete="CASCADE")
        updated_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "ballot"
            indexes = ((("round", "person"), True),)

    class Vote(peewee.Model):
        ballot = peewee.ForeignKeyField(Ballot, on_delete="CASCADE")
        topic = peewee.ForeignKeyField(Topic, on_delete="CASCADE")
        points = peewee.IntegerField(default=0)
        rank = peewee.IntegerField(null=True)

        class Meta:
            database = db
            table_name = "vote"
            indexes = ((("ballot", "topic"), True),)

    db.create_tables([Topic, VotingRound, RoundTopic, Ballot, Vote])
