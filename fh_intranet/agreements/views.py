"""Cooperation agreements: list, read, write versions, compare, consult, adopt, sign, print."""
from collections import defaultdict
from datetime import date

from flask import Blueprint, Response, abort, flash, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from peewee import JOIN

from .. import audit, textdiff
from ..changes import CONFLICT_MESSAGE, EditConflict, parse_version, update_versioned
from ..db import database
from ..people.models import Organisation, Person
from ..permissions import authorize, can, requires
from ..timezones import berlin_to_utc
from ..web import render, see_other, wants_fragment
from . import pdf, workflow
from .forms import (
    AdoptionForm,
    AgreementDetailsForm,
    CommentForm,
    ConsultationForm,
    NewAgreementForm,
    SignatureForm,
    SupersedeForm,
    VersionForm,
)
from .models import (
    ADOPTED,
    CONSULTATION,
    DRAFT,
    STATE_LABELS,
    SUPERSEDED,
    Agreement,
    AgreementVersion,
    Comment,
    Signature,
    StateChange,
)
from .sections import split

bp = Blueprint("agreements", __name__, url_prefix="/vereinbarungen")

REFUSALS = {
    "frozen": _l("Eine beschlossene oder abgelöste Vereinbarung kann nicht mehr geändert werden."),
    "transition": _l("Dieser Statuswechsel ist nicht möglich."),
    "deadline": _l("Bitte eine Frist in der Zukunft angeben."),
    "adopted_on": _l("Bitte das Datum des Beschlusses angeben."),
    "self": _l("Eine Vereinbarung kann sich nicht selbst ablösen."),
    "stale": _l("Der Status wurde inzwischen von jemand anderem geändert."),
    "closed": _l("Die Kommentierung ist beendet; Kommentare sind nicht mehr möglich."),
    "thread": _l("Auf diesen Kommentar kann nicht geantwortet werden."),
    "not_adopted": _l("Unterschriften gibt es nur für beschlossene Vereinbarungen."),
    "already_signed": _l("Für diese Organisation ist schon eine Unterschrift eingetragen."),
}


# --- loading ----------------------------------------------------------------------------------

def _agreement(agreement_id: int, permission: str = "agreement.read") -> Agreement:
    agreement = Agreement.get_or_none(Agreement.id == agreement_id)
    if agreement is None or not can("agreement.read", agreement):
        abort(404)  # partners must not learn that a draft exists
    authorize(permission, agreement)
    return agreement


def _comment(comment_id: int, permission: str) -> Comment:
    comment = Comment.get_or_none(Comment.id == comment_id)
    if comment is None or not can("agreement.read", comment.agreement):
        abort(404)
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


def _threads(agreement, anchor: str | None = None) -> dict[str, list[tuple[Comment, list[Comment]]]]:
    """Comment threads per section anchor, authors and resolvers joined in (one query)."""
    resolver = Person.alias()
    query = (Comment.select(Comment, Person, resolver)
             .join(Person, on=(Comment.author == Person.id), attr="author")
             .switch(Comment).join(resolver, JOIN.LEFT_OUTER, on=(Comment.resolved_by == resolver.id),
                                   attr="resolved_by")
             .where(Comment.agreement == agreement).order_by(Comment.created_at, Comment.id))
    if anchor is not None:
        query = query.where(Comment.section_anchor == anchor)
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


def _count(threads) -> int:
    return sum(1 + len(replies) for _, replies in threads)


# --- list and read ----------------------------------------------------------------------------

@bp.get("/")
@requires("agreements.list")
def index():
    query = Agreement.select().order_by(Agreement.state, Agreement.title)
    if not can("agreements.create"):
        query = [a for a in query if can("agreement.read", a)]
    grouped = defaultdict(list)
    for agreement in query:
        grouped[agreement.state].append(agreement)
    return render("agreements/index.html", grouped=grouped, states=STATE_LABELS)


@bp.get("/<int:agreement_id>")
@requires("agreements.list")
def detail(agreement_id):
    agreement = _agreement(agreement_id)
    versions = _versions(agreement)
    shown = _version(agreement, request.args.get("fassung", type=int))
    sections = split(shown.text)
    # Consultation threads are the steering group's working material, not part of the adopted text.
    threads = _threads(agreement) if can("agreement.read_consultation") else {}
    anchors = {section.anchor for section in sections}
    orphaned = {anchor: items for anchor, items in threads.items() if anchor not in anchors}
    context = dict(agreement=agreement, versions=versions, shown=shown, latest=versions[-1],
                   sections=sections, threads=threads, orphaned=orphaned,
                   counts={anchor: _count(items) for anchor, items in threads.items()},
                   versions_by_id={v.id: v.number for v in versions},
                   history=list(StateChange.select(StateChange, Person).join(Person)
                                .where(StateChange.agreement == agreement).order_by(StateChange.created_at)),
                   comment_form=CommentForm())
    if agreement.is_frozen:
        context.update(_signature_context(agreement))
    if can("agreement.change_state", agreement):
        context.update(consultation_form=ConsultationForm(), adoption_form=AdoptionForm(),
                       supersede_form=_supersede_form(agreement))
    return render("agreements/detail.html", **context)


