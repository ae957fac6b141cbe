"""A vote writes no audit event any more: the change log named each voter with the time of their
click (in a named round also the topic and points), which beside the live tally told the
coordinator who gave what, in a named round before it closed and in an anonymous one at all. The
events recorded so far go; ballots and `round_participant` remain the record of who voted."""


def upgrade(db):
    db.execute_sql("DELETE FROM audit_event WHERE action = 'vote.changed'")
