"""What may happen to an agreement, enforced here whatever route asks for it.

Every change runs in one write transaction with its audit record. Rules that read before they
write (the state, the newest text version, whether the consultation is open) lock the agreement
row first, so two requests cannot both pass the check and then both write.
"""
from datetime import date, datetime

import peewee
from flask_babel import lazy_gettext as _l

from .. import audit, markdown
from ..changes import EditConflict, Refused, create_once, locked, reason, update_versioned, write_transaction
from ..db import utcnow
from ..notifications import audiences
from ..notifications.workflow import notify
from ..people.models import Organisation, Person
from .models import (
    ACCESSION,
    ADOPTED,
    ADOPTED_ON,
    CONSULTATION,
    DEADLINE,
    DRAFT,
    SECTION_HEADING_OFFSET,
    SIGNATURE,
    SUCCESSOR,
    Agreement,
    AgreementVersion,
    Comment,
    Signature,
    StateChange,
    transition,
)
from .sections import split

FROZEN = reason("agreement.frozen", _l(
    "Eine beschlossene oder abgelöste Vereinbarung kann nicht mehr geändert werden."))
NO_TRANSITION = reason("agreement.transition", _l("Dieser Statuswechsel ist nicht möglich."))
STALE = reason("agreement.stale", _l(
    "Die Vereinbarung wurde inzwischen geändert (Status jetzt: %(state)s). Bitte prüfen Sie den "
    "aktuellen Stand und wählen Sie den Statuswechsel dann erneut."))
TEXT_CHANGED = reason("agreement.text_changed", _l(
    "Inzwischen wurde Fassung %(number)d gespeichert. Bitte lesen Sie diese Fassung, bevor Sie den "
    "Status ändern."))
NO_DEADLINE = reason("agreement.deadline", _l("Bitte eine Frist in der Zukunft angeben."))
NO_ADOPTION_DATE = reason("agreement.adopted_on", _l("Bitte das Datum des Beschlusses angeben."))
SUCCESSOR_SELF = reason("agreement.successor_self", _l("Eine Vereinbarung kann sich nicht selbst ablösen."))
SUCCESSOR_NOT_ADOPTED = reason("agreement.successor_not_adopted", _l(
    "Abgelöst werden kann eine Vereinbarung nur durch eine beschlossene Vereinbarung."))
SUCCESSOR_OLDER = reason("agreement.successor_older", _l(
    "„%(title)s“ wurde nicht nach dieser Vereinbarung beschlossen und kann sie deshalb nicht ablösen. "
    "Bitte wählen Sie die neuere Vereinbarung."))
COMMENTS_CLOSED = reason("agreement.comments_closed", _l(
    "Die Kommentierung ist beendet; Kommentare sind nicht mehr möglich."))
NOT_IN_CONSULTATION = reason("agreement.not_in_consultation", _l(
    "Dieser Entwurf ist nicht in der Kommentierung; kommentiert werden kann er, sobald die "
    "Netzwerkkoordination die Kommentierung eröffnet."))
THREAD_CLOSED = reason("agreement.thread_closed", _l(
    "Dieser Kommentar ist als erledigt markiert; Antworten und Änderungen sind nicht mehr möglich."))
NO_REPLY = reason("agreement.no_reply", _l("Auf diesen Kommentar kann nicht geantwortet werden."))
COMMENT_STALE = reason("agreement.comment_stale", _l(
    "Der Kommentar wurde inzwischen geändert, als erledigt markiert oder wieder geöffnet. Bitte "
    "prüfen Sie den aktuellen Stand."))
NOT_SIGNED = reason("agreement.not_signed", _l(
    "Vereinbarungen der Art „%(kind)s“ werden nicht von den Partnerorganisationen unterschrieben: Sie "
    "gelten mit ihrem Beschluss."))
NOT_ADOPTED = reason("agreement.not_adopted", _l(
    "Unterschriften gibt es nur für beschlossene Vereinbarungen."))
ALREADY_SIGNED = reason("agreement.already_signed", _l(
    "Für %(organisation)s ist schon eine Unterschrift eingetragen."))


def _rendered(text: str) -> str:
    return markdown.keep_sections(split(text), heading_offset=SECTION_HEADING_OFFSET)


def latest_version(agreement: Agreement) -> AgreementVersion | None:
    return (AgreementVersion.select().where(AgreementVersion.agreement == agreement)
            .order_by(AgreementVersion.number.desc()).first())


def _locked_agreement(agreement_id: int) -> Agreement:
    return locked(Agreement.select().where(Agreement.id == agreement_id)).get()


