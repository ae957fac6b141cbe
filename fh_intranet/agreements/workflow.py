"""What may happen to an agreement, enforced here whatever route asks for it."""
from datetime import date, datetime

import peewee

from .. import audit
from ..changes import Refused
from ..db import database, utcnow
from ..people.models import Organisation, Person
from .models import (
    ACCESSION,
    ADOPTED,
    CONSULTATION,
    DRAFT,
    SIGNATURE,
    SUPERSEDED,
    Agreement,
    AgreementVersion,
    Comment,
    Signature,
    StateChange,
)

TRANSITIONS = {
    (DRAFT, CONSULTATION),
    (CONSULTATION, DRAFT),
    (CONSULTATION, ADOPTED),
    (ADOPTED, SUPERSEDED),
}


class VersionConflict(Exception):
    def __init__(self, latest: AgreementVersion):
        super().__init__(latest.number)
        self.latest = latest


def latest_version(agreement: Agreement) -> AgreementVersion | None:
    return (AgreementVersion.select().where(AgreementVersion.agreement == agreement)
            .order_by(AgreementVersion.number.desc()).first())


def create_agreement(*, title: str, kind: str, review_by: date | None, text: str, author: Person) -> Agreement:
    with database.atomic():
        agreement = Agreement.create(title=title, kind=kind, review_by=review_by, created_by=author)
        AgreementVersion.create(agreement=agreement, number=1, text=text, author=author,
                                change_note="Erste Fassung")
        audit.record("agreement.created", agreement, actor=author, title=title, kind=kind)
    return agreement


def save_version(agreement: Agreement, *, base_number: int, text: str, change_note: str,
                 author: Person) -> AgreementVersion:
    """A new numbered version, if nobody saved since `base_number`; never overwrites."""
    try:
        with database.atomic():
            current = Agreement.get_by_id(agreement.id)
            if current.is_frozen:
                raise Refused("frozen")
            latest = latest_version(current)
            if latest.number != base_number:
                raise VersionConflict(latest)
            # The unique (agreement, number) index settles a race between two savers.
            version = AgreementVersion.create(agreement=agreement, number=latest.number + 1, text=text,
                                              change_note=change_note, author=author)
            audit.record("agreement.version_saved", agreement, actor=author, number=version.number,
                         change_note=change_note)
            return version
    except peewee.IntegrityError:
        raise VersionConflict(latest_version(agreement)) from None


def change_state(agreement: Agreement, to_state: str, actor: Person, *, deadline: datetime | None = None,
                 adopted_on: date | None = None, superseded_by: Agreement | None = None) -> None:
    from_state = agreement.state
    if (from_state, to_state) not in TRANSITIONS:
        raise Refused("transition")
    changes = {"state": to_state}
    note = ""
    if to_state == CONSULTATION:
        if deadline is None or deadline <= utcnow():
            raise Refused("deadline")
        changes["comment_deadline"] = deadline
        note = deadline.isoformat()
    if to_state == ADOPTED:
        if adopted_on is None:
            raise Refused("adopted_on")
        changes["adopted_on"] = adopted_on
        note = adopted_on.isoformat()
    if to_state == SUPERSEDED and superseded_by is not None:
        if superseded_by.id == agreement.id:
            raise Refused("self")
        changes["superseded_by"] = superseded_by.id
        note = str(superseded_by.id)
    with database.atomic():
        # Conditional update: two coordinators clicking at once cannot both move it.
        moved = (Agreement.update({**changes, Agreement.version: Agreement.version + 1})
                 .where(Agreement.id == agreement.id, Agreement.state == from_state).execute())
        if not moved:
            raise Refused("stale")
        StateChange.create(agreement=agreement, from_state=from_state, to_state=to_state, actor=actor, note=note)
        audit.record("agreement.state_changed", agreement, actor=actor, from_state=from_state,
                     to_state=to_state, note=note)
    for name, value in changes.items():
        setattr(agreement, name, value)


def add_comment(agreement: Agreement, version: AgreementVersion, *, anchor: str, heading: str, body: str,
                author: Person, parent: Comment | None = None) -> Comment:
    if not agreement.open_for_comments():
        raise Refused("closed")
    if parent is not None and (parent.parent_id is not None or parent.resolved_at is not None):
        raise Refused("thread")
    with database.atomic():
        comment = Comment.create(agreement=agreement, version=version, section_anchor=anchor,
                                 section_heading=heading, parent=parent, author=author, body=body)
        audit.record("comment.added", comment, actor=author, agreement=agreement.id, section=anchor,
                     reply_to=parent.id if parent else None)
    return comment


def thread_root(comment: Comment) -> Comment:
    return comment.parent if comment.parent_id else comment


def edit_comment(comment: Comment, body: str, author: Person) -> None:
    if not comment.agreement.open_for_comments() or thread_root(comment).resolved_at is not None:
        raise Refused("closed")
    with database.atomic():
        comment.body = body
        comment.edited_at = utcnow()
        comment.save(only=[Comment.body, Comment.edited_at])
        audit.record("comment.edited", comment, actor=author)


def set_resolved(comment: Comment, resolved: bool, actor: Person) -> None:
    root = thread_root(comment)
    with database.atomic():
        root.resolved_at = utcnow() if resolved else None
        root.resolved_by = actor if resolved else None
        root.save(only=[Comment.resolved_at, Comment.resolved_by])
        audit.record("comment.resolved" if resolved else "comment.reopened", root, actor=actor)


def record_signature(agreement: Agreement, organisation: Organisation, *, signer_name: str, signer_function: str,
                     signed_on: date, accession: bool, recorded_by: Person) -> Signature:
    if agreement.state != ADOPTED:
        raise Refused("not_adopted")
    version = latest_version(agreement)
    try:
        with database.atomic():
            signature = Signature.create(
                agreement=agreement, organisation=organisation, version=version,
                kind=ACCESSION if accession else SIGNATURE, signer_name=signer_name,
                signer_function=signer_function, signed_on=signed_on, recorded_by=recorded_by)
            audit.record("agreement.signed", agreement, actor=recorded_by, organisation=organisation.id,
                         kind=signature.kind, version=version.number)
    except peewee.IntegrityError:
        raise Refused("already_signed") from None
    return signature
