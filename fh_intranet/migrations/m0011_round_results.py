"""Final results of closed rounds, frozen when they close; who took part in anonymous rounds."""
import peewee
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate


def upgrade(db):
    class Person(peewee.Model):
        class Meta:
            database = db
            table_name = "person"

    class Topic(peewee.Model):
        class Meta:
            database = db
            table_name = "topic"

    class VotingRound(peewee.Model):
        class Meta:
            database = db
            table_name = "voting_round"

    class RoundResult(peewee.Model):
        round = peewee.ForeignKeyField(VotingRound, on_delete="CASCADE")
        topic = peewee.ForeignKeyField(Topic, null=True, on_delete="SET NULL")
        title = peewee.CharField(max_length=200)
        position = peewee.IntegerField()
        score = peewee.IntegerField()
        rank = peewee.IntegerField()
        tied = peewee.BooleanField(default=False)
        voters = peewee.IntegerField(default=0)

        class Meta:
            database = db
            table_name = "round_result"
            indexes = ((("round", "position"), True),)

    class RoundParticipant(peewee.Model):
        round = peewee.ForeignKeyField(VotingRound, on_delete="CASCADE")
        person = peewee.ForeignKeyField(Person, on_delete="CASCADE")

        class Meta:
            database = db
            table_name = "round_participant"
            indexes = ((("round", "person"), True),)

    db.create_tables([RoundResult, RoundParticipant])
    migrator = PostgresqlMigrator(db) if isinstance(db, peewee.PostgresqlDatabase) else SqliteMigrator(db)
    # Rounds that closed before this migration have no frozen results yet: the app freezes them
    # (and scrubs anonymous ballots) on its first request, see topics.workflow.finalize_due_rounds.
    migrate(
        migrator.add_column("voting_round", "finalized_at", peewee.DateTimeField(null=True)),
        migrator.add_column("voting_round", "voters", peewee.IntegerField(null=True)),
        migrator.add_column("voting_round", "eligible", peewee.IntegerField(null=True)),
    )
