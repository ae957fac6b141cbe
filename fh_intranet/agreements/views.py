"""Cooperation agreements: list, read, write versions, compare, consult, adopt, sign, print.

The views parse and render; every change goes through `workflow`, which refuses with a message
(`Refused`) or reports that someone else saved first (`EditConflict`).
"""
from collections import defaultdict
from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN, Case, fn

from .. import confirm, dates, markdown, pdf_cache, rendered_diff, textdiff
from ..changes import EditConflict, Refused, parse_version
from ..forms import VersionedForm, with_placeholder
from ..paging import paginate
from ..people.models import Organisation, Person
from ..permissions import authorize, can, readable_agreements, requires
from ..register.queries import active_condition
from ..timezones import berlin_today
from ..web import content_disposition, render, render_form, see_other, wants_fragment
from . import pdf, workflow
from .forms import (
    AgreementDetailsForm,
    CommentEditForm,
    CommentForm,
    NewAgreementForm,
    SignatureForm,
    StateChangeForm,
    VersionForm,
)
from .models import (
    ADOPTED,
    SECTION_HEADING_OFFSET,
    STATE_LABELS,
    SUPERSEDED,
    Agreement,
    AgreementVersion,
    Comment,
    Signature,
    StateChange,
    transitions_from,
)
from .sections import split

bp = Blueprint("agreements", __name__, url_prefix="/vereinbarungen")


def _me() -> Person:
    return current_user._get_current_object()


# --- loading ----------------------------------------------------------------------------------

def _agreement(agreement_id: int, permission: str = "agreement.read") -> Agreement:
    agreement = Agreement.get_or_none(Agreement.id == agreement_id)
    if agreement is None or not can("agreement.read", agreement):
        abort(404)  # partners must not learn that a draft exists
    authorize(permission, agreement)
    return agreement


def _comment(comment_id: int, permission: str | None = None) -> Comment:
    comment = Comment.get_or_none(Comment.id == comment_id)
    # Comments belong to the steering group's consultation, also once the agreement is adopted:
    # who may not read them learns nothing of them, not even that one exists (404, not 403).
    if comment is None or not can("agreement.read_consultation", comment.agreement):
        abort(404)
    if permission:
        authorize(permission, comment)
    return comment


def _versions(agreement) -> list[AgreementVersion]:
    return list(AgreementVersion.select(AgreementVersion.id, AgreementVersion.number, AgreementVersion.created_at,
                                        AgreementVersion.change_note, AgreementVersion.author, Person.name)
                .join(Person).where(AgreementVersion.agreement == agreement)
                .order_by(AgreementVersion.number))


def _version(agreement, number: int | None) -> AgreementVersion:
    query = AgreementVersion.select().where(AgreementVersion.agreement == agreement)
    version = (query.where(AgreementVersion.number == number).first() if number
               else query.order_by(AgreementVersion.number.desc()).first())
    if version is None:
        abort(404)
    return version


def _threads(agreement, anchor: str | None = None, *, resolved: bool = True
             ) -> dict[str, list[tuple[Comment, list[Comment]]]]:
    """Comment threads per section anchor, authors and resolvers joined in (one query, with only
    what the page shows of them). Without `resolved`, only the open threads (see `_folded_threads`
    for what is left out)."""
    resolver = Person.alias()
    query = (Comment.select(Comment, Person.id, Person.name, Person.active, resolver.id, resolver.name)
             .join(Person, on=(Comment.author == Person.id), attr="author")
             .switch(Comment).join(resolver, JOIN.LEFT_OUTER, on=(Comment.resolved_by == resolver.id),
                                   attr="resolved_by")
             .where(Comment.agreement == agreement).order_by(Comment.created_at, Comment.id))
    if anchor is not None:
        query = query.where(Comment.section_anchor == anchor)
    if not resolved:
        open_roots = Comment.select(Comment.id).where(Comment.agreement == agreement, Comment.parent.is_null(),
                                                      Comment.resolved_at.is_null())
        query = query.where(Comment.id.in_(open_roots) | Comment.parent.in_(open_roots))
    replies, roots = defaultdict(list), []
    for comment in query:
        comment.agreement = agreement  # known already: permission checks must not fetch it again
        (replies[comment.parent_id] if comment.parent_id else roots).append(comment)
    threads = defaultdict(list)
    for root in roots:
        for reply in replies[root.id]:
            reply.parent = root
        threads[root.section_anchor].append((root, replies[root.id]))
    return threads


