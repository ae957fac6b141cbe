"""Topic priorities: proposed topics and voting rounds over them."""
import peewee
from flask_babel import lazy_gettext as _l

from ..db import BaseModel, utcnow
from ..meetings.models import Body
from ..people.models import Person
from ..workshops.models import Output

PROPOSED, ARCHIVED, MERGED = "proposed", "archived", "merged"
TOPIC_STATES = {PROPOSED: _l("vorgeschlagen"), ARCHIVED: _l("archiviert"), MERGED: _l("zusammengeführt")}
DOTS, RANKING = "dots", "ranking"
METHODS = {DOTS: _l("Punkte verteilen"), RANKING: _l("Rangfolge (Borda)")}
LIVE, AFTER_CLOSE = "live", "after_close"
VISIBILITY = {LIVE: _l("live während der Abstimmung"), AFTER_CLOSE: _l("erst nach dem Ende")}


class Topic(BaseModel):
    title = peewee.CharField(max_length=200)
    description = peewee.TextField(default="")
    body = peewee.ForeignKeyField(Body, null=True, backref="+", on_delete="SET NULL")
    proposed_by = peewee.ForeignKeyField(Person, backref="+")
    state = peewee.CharField(max_length=20, default=PROPOSED, index=True)
    merged_into = peewee.ForeignKeyField("self", null=True, backref="merged_topics", on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)
    # The workshop output this topic grew from, if any (the output lists it as its topic).
    source_output = peewee.ForeignKeyField(Output, null=True, backref="topics", on_delete="SET NULL")

    @property
    def state_label(self):
        return TOPIC_STATES[self.state]


class VotingRound(BaseModel):
    title = peewee.CharField(max_length=200)
    method = peewee.CharField(max_length=20, default=DOTS)
    budget = peewee.IntegerField(default=5)
    max_per_topic = peewee.IntegerField(default=3)
    rank_limit = peewee.IntegerField(default=3)
    body = peewee.ForeignKeyField(Body, backref="+", on_delete="RESTRICT")  # who votes: its members
    opens_at = peewee.DateTimeField()  # UTC
    closes_at = peewee.DateTimeField()  # UTC
    results = peewee.CharField(max_length=20, default=LIVE)
    anonymous = peewee.BooleanField(default=False)
    created_by = peewee.ForeignKeyField(Person, backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    def status(self, now=None) -> str:
        now = now or utcnow()
        if now < self.opens_at:
            return "planned"
        return "open" if now < self.closes_at else "closed"

    @property
    def is_open(self):
        return self.status() == "open"

    @property
    def is_closed(self):
        return self.status() == "closed"

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
    updated_at = peewee.DateTimeField(default=utcnow)

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