def _signatures(agreement) -> list[Signature]:
    return list(Signature.select(Signature, Organisation, AgreementVersion)
                .join(Organisation).switch(Signature).join(AgreementVersion)
                .where(Signature.agreement == agreement).order_by(Signature.signed_on, Organisation.name))


def _signature_context(agreement, form=None):
    signatures = _signatures(agreement)
    signed = {s.organisation_id for s in signatures}
    unsigned = [o for o in Organisation.select().order_by(Organisation.name) if o.id not in signed]
    if form is None and can("agreement.sign", agreement):
        form = SignatureForm(signed_on=date.today())
    if form is not None:
        allowed = [o for o in unsigned if can("agreement.sign", Signature(agreement=agreement, organisation=o))]
        form.organisation.choices = [(str(o.id), o.name) for o in allowed]
        if not allowed:
            form = None
    return {"signatures": signatures, "unsigned": unsigned, "signature_form": form}


def _supersede_form(agreement):
    form = SupersedeForm()
    form.superseded_by.choices = [("", _("– keine Angabe –"))] + [
        (str(a.id), a.title) for a in Agreement.select()
        .where(Agreement.id != agreement.id, Agreement.state == ADOPTED).order_by(Agreement.title)]
    return form


# --- write ------------------------------------------------------------------------------------

@bp.route("/neu", methods=["GET", "POST"])
@requires("agreements.create")
def create():
    form = NewAgreementForm()
    if form.validate_on_submit():
        agreement = workflow.create_agreement(title=form.title.data.strip(), kind=form.kind.data,
                                              review_by=form.review_by.data, text=form.text.data,
                                              author=current_user._get_current_object())
        flash(_("Der Entwurf „%(title)s“ wurde angelegt.", title=agreement.title), "success")
        return see_other("agreements.detail", agreement_id=agreement.id)
    return render("agreements/new.html", form=form, status=422 if form.is_submitted() else 200)


@bp.route("/<int:agreement_id>/bearbeiten", methods=["GET", "POST"])
@requires("agreements.create")
def edit(agreement_id):
    agreement = _agreement(agreement_id, "agreement.edit")
    latest = _version(agreement, None)
    form = VersionForm()
    if not form.is_submitted():
        form.text.data, form.base_number.data = latest.text, str(latest.number)
        return render("agreements/edit.html", agreement=agreement, form=form, latest=latest)
    if not form.validate():
        return render("agreements/edit.html", agreement=agreement, form=form, latest=latest, status=422)
    try:
        version = workflow.save_version(agreement, base_number=parse_version(form.base_number.data), text=form.text.data,
                                        change_note=form.change_note.data.strip(),
                                        author=current_user._get_current_object())
    except workflow.VersionConflict as conflict:
        return _version_conflict(agreement, form, conflict.latest)
    except workflow.Refused as refused:
        abort(409, REFUSALS[str(refused)])
    flash(_("Fassung %(number)d wurde gespeichert.", number=version.number), "success")
    return see_other("agreements.detail", agreement_id=agreement.id)


def _version_conflict(agreement, form, latest):
    """Both texts and their difference; the form now builds on the newest version."""
    yours = form.text.data
    pieces = textdiff.compare(latest.text, yours)
    form.base_number.data = str(latest.number)
    return render("agreements/conflict.html", agreement=agreement, form=form, latest=latest, yours=yours,
                  diff=textdiff.inline_html(pieces), status=409)