@dataclass(frozen=True)
class Folded:
    """A section's resolved threads, shown as a count until asked for."""
    threads: int
    comments: int
    heading: str


def _folded_threads(agreement) -> dict[str, Folded]:
    root = Comment.alias()
    resolved_at = fn.COALESCE(root.resolved_at, Comment.resolved_at)  # a reply's state is its thread's
    rows = (Comment.select(Comment.section_anchor, fn.MAX(Comment.section_heading).alias("heading"),
                           fn.COUNT(Comment.id).alias("comments"),
                           fn.SUM(Case(None, [(Comment.parent.is_null(), 1)], 0)).alias("threads"))
            .join(root, JOIN.LEFT_OUTER, on=(Comment.parent == root.id))
            .where(Comment.agreement == agreement, resolved_at.is_null(False))
            .group_by(Comment.section_anchor).namedtuples())
    return {row.section_anchor: Folded(int(row.threads), row.comments, row.heading) for row in rows}


def _count(threads) -> int:
    return sum(1 + len(replies) for _, replies in threads)


# --- list and read ----------------------------------------------------------------------------

@bp.get("/")
@requires("agreements.list")
def index():
    # In the order of the state headings, so that a page holds whole groups or parts of them.
    state_order = Case(Agreement.state, [(state, position) for position, state in enumerate(STATE_LABELS)])
    # Superseded ones pile up over the years: the latest first (the others by title).
    latest_superseded = Case(None, [(Agreement.state == SUPERSEDED, Agreement.adopted_on)]).desc(nulls="LAST")
    page = paginate(readable_agreements(Agreement.select())
                    .order_by(state_order, latest_superseded, Agreement.title, Agreement.id))
    grouped = defaultdict(list)
    for agreement in page:
        grouped[agreement.state].append(agreement)
    return render("agreements/index.html", grouped=grouped, states=STATE_LABELS, page=page, fragment="agreement_list")


@bp.get("/<int:agreement_id>")
@requires("agreements.list")
def detail(agreement_id):
    return _detail_page(_agreement(agreement_id))


def _detail_page(agreement, *, state_form: StateChangeForm | None = None, refused: Refused | None = None):
    """The agreement page. After a refused state change it shows the message at the state forms,
    keeping what the person entered (409); after another refused action it shows the message at
    the top (409)."""
    versions = _versions(agreement)
    shown = _version(agreement, request.args.get("fassung", type=int))
    if shown.number != versions[-1].number:
        authorize("agreement.read_history", agreement)  # partners: the adopted text, no earlier drafts
    if not can("agreement.read_history", agreement):
        versions = versions[-1:]  # nor the numbers, dates, authors and change notes of earlier ones
    sections = split(shown.text)
    section_html = markdown.shown_sections(shown.rendered, sections, heading_offset=SECTION_HEADING_OFFSET)
    # Consultation threads are the steering group's working material, not part of the adopted text.
    # Resolved threads are folded to a count per section unless asked for (?erledigt=1).
    show_resolved = request.args.get("erledigt") == "1"
    readable = can("agreement.read_consultation")
    threads = _threads(agreement, resolved=show_resolved) if readable else {}
    folded = _folded_threads(agreement) if readable and not show_resolved else {}
    anchors = {section.anchor for section in sections}
    orphaned = {anchor: threads.get(anchor, []) for anchor in sorted(set(threads) | set(folded))
                if anchor not in anchors}
    counts = {anchor: _count(threads.get(anchor, [])) + (folded[anchor].comments if anchor in folded else 0)
              for anchor in set(threads) | set(folded)}
    context = dict(agreement=agreement, versions=versions, shown=shown, latest=versions[-1],
                   sections=sections, section_html=section_html, threads=threads, orphaned=orphaned, folded=folded,
                   show_resolved=show_resolved, counts=counts,
                   versions_by_id={v.id: v.number for v in versions},
                   history=list(StateChange.select(StateChange, Person).join(Person)
                                .where(StateChange.agreement == agreement).order_by(StateChange.created_at))
                   if can("agreement.read_history", agreement) else [])
    if agreement.is_frozen:
        context.update(_signature_context(agreement))
    if state_form is not None:
        context["transitions"] = _offer_transitions(agreement, state_form)
        return render_form("agreements/detail.html", state_form, outcome=refused, form_name="state_form", **context)
    if can("agreement.change_state", agreement):
        context["state_form"] = form = StateChangeForm(formdata=None)
        context["transitions"] = _offer_transitions(agreement, form)
    if refused is not None:
        flash(refused.message, "error")
    return render("agreements/detail.html", status=409 if refused else 200, **context)


