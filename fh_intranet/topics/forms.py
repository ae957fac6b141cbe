from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..changes import Refused, reason
from ..forms import REQUIRED, TOO_LONG, DateTimeLocalField, Form, OnceForm, SelectMultipleField, VersionedForm, choices
from .models import LIVE, METHODS, VISIBILITY

NUMBER = _l("Bitte eine Zahl zwischen %(min)s und %(max)s.")


class _TopicFields(Form):
    title = StringField(_l("Thema"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    description = TextAreaField(_l("Beschreibung"), validators=[Optional(), Length(max=5000, message=TOO_LONG)],
                                description=_l("Worum geht es, warum ist es wichtig? Keine Daten über Familien oder Kinder."),
                                render_kw={"rows": 5})
    body = SelectField(_l("Welches Gremium soll daran arbeiten?"), validators=[Optional()])


class ProposeForm(_TopicFields, OnceForm):
    """A new topic; its one-time token makes a double submit propose it once."""


class TopicForm(_TopicFields, VersionedForm):
    """Editing a topic: carries the version it was loaded with."""


class MergeForm(Form):
    into = SelectField(_l("Zusammenführen mit"), validators=[DataRequired(REQUIRED)],
                       description=_l("Stimmen in geplanten und laufenden Abstimmungen gehen auf dieses Thema über; "
                                      "beendete Abstimmungen und ihre Ergebnisse bleiben, wie sie sind."))


class RoundForm(OnceForm):
    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    topics = SelectMultipleField(_l("Themen"), coerce=int, validators=[DataRequired(_l("Bitte mindestens zwei Themen wählen."))])
    body = SelectField(_l("Wer stimmt ab? (Mitglieder des Gremiums)"), validators=[DataRequired(REQUIRED)])
    method = SelectField(_l("Verfahren"), choices=choices(METHODS), description=_l(
        "Punkte verteilen: Jede Person verteilt ihre Punkte auf die Themen, die ihr wichtig sind. "
        "Rangfolge: Jede Person ordnet ihre wichtigsten Themen; Platz 1 zählt am meisten."))
    budget = IntegerField(_l("Punkte pro Person"), default=5, validators=[NumberRange(1, 50, NUMBER)])
    max_per_topic = IntegerField(_l("Höchstens Punkte auf ein Thema"), default=3, validators=[NumberRange(1, 50, NUMBER)])
    rank_limit = IntegerField(_l("Wie viele Plätze"), default=3, validators=[NumberRange(1, 20, NUMBER)])
    opens_at = DateTimeLocalField(_l("Beginn"), validators=[InputRequired(REQUIRED)], format="%Y-%m-%dT%H:%M")
    closes_at = DateTimeLocalField(_l("Ende"), validators=[InputRequired(REQUIRED)], format="%Y-%m-%dT%H:%M")
    # two choices: side by side as radio buttons, whose labels wrap (a select cut them off on a phone)
    results = RadioField(_l("Ergebnisse sichtbar"), choices=choices(VISIBILITY), default=LIVE)
    anonymous = BooleanField(_l("Anonym (niemand sieht, wer welche Punkte vergeben hat)"))

    def validate_closes_at(self, field):
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("Das Ende muss nach dem Beginn liegen."))

    def validate_topics(self, field):
        if len(field.data or []) < 2:
            raise ValidationError(_l("Bitte mindestens zwei Themen wählen."))


RANKING_INPUT = reason("voting.ranking_input", _l("Bitte prüfen Sie die markierten Plätze."))


class RoundTopicsForm(VersionedForm):
    """Which topics a round includes, changed before its first vote; `version` is the selection it
    was loaded with (workflow.topics_version)."""
    topics = SelectMultipleField(_l("Themen"), coerce=int, validators=[DataRequired(_l("Bitte mindestens zwei Themen wählen."))])

    def validate_topics(self, field):
        if len(field.data or []) < 2:
            raise ValidationError(_l("Bitte mindestens zwei Themen wählen."))


@dataclass
class RankingInput:
    """What the person chose on the ranking ballot, kept as given so that an error shows it again."""
    given: dict  # topic id → the place as sent (text), for every rank-<id> field of the form
    partial: bool
    places: dict = dataclass_field(default_factory=dict)  # topic id → place (None: no place), once resolved
    problem: str | None = None
    field_problems: dict = dataclass_field(default_factory=dict)  # topic id → message

    @property
    def ranks(self) -> dict[int, int]:
        return {topic_id: place for topic_id, place in self.places.items() if place}

    @classmethod
    def from_form(cls, form) -> "RankingInput":
        given = {}
        for name, value in form.items():
            key = name.removeprefix("rank-")
            if key != name and key.isdecimal() and len(key) < 12:
                given[int(key)] = value
        return cls(given=given, partial=form.get("teilweise") == "1")

    def resolve(self, round_, topics) -> None:
        """Read the choices for `topics` (the round's, as they are now) and note what is wrong."""
        self.places, self.field_problems, self.problem = {}, {}, None
        for topic in topics:
            value = self.given.get(topic.id, "")
            self.places[topic.id] = int(value) if value.isdecimal() and len(value) < 4 else None
        used = Counter(self.ranks.values())
        for topic_id, place in self.ranks.items():
            if not 1 <= place <= round_.rank_limit:
                self.field_problems[topic_id] = _("Bitte einen Platz von 1 bis %(n)d wählen.", n=round_.rank_limit)
            elif used[place] > 1:
                self.field_problems[topic_id] = _("Platz %(place)d ist mehrfach vergeben.", place=place)
        needed = min(round_.rank_limit, len(topics))
        if self.field_problems:
            self.problem = _("Jeder Platz nur einmal: Bitte ändern Sie die markierten Plätze.")
        elif len(self.ranks) < needed and not self.partial:
            self.problem = _("Sie haben %(filled)d von %(needed)d Plätzen vergeben. Vergeben Sie alle Plätze "
                             "oder kreuzen Sie „Nur einen Teil der Plätze vergeben“ an.",
                             filled=len(self.ranks), needed=needed)

    def choose(self, round_, topics) -> dict[int, int]:
        """For workflow.set_ranking: the ranks, checked against the round as its transaction reads it."""
        self.resolve(round_, topics)
        if self.problem:
            raise Refused(RANKING_INPUT)
        return self.ranks