# --- agreement and its text ---------------------------------------------------------------------

def create_agreement(*, title: str, kind: str, review_by: date | None, text: str, author: Person,
                     token: str | None = None) -> Agreement:
    """A new draft with its first version; the same form `token` twice creates it once."""
    def create():
        agreement = Agreement.create(title=title, kind=kind, review_by=review_by, created_by=author)
        # No note: the page says „Erste Fassung“ in the reader's language.
        AgreementVersion.create(agreement=agreement, number=1, text=text, rendered=_rendered(text), author=author)
        audit.record("agreement.created", agreement, actor=author, title=title, kind=kind)
        return agreement

    return create_once(token, Agreement, create)


def edit_details(agreement: Agreement, *, version, title: str, kind: str, review_by: date | None,
                 actor: Person) -> dict:
    """Title, kind and review date, if nobody saved them since `version`. Returns what changed."""
    with write_transaction():
        current = _locked_agreement(agreement.id)
        if current.is_frozen:
            raise Refused(FROZEN)
        changed = update_versioned(current, version, {"title": title, "kind": kind, "review_by": review_by})
        if changed:
            audit.record("agreement.details_changed", current, actor=actor, changes=changed)
    return changed


def save_version(agreement: Agreement, *, base_number: int, text: str, change_note: str,
                 author: Person) -> AgreementVersion:
    """A new numbered version, if nobody saved since `base_number`; never overwrites.

    Raises EditConflict carrying the newest version (its number is what the form builds on next).
    """
    try:
        with write_transaction():
            current = _locked_agreement(agreement.id)  # savers of one agreement take turns
            if current.is_frozen:
                raise Refused(FROZEN)
            latest = latest_version(current)
            if latest.number != base_number:
                raise EditConflict(latest, version=latest.number)
            version = AgreementVersion.create(agreement=current, number=latest.number + 1, text=text,
                                              rendered=_rendered(text),
                                              change_note=change_note, author=author)
            audit.record("agreement.version_saved", current, actor=author, number=version.number,
                         change_note=change_note)
            notify("agreement.new_version", object_type="Agreement", object_id=current.id, title=current.title,
                   people=audiences.commenters(current.id), actor=author,
                   may_read=("agreement.read_history", current))
            return version
    except peewee.IntegrityError:
        # The unique (agreement, number) index: a last line should the lock ever be bypassed.
        latest = latest_version(agreement)
        raise EditConflict(latest, version=latest.number) from None


# --- states -----------------------------------------------------------------------------------------

def successor_candidates(agreement: Agreement) -> list[Agreement]:
    """The agreements that may be named as replacing `agreement`: adopted, and adopted after it."""
    query = Agreement.select().where(Agreement.id != agreement.id, Agreement.state == ADOPTED).order_by(Agreement.title)
    return [candidate for candidate in query if candidate.adopted_after(agreement)]


def change_state(agreement: Agreement, target: str, actor: Person, *, version: int | None = None,
                 text_number: int | None = None, deadline: datetime | None = None,
                 adopted_on: date | None = None, superseded_by: Agreement | int | None = None) -> None:
    """Move `agreement` to `target` along models.TRANSITIONS.

    `version` (the agreement's) and `text_number` (the newest text version) are what the person saw
    when choosing; a request that saw an older state or text is refused. Callers without a page
    (demo data, scripts) leave them out. Of `deadline`, `adopted_on` and `superseded_by` only the
    one the transition asks for is used.
    """
    given = {DEADLINE: deadline, ADOPTED_ON: adopted_on, SUCCESSOR: superseded_by}
    successor_id = getattr(superseded_by, "id", superseded_by)
    with write_transaction():
        # Lock the agreement and the named successor in id order: two crosswise requests would
        # otherwise wait for each other forever on PostgreSQL.
        ids = sorted({agreement.id, successor_id} - {None})
        rows = {row.id: row for row in locked(Agreement.select().where(Agreement.id.in_(ids)).order_by(Agreement.id))}
        current = rows[agreement.id]
        if version is not None and current.version != version:
            raise Refused(STALE, state=current.state_label)
        step = transition(current.state, target)
        if step is None:
            raise Refused(NO_TRANSITION)
        if text_number is not None:
            latest = latest_version(current)
            if latest.number != text_number:
                raise Refused(TEXT_CHANGED, number=latest.number)
        changes, note = {"state": step.target}, ""
        if step.asks is not None:
            value = given[step.asks]
            if step.asks == SUCCESSOR and successor_id is not None:
                value = rows.get(successor_id)
                if value is None:
                    raise Refused(SUCCESSOR_NOT_ADOPTED)
            if value is None and step.required:
                raise Refused(MISSING[step.asks])
            if value is not None:
                changes.update(APPLY[step.asks](current, value))
                note = value.isoformat() if isinstance(value, date) else str(value.id)
        update_versioned(current, current.version, changes)
        StateChange.create(agreement=current, from_state=step.source, to_state=step.target, actor=actor, note=note)
        audit.record("agreement.state_changed", current, actor=actor, from_state=step.source,
                     to_state=step.target, note=note)
        _tell_state_change(current, step, actor)
    for name, value in changes.items():
        setattr(agreement, name, value)
    agreement.version = current.version