def _offer_transitions(agreement, form: StateChangeForm) -> list:
    """The transitions from the current state (models.TRANSITIONS): the page draws one form per
    transition, all backed by `form`."""
    form.superseded_by.choices = [("", _("– keine Angabe –"))] + [
        (str(a.id), a.title) for a in workflow.successor_candidates(agreement)]
    return transitions_from(agreement.state)


def _signatures(agreement) -> list[Signature]:
    # The version's number only: its text is a few thousand words.
    return list(Signature.select(Signature, Organisation.id, Organisation.name, AgreementVersion.id,
                                 AgreementVersion.number)
                .join(Organisation).switch(Signature).join(AgreementVersion)
                .where(Signature.agreement == agreement).order_by(Signature.signed_on, Organisation.name))


def _signable(agreement) -> list[Organisation]:
    """The organisations the person may record a signature for (signed already or not)."""
    return [o for o in Organisation.select().order_by(Organisation.name)
            if can("agreement.sign", Signature(agreement=agreement, organisation=o))]


def _signature_context(agreement, form=None) -> dict:
    """Signed and unsigned organisations, and the signature form offering the unsigned ones the
    person may sign for (None when there are none)."""
    signatures = _signatures(agreement)
    signed = {s.organisation_id for s in signatures}
    # Who is still missing: the partners in the network today (one that left signs nothing more).
    unsigned = ([o for o in Organisation.select(Organisation.id, Organisation.name).where(active_condition())
                 .order_by(Organisation.name) if o.id not in signed] if agreement.takes_signatures else [])
    if form is None and can("agreement.sign", agreement):
        form = SignatureForm(signed_on=berlin_today())
    if form is not None:
        signable = [(str(o.id), o.name) for o in _signable(agreement) if o.id not in signed]
        form.organisation.choices = with_placeholder(signable)
        if len(signable) == 1 and not form.organisation.data:
            form.organisation.data = signable[0][0]  # a partner signs for their own organisation
        if not signable:
            form = None
    return {"signatures": signatures, "unsigned": unsigned, "signature_form": form}


# --- write ------------------------------------------------------------------------------------

@bp.route("/neu", methods=["GET", "POST"])
@requires("agreements.create")
def create():
    form = NewAgreementForm()
    if form.validate_on_submit():
        agreement = workflow.create_agreement(title=form.title.data.strip(), kind=form.kind.data,
                                              review_by=form.review_by.data, text=form.text.data,
                                              author=_me(), token=form.once_token)
        flash(_("Der Entwurf „%(title)s“ wurde angelegt.", title=agreement.title), "success")
        return see_other("agreements.detail", agreement_id=agreement.id)
    return render_form("agreements/new.html", form)


@bp.route("/<int:agreement_id>/bearbeiten", methods=["GET", "POST"])
@requires("agreements.create")
def edit(agreement_id):
    agreement = _agreement(agreement_id, "agreement.edit")
    latest = _version(agreement, None)
    form = VersionForm()
    if not form.is_submitted():
        form.text.data, form.version.data = latest.text, latest.number
    elif form.validate():
        try:
            version = workflow.save_version(agreement, base_number=parse_version(form.version.data),
                                            text=form.text.data, change_note=form.change_note.data.strip(),
                                            author=_me())
        except EditConflict as conflict:
            return _text_conflict(agreement, form, conflict)
        except Refused as refused:
            return render_form("agreements/edit.html", form, outcome=refused, agreement=agreement, latest=latest)
        flash(_("Fassung %(number)d wurde gespeichert.", number=version.number), "success")
        return see_other("agreements.detail", agreement_id=agreement.id)
    return render_form("agreements/edit.html", form, agreement=agreement, latest=latest)


