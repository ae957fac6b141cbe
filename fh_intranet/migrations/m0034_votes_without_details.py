"""The change log no longer says for what a person voted in a named round (it showed the coordinator
who gave what while the round was open): the events recorded so far lose their topic and points."""


def upgrade(db):
    db.execute_sql("UPDATE audit_event SET details = '{}' WHERE action = 'vote.changed'")