def _tell_state_change(agreement: Agreement, step, actor) -> None:
    about = {"object_type": "Agreement", "object_id": agreement.id, "title": agreement.title, "actor": actor}
    if step.target == CONSULTATION:
        notify("consultation.opened", people=audiences.steering_group(),
               may_read=("agreement.read_consultation", agreement), **about)
    elif step.source == CONSULTATION:
        notify("consultation.closed", people=audiences.steering_group(),
               may_read=("agreement.read_consultation", agreement), **about)
    if step.target == ADOPTED:
        # An agreement binds the network's partners; rules of procedure only the steering group.
        bound = audiences.everyone() if agreement.takes_signatures else audiences.steering_group()
        notify("agreement.adopted", people=bound, may_read=("agreement.read", agreement), **about)


# What each thing a transition asks for must satisfy, and what it changes.

def _deadline(agreement: Agreement, deadline: datetime) -> dict:
    if deadline <= utcnow():
        raise Refused(NO_DEADLINE)
    return {"comment_deadline": deadline}


def _adoption_date(agreement: Agreement, adopted_on: date) -> dict:
    # Any date: adoptions are often entered some time after the meeting that decided them.
    return {"adopted_on": adopted_on}


def _successor(agreement: Agreement, successor: Agreement) -> dict:
    if successor.id == agreement.id:
        raise Refused(SUCCESSOR_SELF)
    if successor.state != ADOPTED:
        raise Refused(SUCCESSOR_NOT_ADOPTED)
    if not successor.adopted_after(agreement):
        raise Refused(SUCCESSOR_OLDER, title=successor.title)
    return {"superseded_by": successor.id}


MISSING = {DEADLINE: NO_DEADLINE, ADOPTED_ON: NO_ADOPTION_DATE, SUCCESSOR: SUCCESSOR_NOT_ADOPTED}
APPLY = {DEADLINE: _deadline, ADOPTED_ON: _adoption_date, SUCCESSOR: _successor}


# --- comments ------------------------------------------------------------------------------------------

def thread_root(comment: Comment) -> Comment:
    return comment.parent if comment.parent_id else comment


def why_no_comments(agreement: Agreement):
    """The reason an agreement not open for comments gives: a draft is not yet (or no longer) in
    consultation; otherwise it has ended."""
    return NOT_IN_CONSULTATION if agreement.state == DRAFT else COMMENTS_CLOSED


def add_comment(agreement: Agreement, version: AgreementVersion, *, anchor: str, heading: str, body: str,
                author: Person, parent: Comment | None = None, token: str | None = None) -> Comment:
    """A comment on a section (or a reply to a thread); the same form `token` twice adds it once."""
    def create():
        current = _locked_agreement(agreement.id)
        if not current.open_for_comments():
            raise Refused(why_no_comments(current))
        if parent is not None:
            root = locked(Comment.select().where(Comment.id == parent.id)).first()
            if root is None or root.parent_id is not None:
                raise Refused(NO_REPLY)
            if root.resolved_at is not None:
                raise Refused(THREAD_CLOSED)
        comment = Comment.create(agreement=agreement, version=version, section_anchor=anchor,
                                 section_heading=heading[:Comment.section_heading.max_length], parent=parent,
                                 author=author, body=body, body_html=markdown.keep(body))
        audit.record("comment.added", comment, actor=author, agreement=agreement.id, section=anchor,
                     reply_to=parent.id if parent else None)
        replied_to = set()
        if parent is not None:
            replied_to = {root.author_id}
            notify("comment.reply", object_type="Agreement", object_id=agreement.id, title=agreement.title,
                   people=replied_to, actor=author, may_read=("agreement.read_consultation", agreement))
        # The coordination prepares the next version from the comments (a reply to a coordinator's
        # own comment already tells them).
        notify("comment.added", object_type="Agreement", object_id=agreement.id, title=agreement.title,
               people=set(audiences.coordinators()) - replied_to, actor=author,
               may_read=("agreement.read_consultation", agreement))
        return comment

    return create_once(token, Comment, create)