@bp.route("/<int:agreement_id>/angaben", methods=["GET", "POST"])
@requires("agreements.create")
def edit_details(agreement_id):
    agreement = _agreement(agreement_id, "agreement.edit")
    form = AgreementDetailsForm(obj=agreement if request.method == "GET" else None)
    if not form.is_submitted():
        return render("agreements/details_form.html", agreement=agreement, form=form)
    if form.validate():
        try:
            with database.atomic():
                changed = update_versioned(agreement, form.version.data, {
                    "title": form.title.data.strip(), "kind": form.kind.data, "review_by": form.review_by.data})
                if changed:
                    audit.record("agreement.details_changed", agreement, changes=changed)
        except EditConflict:
            form.form_errors.append(CONFLICT_MESSAGE)
            current = Agreement.get_by_id(agreement.id)
            form.version.data = current.version
            return render("agreements/details_form.html", agreement=current, form=form, conflict=current, status=409)
        flash(_("Die Angaben wurden gespeichert."), "success")
        return see_other("agreements.detail", agreement_id=agreement.id)
    return render("agreements/details_form.html", agreement=agreement, form=form, status=422)


@bp.post("/<int:agreement_id>/status")
@requires("agreement.change_state")
def change_state(agreement_id):
    agreement = _agreement(agreement_id, "agreement.change_state")
    target = request.form.get("ziel", "")
    me = current_user._get_current_object()
    try:
        if target == CONSULTATION:
            form = ConsultationForm()
            if not form.validate():
                raise workflow.Refused("deadline")
            workflow.change_state(agreement, CONSULTATION, me, deadline=berlin_to_utc(form.deadline.data))
        elif target == ADOPTED:
            form = AdoptionForm()
            if not form.validate():
                raise workflow.Refused("adopted_on")
            workflow.change_state(agreement, ADOPTED, me, adopted_on=form.adopted_on.data)
        elif target == SUPERSEDED:
            successor_id = request.form.get("superseded_by", type=int)
            successor = (Agreement.get_or_none(Agreement.id == successor_id, Agreement.state == ADOPTED)
                         if successor_id else None)
            workflow.change_state(agreement, SUPERSEDED, me, superseded_by=successor)
        elif target == DRAFT:
            workflow.change_state(agreement, DRAFT, me)
        else:
            raise workflow.Refused("transition")
    except workflow.Refused as refused:
        flash(REFUSALS[str(refused)], "error")
        return see_other("agreements.detail", agreement_id=agreement.id)
    flash(_("Neuer Status: %(state)s.", state=STATE_LABELS[target]), "success")
    return see_other("agreements.detail", agreement_id=agreement.id)


# --- compare ----------------------------------------------------------------------------------

@bp.get("/<int:agreement_id>/vergleich")
@requires("agreements.list")
def compare(agreement_id):
    agreement = _agreement(agreement_id)
    versions = _versions(agreement)
    newest = versions[-1].number
    old_number = request.args.get("von", type=int) or max(1, newest - 1)
    new_number = request.args.get("bis", type=int) or newest
    mode = "nebeneinander" if request.args.get("ansicht") == "nebeneinander" else "inline"
    old, new = _version(agreement, old_number), _version(agreement, new_number)
    pieces = textdiff.compare(old.text, new.text)
    context = dict(agreement=agreement, versions=versions, old=old, new=new, mode=mode,
                   summary=textdiff.summary(pieces))
    if mode == "inline":
        context["inline"] = textdiff.inline_html(pieces)
    else:
        context["left"], context["right"] = textdiff.side_by_side_html(pieces)
    return render("agreements/compare.html", fragment="diff", **context)


# --- comments ---------------------------------------------------------------------------------

def _thread_response(agreement, anchor: str, status: int = 200):
    """The section's threads (htmx), or back to the section on the page (plain form)."""
    if not wants_fragment():
        return see_other("agreements.detail", agreement_id=agreement.id, _anchor=anchor)
    versions = {v.id: v.number for v in AgreementVersion.select(AgreementVersion.id, AgreementVersion.number)
                .where(AgreementVersion.agreement == agreement)}
    threads = _threads(agreement, anchor)[anchor]
    return render("agreements/_thread.html", agreement=agreement, anchor=anchor, items=threads,
                  versions_by_id=versions, count=_count(threads), oob=True, status=status)


def _form_response(template: str, status: int, retarget: str, **context):
    # Several comment forms can be open on one page: give each its own field id.
    context["form"].body.id = f"{retarget.lstrip('#')}-body"
    response = render(template, status=status, **context)
    if wants_fragment() and status == 422:
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
    if form.validate_on_submit():
        try:
            workflow.add_comment(agreement, version, anchor=anchor, heading=section.heading, body=form.body.data,
                                 author=current_user._get_current_object())
        except workflow.Refused as refused:
            abort(409, REFUSALS[str(refused)])
        if not wants_fragment():
            flash(_("Ihr Kommentar wurde gespeichert."), "success")
        return _thread_response(agreement, anchor)
    template = "agreements/_comment_form.html" if wants_fragment() else "agreements/comment_page.html"
    return _form_response(template, 422 if form.is_submitted() else 200, f"#{anchor}-form",
                          agreement=agreement, section=section, anchor=anchor, form=form,
                          action=request.path, heading=_("Kommentar zu „%(section)s“", section=section.heading or _("Einleitung")))


