"""Cooperation agreements: numbered immutable versions, section comments, states, signatures."""
from dataclasses import dataclass
from datetime import date, datetime

import peewee
from flask_babel import lazy_gettext as _l

from ..db import BaseModel, DateField, DateTimeField, utcnow
from ..people.models import Organisation, Person

DRAFT, CONSULTATION, ADOPTED, SUPERSEDED = "draft", "consultation", "adopted", "superseded"
STATE_LABELS = {
    DRAFT: _l("Entwurf"),
    CONSULTATION: _l("In Kommentierung"),
    ADOPTED: _l("Beschlossen"),
    SUPERSEDED: _l("Abgelöst"),
}
KINDS = {
    "cooperation": _l("Kooperationsvereinbarung"),
    "rules_of_procedure": _l("Geschäftsordnung"),
    "mission_statement": _l("Leitbild"),
    "quality": _l("Qualitätsvereinbarung"),
    "other": _l("Sonstige Vereinbarung"),
}
SIGNATURE, ACCESSION = "signature", "accession"
# A steering group's rules of procedure bind the group that adopted them; partner organisations do
# not sign them (listed as "not yet signed" by every partner, they inflated the report's gaps).
UNSIGNED_KINDS = frozenset({"rules_of_procedure"})
SECTION_HEADING_OFFSET = 2  # a section's own headings sit below its <h2>


def takes_signatures(kind: str) -> bool:
    return kind not in UNSIGNED_KINDS


# What a state change asks for; each is a keyword of workflow.change_state and a field of
# forms.StateChangeForm.
DEADLINE, ADOPTED_ON, SUCCESSOR = "deadline", "adopted_on", "superseded_by"


@dataclass(frozen=True)
class Transition:
    """One allowed state change. The workflow checks against this table, the view dispatches on
    it and the detail page draws one form per transition from the current state."""
    source: str
    target: str
    label: object  # the button, a lazy string
    asks: str | None = None  # DEADLINE, ADOPTED_ON or SUCCESSOR
    required: bool = True  # whether what it asks for must be given

    @property
    def target_label(self):
        return STATE_LABELS[self.target]


TRANSITIONS = (
    Transition(DRAFT, CONSULTATION, _l("Kommentierung eröffnen"), asks=DEADLINE),
    Transition(CONSULTATION, ADOPTED, _l("Als beschlossen eintragen"), asks=ADOPTED_ON),
    Transition(CONSULTATION, DRAFT, _l("Zurück in den Entwurf")),
    # The successor is optional: it may be a document that is not kept in the intranet.
    Transition(ADOPTED, SUPERSEDED, _l("Als abgelöst kennzeichnen"), asks=SUCCESSOR, required=False),
)
# A form names only its target: every state is reached by one transition.
TRANSITION_TO = {step.target: step for step in TRANSITIONS}
assert len(TRANSITION_TO) == len(TRANSITIONS), "two transitions lead to the same state"


def transitions_from(state: str) -> list[Transition]:
    return [step for step in TRANSITIONS if step.source == state]


def transition(source: str, target: str) -> Transition | None:
    step = TRANSITION_TO.get(target)
    return step if step is not None and step.source == source else None


class Agreement(BaseModel):
    title = peewee.CharField(max_length=200)
    kind = peewee.CharField(max_length=30, default="cooperation")
    state = peewee.CharField(max_length=20, default=DRAFT, index=True)
    review_by = DateField(null=True)
    comment_deadline = DateTimeField(null=True)  # UTC; set while in consultation
    adopted_on = DateField(null=True)
    superseded_by = peewee.ForeignKeyField("self", null=True, backref="supersedes", on_delete="SET NULL")
    created_by = peewee.ForeignKeyField(Person, backref="+")
    created_at = DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)  # optimistic lock for the fields above

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)

    @property
    def takes_signatures(self) -> bool:
        return takes_signatures(self.kind)

    @property
    def is_frozen(self) -> bool:
        return self.state in (ADOPTED, SUPERSEDED)

    def open_for_comments(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.state == CONSULTATION and self.comment_deadline is not None and now < self.comment_deadline

    def adopted_after(self, other: "Agreement") -> bool:
        """Whether this agreement was adopted later than `other` (the same day: written later), so
        that it can replace it. An older agreement never replaces a newer one."""
        if self.id == other.id or self.adopted_on is None:
            return False
        return ((self.adopted_on, self.created_at, self.id)
                > (other.adopted_on or date.min, other.created_at, other.id))


class AgreementVersion(BaseModel):
    agreement = peewee.ForeignKeyField(Agreement, backref="versions", on_delete="CASCADE")
    number = peewee.IntegerField()
    text = peewee.TextField()
    rendered = peewee.TextField(default="")  # the sections' HTML, made when saved (markdown.keep_sections)
    change_note = peewee.CharField(max_length=500, default="")
    author = peewee.ForeignKeyField(Person, backref="+")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("agreement", "number"), True),)


class StateChange(BaseModel):
    agreement = peewee.ForeignKeyField(Agreement, backref="state_changes", on_delete="CASCADE")
    from_state = peewee.CharField(max_length=20)
    to_state = peewee.CharField(max_length=20)
    actor = peewee.ForeignKeyField(Person, backref="+")
    created_at = DateTimeField(default=utcnow)
    note = peewee.CharField(max_length=300, default="")

    @property
    def to_label(self):
        return STATE_LABELS[self.to_state]


class Comment(BaseModel):
    agreement = peewee.ForeignKeyField(Agreement, backref="comments", on_delete="CASCADE")
    version = peewee.ForeignKeyField(AgreementVersion, backref="comments", on_delete="CASCADE")
    section_anchor = peewee.CharField(max_length=120)
    section_heading = peewee.CharField(max_length=300, default="")
    parent = peewee.ForeignKeyField("self", null=True, backref="replies", on_delete="CASCADE")
    author = peewee.ForeignKeyField(Person, backref="+")
    body = peewee.TextField()
    body_html = peewee.TextField(default="")  # markdown.keep(body)
    created_at = DateTimeField(default=utcnow)
    edited_at = DateTimeField(null=True)
    resolved_at = DateTimeField(null=True)
    resolved_by = peewee.ForeignKeyField(Person, null=True, backref="+")
    # Optimistic lock for the body and the resolved mark (`version` is the text commented on).
    revision = peewee.IntegerField(default=1)

    class Meta:
        indexes = ((("agreement", "section_anchor"), False),)

    @property
    def audit_context(self):
        return "Agreement", self.agreement_id


class Signature(BaseModel):
    agreement = peewee.ForeignKeyField(Agreement, backref="signatures", on_delete="CASCADE")
    organisation = peewee.ForeignKeyField(Organisation, backref="signatures", on_delete="CASCADE")
    version = peewee.ForeignKeyField(AgreementVersion, backref="+")
    kind = peewee.CharField(max_length=20, default=SIGNATURE)
    signer_name = peewee.CharField(max_length=200)
    signer_function = peewee.CharField(max_length=200, default="")
    signed_on = DateField()
    recorded_by = peewee.ForeignKeyField(Person, backref="+")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("agreement", "organisation"), True),)

    @property
    def is_accession(self):
        return self.kind == ACCESSION
