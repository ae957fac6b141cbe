"""Cooperation agreements: numbered immutable versions, section comments, states, signatures."""
from datetime import datetime

import peewee
from flask_babel import lazy_gettext as _l

from ..db import BaseModel, utcnow
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


class Agreement(BaseModel):
    title = peewee.CharField(max_length=200)
    kind = peewee.CharField(max_length=30, default="cooperation")
    state = peewee.CharField(max_length=20, default=DRAFT, index=True)
    review_by = peewee.DateField(null=True)
    comment_deadline = peewee.DateTimeField(null=True)  # UTC; set while in consultation
    adopted_on = peewee.DateField(null=True)
    superseded_by = peewee.ForeignKeyField("self", null=True, backref="supersedes", on_delete="SET NULL")
    created_by = peewee.ForeignKeyField(Person, backref="+")
    created_at = peewee.DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)  # optimistic lock for the fields above

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)

    @property
    def is_frozen(self) -> bool:
        return self.state in (ADOPTED, SUPERSEDED)

    def open_for_comments(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.state == CONSULTATION and self.comment_deadline is not None and now < self.comment_deadline


class AgreementVersion(BaseModel):
    agreement = peewee.ForeignKeyField(Agreement, backref="versions", on_delete="CASCADE")
    number = peewee.IntegerField()
    text = peewee.TextField()
    change_note = peewee.CharField(max_length=500, default="")
    author = peewee.ForeignKeyField(Person, backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("agreement", "number"), True),)


class StateChange(BaseModel):
    agreement = peewee.ForeignKeyField(Agreement, backref="state_changes", on_delete="CASCADE")
    from_state = peewee.CharField(max_length=20)
    to_state = peewee.CharField(max_length=20)
    actor = peewee.ForeignKeyField(Person, backref="+")
    created_at = peewee.DateTimeField(default=utcnow)
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
    created_at = peewee.DateTimeField(default=utcnow)
    edited_at = peewee.DateTimeField(null=True)
    resolved_at = peewee.DateTimeField(null=True)
    resolved_by = peewee.ForeignKeyField(Person, null=True, backref="+")

    class Meta:
        indexes = ((("agreement", "section_anchor"), False),)


class Signature(BaseModel):
    agreement = peewee.ForeignKeyField(Agreement, backref="signatures", on_delete="CASCADE")
    organisation = peewee.ForeignKeyField(Organisation, backref="signatures", on_delete="CASCADE")
    version = peewee.ForeignKeyField(AgreementVersion, backref="+")
    kind = peewee.CharField(max_length=20, default=SIGNATURE)
    signer_name = peewee.CharField(max_length=200)
    signer_function = peewee.CharField(max_length=200, default="")
    signed_on = peewee.DateField()
    recorded_by = peewee.ForeignKeyField(Person, backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("agreement", "organisation"), True),)

    @property
    def is_accession(self):
        return self.kind == ACCESSION