@bp.route("/kommentare/<int:comment_id>/antwort", methods=["GET", "POST"])
@requires("agreements.list")
def reply(comment_id):
    parent = _comment(comment_id, "agreement.read")
    agreement = parent.agreement
    authorize("agreement.comment", agreement)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            workflow.add_comment(agreement, _version(agreement, None), anchor=parent.section_anchor,
                                 heading=parent.section_heading, body=form.body.data,
                                 author=current_user._get_current_object(), parent=parent)
        except workflow.Refused as refused:
            abort(409, REFUSALS[str(refused)])
        if not wants_fragment():
            flash(_("Ihre Antwort wurde gespeichert."), "success")
        return _thread_response(agreement, parent.section_anchor)
    template = "agreements/_comment_form.html" if wants_fragment() else "agreements/comment_page.html"
    return _form_response(template, 422 if form.is_submitted() else 200, f"#comment-{parent.id}-form",
                          agreement=agreement, anchor=parent.section_anchor, form=form, action=request.path,
                          parent=parent, heading=_("Antwort an %(name)s", name=parent.author.name))


@bp.route("/kommentare/<int:comment_id>/bearbeiten", methods=["GET", "POST"])
@requires("agreements.list")
def edit_comment(comment_id):
    comment = _comment(comment_id, "comment.edit")
    form = CommentForm(body=comment.body if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            workflow.edit_comment(comment, form.body.data, current_user._get_current_object())
        except workflow.Refused as refused:
            abort(409, REFUSALS[str(refused)])
        return _thread_response(comment.agreement, comment.section_anchor)
    template = "agreements/_comment_form.html" if wants_fragment() else "agreements/comment_page.html"
    return _form_response(template, 422 if form.is_submitted() else 200, f"#comment-{comment.id}-form",
                          agreement=comment.agreement, anchor=comment.section_anchor, form=form,
                          action=request.path, heading=_("Kommentar bearbeiten"))


@bp.post("/kommentare/<int:comment_id>/erledigt")
@requires("comment.resolve")
def resolve(comment_id):
    comment = _comment(comment_id, "comment.resolve")
    workflow.set_resolved(comment, True, current_user._get_current_object())
    return _thread_response(comment.agreement, comment.section_anchor)


@bp.post("/kommentare/<int:comment_id>/wieder-offen")
@requires("comment.resolve")
def reopen(comment_id):
    comment = _comment(comment_id, "comment.resolve")
    workflow.set_resolved(comment, False, current_user._get_current_object())
    return _thread_response(comment.agreement, comment.section_anchor)


# --- signatures, print, PDF ---------------------------------------------------------------------

@bp.post("/<int:agreement_id>/unterschriften")
@requires("agreements.list")
def sign(agreement_id):
    agreement = _agreement(agreement_id)
    authorize("agreement.sign", agreement)
    form = SignatureForm()
    context = _signature_context(agreement, form)
    if context["signature_form"] is not None and form.validate_on_submit():
        organisation = Organisation.get_by_id(int(form.organisation.data))
        authorize("agreement.sign", Signature(agreement=agreement, organisation=organisation))
        try:
            workflow.record_signature(agreement, organisation, signer_name=form.signer_name.data.strip(),
                                      signer_function=(form.signer_function.data or "").strip(),
                                      signed_on=form.signed_on.data, accession=form.accession.data,
                                      recorded_by=current_user._get_current_object())
        except workflow.Refused as refused:
            flash(REFUSALS[str(refused)], "error")
            return see_other("agreements.detail", agreement_id=agreement.id)
        flash(_("Die Unterschrift für %(organisation)s wurde eingetragen.", organisation=organisation.name), "success")
        return see_other("agreements.detail", agreement_id=agreement.id, _anchor="unterschriften")
    if context["signature_form"] is None:
        flash(REFUSALS["already_signed"], "error")
        return see_other("agreements.detail", agreement_id=agreement.id)
    return render("agreements/sign_page.html", agreement=agreement, status=422, **context)


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
    context = _print_context(_agreement(agreement_id))
    body = pdf.agreement_pdf(**context)
    filename = f"vereinbarung-{agreement_id}-fassung-{context['version'].number}.pdf"
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