def edit_comment(comment: Comment, body: str, author: Person, *, version: int | None = None) -> None:
    """Change a comment's text, if nobody changed it since `version` (its revision)."""
    with write_transaction():
        agreement = _locked_agreement(comment.agreement_id)
        current = locked(Comment.select().where(Comment.id == comment.id)).get()
        root = current if current.parent_id is None else locked(
            Comment.select().where(Comment.id == current.parent_id)).get()
        if not agreement.open_for_comments():
            raise Refused(why_no_comments(agreement))
        if root.resolved_at is not None:
            raise Refused(THREAD_CLOSED)
        if version is not None and current.revision != version:
            raise EditConflict(current, version=current.revision)
        (Comment.update(body=body, body_html=markdown.keep(body), edited_at=utcnow(), revision=Comment.revision + 1)
         .where(Comment.id == current.id).execute())
        audit.record("comment.edited", current, actor=author)
    comment.body, comment.revision = body, current.revision + 1


def set_resolved(comment: Comment, resolved: bool, actor: Person, *, version: int | None = None) -> None:
    """Mark a thread done or open it again. A request that saw an older revision of the thread
    (edited, resolved or reopened since) is refused, so nobody undoes a mark they have not seen."""
    with write_transaction():
        root = locked(Comment.select().where(Comment.id == thread_root(comment).id)).get()
        if resolved and root.resolved_by_id == actor.id:
            return  # marked by this person already: their double click, not someone else's change
        if not resolved and root.resolved_at is None and version == root.revision - 1 and _last_change_is(
                root, "comment.reopened", actor):
            return  # opened again by this person from the same page: their double click
        if version is not None and root.revision != version:
            raise Refused(COMMENT_STALE)
        if (root.resolved_at is not None) == resolved:
            return  # already so
        (Comment.update(resolved_at=utcnow() if resolved else None, resolved_by=actor if resolved else None,
                        revision=Comment.revision + 1)
         .where(Comment.id == root.id).execute())
        audit.record("comment.resolved" if resolved else "comment.reopened", root, actor=actor)
        if resolved:
            agreement = Agreement.get_by_id(root.agreement_id)
            notify("comment.resolved", object_type="Agreement", object_id=agreement.id, title=agreement.title,
                   people=[root.author_id], actor=actor, may_read=("agreement.read_consultation", agreement))


def _last_change_is(comment: Comment, action: str, actor: Person) -> bool:
    last = (audit.AuditEvent.select(audit.AuditEvent.action, audit.AuditEvent.actor)
            .where(audit.AuditEvent.object_type == "Comment", audit.AuditEvent.object_id == comment.id)
            .order_by(audit.AuditEvent.created_at.desc(), audit.AuditEvent.id.desc()).first())
    return last is not None and last.action == action and last.actor_id == actor.id


# --- signatures ----------------------------------------------------------------------------------------

def record_signature(agreement: Agreement, organisation: Organisation, *, signer_name: str, signer_function: str,
                     signed_on: date, accession: bool, recorded_by: Person, token: str | None = None) -> Signature:
    """One signature per organisation. The same form `token` twice returns the first signature;
    a second signature for the organisation is refused as already done."""
    def create():
        current = _locked_agreement(agreement.id)  # the state and the organisations signed so far
        if current.state != ADOPTED:
            raise Refused(NOT_ADOPTED)
        if not current.takes_signatures:
            raise Refused(NOT_SIGNED, kind=current.kind_label)
        if Signature.select().where(Signature.agreement == current, Signature.organisation == organisation).exists():
            raise Refused(ALREADY_SIGNED, organisation=organisation.name)
        version = latest_version(current)
        signature = Signature.create(
            agreement=current, organisation=organisation, version=version,
            kind=ACCESSION if accession else SIGNATURE, signer_name=signer_name,
            signer_function=signer_function, signed_on=signed_on, recorded_by=recorded_by)
        audit.record("agreement.signed", current, actor=recorded_by, organisation=organisation.id,
                     kind=signature.kind, version=version.number)
        return signature

    try:
        return create_once(token, Signature, create)
    except peewee.IntegrityError:
        # The unique (agreement, organisation) index, should the lock ever be bypassed.
        raise Refused(ALREADY_SIGNED, organisation=organisation.name) from None