def _text_conflict(agreement, form, conflict: EditConflict):
    """Both texts and their difference; the form now builds on the newest version (409)."""
    latest, yours = conflict.current, form.text.data
    return render_form("agreements/conflict.html", form, outcome=conflict, agreement=agreement, latest=latest,
                       yours=yours, diff=textdiff.inline_html(textdiff.compare(latest.text, yours)))


@bp.route("/<int:agreement_id>/angaben", methods=["GET", "POST"])
@requires("agreements.create")
def edit_details(agreement_id):
    agreement = _agreement(agreement_id, "agreement.edit")
    # Only a GET fills the form from the record: a POST must carry its own version.
    form = AgreementDetailsForm(obj=agreement if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            workflow.edit_details(agreement, version=form.version.data, title=form.title.data.strip(),
                                  kind=form.kind.data, review_by=form.review_by.data, actor=_me())
        except (EditConflict, Refused) as outcome:
            return render_form("agreements/details_form.html", form, outcome=outcome, agreement=agreement)
        flash(_("Die Angaben wurden gespeichert."), "success")
        return see_other("agreements.detail", agreement_id=agreement.id)
    return render_form("agreements/details_form.html", form, agreement=agreement)


@bp.post("/<int:agreement_id>/status")
@requires("agreement.change_state")
def change_state(agreement_id):
    agreement = _agreement(agreement_id, "agreement.change_state")
    form = StateChangeForm()
    target = form.ziel.data or ""
    question = None if confirm.given() else _state_question(agreement, target, form)
    if question is not None:
        return confirm.ask(question)
    try:
        workflow.change_state(agreement, target, _me(), version=parse_version(form.version.data),
                              text_number=parse_version(form.fassung.data), **form.values())
    except Refused as refused:
        # The page as it is now (the forms carry the current version), with the person's input.
        return _detail_page(_agreement(agreement_id), state_form=form, refused=refused)
    flash(_("Neuer Status: %(state)s.", state=STATE_LABELS[target]), "success")
    return see_other("agreements.detail", agreement_id=agreement.id)


def _adoption_warnings(agreement: Agreement) -> list[str]:
    """What speaks against adopting now: a consultation still running, discussions not settled."""
    warnings = []
    if agreement.open_for_comments():
        warnings.append(_("Die Kommentierung läuft noch bis %(when)s: Wer noch kommentieren wollte, kann es "
                          "danach nicht mehr.", when=dates.when(agreement.comment_deadline)))
    unresolved = (Comment.select().where(Comment.agreement == agreement, Comment.parent.is_null(),
                                         Comment.resolved_at.is_null()).count())
    if unresolved:
        warnings.append(ngettext("%(num)d Diskussion ist noch nicht erledigt.",
                                 "%(num)d Diskussionen sind noch nicht erledigt.", unresolved))
    return warnings


def _state_question(agreement: Agreement, target: str, form: StateChangeForm) -> confirm.Question | None:
    """Adopting and superseding cannot be taken back: a second look, once the input is complete
    (incomplete input goes straight to the workflow, which says what is missing)."""
    back = url_for("agreements.detail", agreement_id=agreement.id)
    if target == ADOPTED and form.adopted_on.data:
        return confirm.Question(
            title=_("„%(title)s“ als beschlossen eintragen?", title=agreement.title),
            happens=[_("Die aktuelle Fassung gilt als am %(day)s beschlossen und kann nicht mehr geändert werden.",
                       day=dates.day(form.adopted_on.data)),
                     _("Die Kommentierung endet; Partner können die Vereinbarung lesen. Ihre Unterschriften "
                       "trägt die Netzwerkkoordination ein.") if agreement.takes_signatures else
                     _("Die Kommentierung endet; Partner können die Vereinbarung lesen.")],
            warnings=_adoption_warnings(agreement),
            button=_("Ja, als beschlossen eintragen"), back=back)
    if target == SUPERSEDED:
        successor = Agreement.get_or_none(Agreement.id == form.superseded_by.data) if form.superseded_by.data else None
        if form.superseded_by.data and successor not in workflow.successor_candidates(agreement):
            return None  # the workflow refuses it, with the reason
        return confirm.Question(
            title=_("„%(title)s“ als abgelöst kennzeichnen?", title=agreement.title),
            happens=[_("Die Vereinbarung gilt nicht mehr; sie bleibt zum Nachlesen erhalten."),
                     _("Abgelöst durch: „%(successor)s“.", successor=successor.title) if successor else
                     _("Es wird keine Nachfolgerin im Intranet genannt.")],
            button=_("Ja, als abgelöst kennzeichnen"), back=back)
    return None


# --- compare ----------------------------------------------------------------------------------

@bp.get("/<int:agreement_id>/vergleich")
@requires("agreements.list")
def compare(agreement_id):
    # Comparing shows earlier drafts: not for partners, also once the agreement is adopted.
    agreement = _agreement(agreement_id, "agreement.read_history")
    versions = _versions(agreement)
    newest = versions[-1].number
    old_number = request.args.get("von", type=int) or max(1, newest - 1)
    new_number = request.args.get("bis", type=int) or newest
    mode = "nebeneinander" if request.args.get("ansicht") == "nebeneinander" else "inline"
    # The text as readers see it, or (?quelle=1) the Markdown source in a monospaced box.
    source = request.args.get("quelle") == "1"
    old, new = _version(agreement, old_number), _version(agreement, new_number)
    pieces = textdiff.compare(old.text, new.text)
    context = dict(agreement=agreement, versions=versions, old=old, new=new, mode=mode, source=source,
                   summary=textdiff.summary(pieces))
    if mode == "inline":
        context["inline"] = textdiff.inline_html(pieces) if source else rendered_diff.render(pieces)
    else:
        context["left"], context["right"] = (textdiff.side_by_side_html(pieces) if source
                                             else rendered_diff.side_by_side(pieces))
    return render("agreements/compare.html", fragment="diff", **context)


# --- comments ---------------------------------------------------------------------------------

def _thread_response(agreement, anchor: str, refused: Refused | None = None, saved: int | None = None):
    """The section's threads (htmx), or back to the section on the page (plain form). A refusal
    comes with the current threads and its message (409). The comment just `saved` takes the
    focus: the form that had it is gone, and a screen reader then reads the comment."""
    if not wants_fragment():
        if refused is not None:
            return _detail_page(agreement, refused=refused)
        # at the comment just saved, where the person reads what they wrote, not at its section's top
        return see_other("agreements.detail", agreement_id=agreement.id,
                         _anchor=f"comment-{saved}" if saved else anchor)
    threads = _threads(agreement, anchor)[anchor]
    return _thread_fragment(agreement, anchor, threads, oob=True, focus=saved,
                            refusal=refused.message if refused else None, status=409 if refused else 200)


def _thread_fragment(agreement, anchor: str, threads, **context):
    """One section's `threads`, alone (htmx)."""
    versions = {v.id: v.number for v in AgreementVersion.select(AgreementVersion.id, AgreementVersion.number)
                .where(AgreementVersion.agreement == agreement)}
    return render("agreements/_thread.html", agreement=agreement, anchor=anchor, items=threads,
                  versions_by_id=versions, count=_count(threads), **context)


@bp.get("/<int:agreement_id>/abschnitte/<anchor>/diskussionen")
@requires("agreements.list")
def section_threads(agreement_id, anchor):
    """One section's discussions, the resolved ones too, in place of its folded count (htmx). It was
    taken from the whole page with every resolved discussion (600 KB after ten years). Without
    JavaScript that page is where the link leads."""
    agreement = _agreement(agreement_id)
    if not can("agreement.read_consultation", agreement):
        abort(404)
    if not wants_fragment():
        return see_other("agreements.detail", agreement_id=agreement.id, erledigt=1,
                         fassung=request.args.get("fassung", type=int), _anchor=f"{anchor}-thread")
    threads = _threads(agreement, anchor)[anchor]
    # the first discussion shown anew takes the focus: read from there, not from the section's top
    first_resolved = next((root.id for root, _replies in threads if root.resolved_at), None)
    return _thread_fragment(agreement, anchor, threads, focus=first_resolved)


def _comment_form(form, retarget: str, outcome=None, **context):
    """A comment form: in place for htmx (where it was opened), else as a page of its own."""
    slot = retarget.lstrip("#")
    form.scope_ids(slot)  # several comment forms can be open on one page
    # „Abbrechen“ leads back to what the form belongs to: its slot is named after it
    context["back"] = url_for("agreements.detail", agreement_id=context["agreement"].id,
                              _anchor=slot.removesuffix("-form"))
    if wants_fragment():  # opened in place: the cursor goes into the box (after a refusal: to the message)
        form.body.render_kw = {**(form.body.render_kw or {}), "autofocus": True}
    template = "agreements/_comment_form.html" if wants_fragment() else "agreements/comment_page.html"
    response = render_form(template, form, outcome=outcome, action=request.path, **context)
    if wants_fragment() and response.status_code in (409, 422):
        # The form posts into the thread; its errors belong into the form's own place.
        response.headers["HX-Retarget"] = retarget
        response.headers["HX-Reswap"] = "innerHTML"
    return response


@bp.route("/<int:agreement_id>/abschnitte/<anchor>/kommentar", methods=["GET", "POST"])
@requires("agreements.list")
def comment(agreement_id, anchor):
    agreement = _agreement(agreement_id, "agreement.comment")
    version = _version(agreement, None)
    section = next((s for s in split(version.text) if s.anchor == anchor), None)
    if section is None:
        abort(404)
    form = CommentForm()
    context = dict(agreement=agreement, section=section, anchor=anchor,
                   heading=_("Kommentar zu „%(section)s“", section=section.heading or _("Einleitung")))
    if form.validate_on_submit():
        try:
            saved = workflow.add_comment(agreement, version, anchor=anchor, heading=section.heading,
                                         body=form.body.data, author=_me(), token=form.once_token)
        except Refused as refused:
            return _comment_form(form, f"#{anchor}-form", outcome=refused, **context)
        if not wants_fragment():
            flash(_("Ihr Kommentar wurde gespeichert."), "success")
        return _thread_response(agreement, anchor, saved=saved.id)
    return _comment_form(form, f"#{anchor}-form", **context)


@bp.route("/kommentare/<int:comment_id>/antwort", methods=["GET", "POST"])
@requires("agreements.list")
def reply(comment_id):
    parent = _comment(comment_id)
    agreement = parent.agreement
    authorize("agreement.comment", agreement)
    form = CommentForm()
    context = dict(agreement=agreement, anchor=parent.section_anchor, parent=parent,
                   heading=_("Antwort an %(name)s", name=parent.author.name))
    if form.validate_on_submit():
        try:
            saved = workflow.add_comment(agreement, _version(agreement, None), anchor=parent.section_anchor,
                                         heading=parent.section_heading, body=form.body.data, author=_me(),
                                         parent=parent, token=form.once_token)
        except Refused as refused:
            return _comment_form(form, f"#comment-{parent.id}-form", outcome=refused, **context)
        if not wants_fragment():
            flash(_("Ihre Antwort wurde gespeichert."), "success")
        return _thread_response(agreement, parent.section_anchor, saved=saved.id)
    return _comment_form(form, f"#comment-{parent.id}-form", **context)


@bp.route("/kommentare/<int:comment_id>/bearbeiten", methods=["GET", "POST"])
@requires("agreements.list")
def edit_comment(comment_id):
    comment = _comment(comment_id, "comment.edit")
    # Only a GET fills the form from the record: a POST must carry its own version.
    form = CommentEditForm(**({"body": comment.body, "version": comment.revision} if request.method == "GET" else {}))
    context = dict(agreement=comment.agreement, anchor=comment.section_anchor, heading=_("Kommentar bearbeiten"))
    if form.validate_on_submit():
        try:
            workflow.edit_comment(comment, form.body.data, _me(), version=parse_version(form.version.data))
        except (EditConflict, Refused) as outcome:
            return _comment_form(form, f"#comment-{comment.id}-form", outcome=outcome, **context)
        if not wants_fragment():
            flash(_("Ihre Änderung wurde gespeichert."), "success")
        return _thread_response(comment.agreement, comment.section_anchor, saved=comment.id)
    return _comment_form(form, f"#comment-{comment.id}-form", **context)


@bp.post("/kommentare/<int:comment_id>/erledigt")
@requires("comment.resolve")
def resolve(comment_id):
    return _set_resolved(comment_id, True)


@bp.post("/kommentare/<int:comment_id>/wieder-offen")
@requires("comment.resolve")
def reopen(comment_id):
    return _set_resolved(comment_id, False)


def _set_resolved(comment_id: int, resolved: bool):
    comment = _comment(comment_id, "comment.resolve")
    form = VersionedForm()  # the thread's revision the button was shown with
    try:
        workflow.set_resolved(comment, resolved, _me(), version=parse_version(form.version.data))
    except Refused as refused:
        return _thread_response(comment.agreement, comment.section_anchor, refused)
    return _thread_response(comment.agreement, comment.section_anchor)


# --- signatures, print, PDF ---------------------------------------------------------------------

@bp.post("/<int:agreement_id>/unterschriften")
@requires("agreements.list")
def sign(agreement_id):
    agreement = _agreement(agreement_id)
    authorize("agreement.sign", agreement)
    form = SignatureForm()
    # Accept every organisation the person may sign for: one signed meanwhile (or by this very
    # form, sent twice) is the workflow's to answer, not a "not a valid choice".
    signable = {str(o.id): o for o in _signable(agreement)}
    form.organisation.choices = with_placeholder((key, o.name) for key, o in signable.items())
    if form.validate_on_submit():
        organisation = signable[form.organisation.data]
        try:
            workflow.record_signature(agreement, organisation, signer_name=form.signer_name.data.strip(),
                                      signer_function=(form.signer_function.data or "").strip(),
                                      signed_on=form.signed_on.data, accession=form.accession.data,
                                      recorded_by=_me(), token=form.once_token)
        except Refused as refused:
            return _sign_page(agreement, form, outcome=refused)
        flash(_("Die Unterschrift für %(organisation)s wurde eingetragen.", organisation=organisation.name), "success")
        return see_other("agreements.detail", agreement_id=agreement.id, _anchor="unterschriften")
    return _sign_page(agreement, form)


def _sign_page(agreement, form, outcome=None):
    context = _signature_context(agreement, form)
    context.pop("signature_form")  # None when every organisation has signed: the page says so
    return render_form("agreements/sign_page.html", form, outcome=outcome, form_name="signature_form",
                       agreement=agreement, **context)


def _print_context(agreement):
    version = _version(agreement, None)
    return dict(agreement=agreement, version=version, sections=split(version.text),
                signatures=_signatures(agreement))


@bp.get("/<int:agreement_id>/druck")
@requires("agreements.list")
def print_view(agreement_id):
    return render("agreements/print.html", **_print_context(_agreement(agreement_id)))


@bp.get("/<int:agreement_id>/pdf")
@requires("agreements.list")
def pdf_download(agreement_id):
    agreement = _agreement(agreement_id)
    version = _version(agreement, None)
    # Kept for drafts too: a draft's text changes only by a new numbered version, and a long one
    # (a table of thousands of rows) takes fpdf2 seconds, at every download otherwise.
    signed = Signature.select(fn.COUNT(Signature.id), fn.MAX(Signature.id)).where(
        Signature.agreement == agreement).tuples().first()
    fingerprint = pdf_cache.fingerprint_of(agreement.state, agreement.title, agreement.kind, agreement.adopted_on,
                                           agreement.review_by, version.number, signed, pdf_cache.names_mark())
    body = pdf_cache.cached("agreement", agreement.id, fingerprint, str(get_locale()),
                            lambda: pdf.agreement_pdf(**_print_context(agreement)))
    filename = f"vereinbarung-{agreement_id}-fassung-{version.number}.pdf"
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": content_disposition(filename)})
