"""Topic priorities: proposed topics and voting rounds over them."""
import peewee
from flask_babel import lazy_gettext as _l

from ..db import BaseModel, DateTimeField, utcnow
from ..meetings.models import Body
from ..people.models import Person
from ..workshops.models import Output

PROPOSED, ARCHIVED, MERGED = "proposed", "archived", "merged"
TOPIC_STATES = {PROPOSED: _l("vorgeschlagen"), ARCHIVED: _l("archiviert"), MERGED: _l("zusammengeführt")}
DOTS, RANKING = "dots", "ranking"
METHODS = {DOTS: _l("Punkte verteilen"), RANKING: _l("Rangfolge (Borda)")}
LIVE, AFTER_CLOSE = "live", "after_close"
VISIBILITY = {LIVE: _l("während der Abstimmung"), AFTER_CLOSE: _l("erst nach dem Ende")}
# A round's state follows from its times: planned until it opens, open until it closes.
PLANNED, OPEN, CLOSED = "planned", "open", "closed"
ROUND_STATES = {PLANNED: _l("geplant"), OPEN: _l("läuft"), CLOSED: _l("beendet")}


class Topic(BaseModel):
    title = peewee.CharField(max_length=200)
    description = peewee.TextField(default="")
    body = peewee.ForeignKeyField(Body, null=True, backref="+", on_delete="SET NULL")
    proposed_by = peewee.ForeignKeyField(Person, backref="+")
    state = peewee.CharField(max_length=20, default=PROPOSED, index=True)
    merged_into = peewee.ForeignKeyField("self", null=True, backref="merged_topics", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)
    # The workshop output this topic grew from, if any (the output lists it as its topic).
    source_output = peewee.ForeignKeyField(Output, null=True, backref="topics", on_delete="SET NULL")

    @property
    def state_label(self):
        return TOPIC_STATES[self.state]

    @property
    def is_current(self):
        return self.state == PROPOSED

    @property
    def is_archived(self):
        return self.state == ARCHIVED

    @property
    def is_merged(self):
        return self.state == MERGED


class VotingRound(BaseModel):
    title = peewee.CharField(max_length=200)
    method = peewee.CharField(max_length=20, default=DOTS)
    budget = peewee.IntegerField(default=5)
    max_per_topic = peewee.IntegerField(default=3)
    rank_limit = peewee.IntegerField(default=3)
    body = peewee.ForeignKeyField(Body, backref="+", on_delete="RESTRICT")  # who votes: its members
    opens_at = DateTimeField()  # UTC
    closes_at = DateTimeField()  # UTC
    results = peewee.CharField(max_length=20, default=LIVE)
    anonymous = peewee.BooleanField(default=False)
    created_by = peewee.ForeignKeyField(Person, backref="+")
    created_at = DateTimeField(default=utcnow)
    # Set in the transaction that freezes the results (RoundResult) once the round has closed;
    # from then on the tally and the participation below are what everyone cites.
    finalized_at = DateTimeField(null=True)
    voters = peewee.IntegerField(null=True)
    eligible = peewee.IntegerField(null=True)

    def status(self, now=None) -> str:
        now = now or utcnow()
        if now < self.opens_at:
            return PLANNED
        return OPEN if now < self.closes_at else CLOSED

    @property
    def status_label(self):
        return ROUND_STATES[self.status()]

    @property
    def is_planned(self):
        return self.status() == PLANNED

    @property
    def is_open(self):
        return self.status() == OPEN

    @property
    def is_closed(self):
        return self.status() == CLOSED

    @property
    def is_final(self):
        return self.finalized_at is not None

    @property
    def method_label(self):
        return METHODS[self.method]


class RoundTopic(BaseModel):
    round = peewee.ForeignKeyField(VotingRound, backref="round_topics", on_delete="CASCADE")
    topic = peewee.ForeignKeyField(Topic, backref="round_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("round", "topic"), True),)


class Ballot(BaseModel):
    """One per person and round: the row that serialises a voter's concurrent clicks."""

    round = peewee.ForeignKeyField(VotingRound, backref="ballots", on_delete="CASCADE")
    person = peewee.ForeignKeyField(Person, backref="+", on_delete="CASCADE")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("round", "person"), True),)


class Vote(BaseModel):
    """Points (dot voting) or a rank (ranking) that one ballot gives one topic."""

    ballot = peewee.ForeignKeyField(Ballot, backref="votes", on_delete="CASCADE")
    topic = peewee.ForeignKeyField(Topic, backref="+", on_delete="CASCADE")
    points = peewee.IntegerField(default=0)
    rank = peewee.IntegerField(null=True)

    class Meta:
        indexes = ((("ballot", "topic"), True),)


class RoundResult(BaseModel):
    """A closed round's final tally, one row per topic, written when the round closes.

    The results page, the CSV and the topics' history read these rows, never the votes: merging,
    renaming or archiving topics later cannot change a result that was announced as final.
    """

    round = peewee.ForeignKeyField(VotingRound, backref="final_results", on_delete="CASCADE")
    topic = peewee.ForeignKeyField(Topic, null=True, backref="+", on_delete="SET NULL")
    title = peewee.CharField(max_length=200)  # the topic's title when the round closed
    position = peewee.IntegerField()  # order on the results page
    score = peewee.IntegerField()  # points (dots) or Borda points (ranking)
    rank = peewee.IntegerField()
    tied = peewee.BooleanField(default=False)
    voters = peewee.IntegerField(default=0)  # ballots that gave this topic points or a place

    class Meta:
        indexes = ((("round", "position"), True),)


class RoundParticipant(BaseModel):
    """Who took part in an anonymous round, kept when its ballots are deleted at the close:
    the name is here, what the person gave is nowhere."""

    round = peewee.ForeignKeyField(VotingRound, backref="participants", on_delete="CASCADE")
    person = peewee.ForeignKeyField(Person, backref="+", on_delete="CASCADE")

    class Meta:
        indexes = ((("round", "person"), True),)
