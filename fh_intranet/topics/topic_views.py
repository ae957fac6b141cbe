"""Topics (Schwerpunktthemen): proposed by members, curated by the coordinator."""
from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import confirm
from ..changes import EditConflict, Refused
from ..forms import with_placeholder
from ..meetings.models import Body
from ..paging import paginate
from ..people.models import Person
from ..permissions import authorize, can, requires
from ..web import refusal_response, render, render_form, see_other
from . import voting, workflow
from .forms import MergeForm, ProposeForm, TopicForm
from .models import PROPOSED, RoundTopic, Topic, VotingRound

bp = Blueprint("topics", __name__, url_prefix="/themen")


def _topic(topic_id: int) -> Topic:
    topic = Topic.get_or_none(Topic.id == topic_id)
    if topic is None:
        abort(404)
    return topic


def _body_choices():
    return [("", _("– offen –"))] + [(str(b.id), b.name) for b in Body.select().where(~Body.archived).order_by(Body.name)]


def _merge_form(topic: Topic) -> MergeForm:
    form = MergeForm()
    form.into.choices = with_placeholder(
        (str(t.id), t.title) for t in Topic.select().where(Topic.state == PROPOSED, Topic.id != topic.id).order_by(Topic.title))
    return form


def _topic_fields(form) -> dict:
    return {"title": form.title.data.strip(), "description": (form.description.data or "").strip(),
            "body_id": int(form.body.data) if form.body.data else None}


@bp.get("/")
@requires("topics.view")
def index():
    show = request.args.get("zeigen", "aktuell")
    query = (Topic.select(Topic.id, Topic.title, Topic.state, Person.name)
             .join(Person, on=(Topic.proposed_by == Person.id))
             .order_by(Topic.title, Topic.id))
    query = query.where(Topic.state == PROPOSED) if show == "aktuell" else query.where(Topic.state != PROPOSED)
    return render("topics/index.html", topics=paginate(query), show=show, fragment="topic_list")


@bp.route("/neu", methods=["GET", "POST"])
@requires("topics.propose")
def propose():
    form = ProposeForm()
    form.body.choices = _body_choices()
    if not form.validate_on_submit():
        return render_form("topics/form.html", form, topic=None)
    topic = workflow.propose_topic(**_topic_fields(form), proposer=current_user._get_current_object(),
                                   token=form.once_token)
    flash(_("Danke! Das Thema „%(title)s“ ist vorgeschlagen.", title=topic.title), "success")
    return see_other("topics.detail", topic_id=topic.id)


def _detail_page(topic: Topic, status: int = 200):
    """The topic page; a stale one-click action answers with it (409) and the message flashed."""
    rounds = list(VotingRound.select().join(RoundTopic).where(RoundTopic.topic == topic).order_by(VotingRound.opens_at))
    # Closed rounds cite their frozen results (the title and score as they were at the close).
    frozen = voting.frozen_results_of(topic.id, [r for r in rounds if r.is_final])
    history = [(round_, frozen.get(round_.id) if round_.is_final else
                voting.result_for(round_, topic.id) if round_.is_closed else None) for round_ in rounds]
    # The merge form lists every proposed topic: only for those who may merge.
    merge_form = _merge_form(topic) if can("topics.manage") and not topic.is_merged else None
    return render("topics/detail.html", topic=topic, history=history, merge_form=merge_form,
                  merged=list(Topic.select().where(Topic.merged_into == topic)), status=status)


@bp.get("/<int:topic_id>")
@requires("topics.view")
def detail(topic_id):
    return _detail_page(_topic(topic_id))


@bp.route("/<int:topic_id>/bearbeiten", methods=["GET", "POST"])
@requires("topics.propose")
def edit(topic_id):
    topic = _topic(topic_id)
    authorize("topic.edit", topic)
    form = TopicForm(obj=topic if request.method == "GET" else None)
    form.body.choices = _body_choices()
    if request.method == "GET":
        form.body.data = str(topic.body_id or "")
    if not form.validate_on_submit():
        return render_form("topics/form.html", form, topic=topic)
    try:
        workflow.update_topic(topic, form.version.data, **_topic_fields(form), actor=current_user._get_current_object())
    except (EditConflict, Refused) as outcome:
        return render_form("topics/form.html", form, outcome=outcome, topic=topic)
    flash(_("Das Thema wurde gespeichert."), "success")
    return see_other("topics.detail", topic_id=topic.id)


@bp.post("/<int:topic_id>/zusammenfuehren")
@requires("topics.manage")
def merge(topic_id):
    topic = _topic(topic_id)
    form = _merge_form(topic)
    if not form.validate_on_submit():
        flash(_("Bitte ein anderes, aktuelles Thema wählen."), "error")
        return see_other("topics.detail", topic_id=topic.id)
    survivor = _topic(int(form.into.data))
    if not confirm.given() and topic.is_current and survivor.is_current:
        return confirm.ask(confirm.Question(
            title=_("„%(old)s“ mit „%(new)s“ zusammenführen?", old=topic.title, new=survivor.title),
            happens=[_("„%(old)s“ wird Teil von „%(new)s“ und steht nicht mehr zur Wahl.",
                       old=topic.title, new=survivor.title),
                     _("In geplanten und laufenden Abstimmungen gehen sein Platz und seine Stimmen auf "
                       "„%(new)s“ über; abgeschlossene Ergebnisse bleiben, wie sie sind.", new=survivor.title)],
            button=_("Ja, zusammenführen"), back=url_for("topics.detail", topic_id=topic.id)))
    try:
        workflow.merge_topics(topic, survivor, current_user._get_current_object())
    except Refused as refused:
        return refusal_response(refused, "topics.detail", topic_id=topic.id)
    flash(_("„%(old)s“ wurde mit „%(new)s“ zusammengeführt.", old=topic.title, new=survivor.title), "success")
    return see_other("topics.detail", topic_id=survivor.id)


@bp.post("/<int:topic_id>/archivieren")
@requires("topics.manage")
def archive(topic_id):
    topic = _topic(topic_id)
    try:
        new_state = workflow.toggle_archived(topic, request.form.get("version"), current_user._get_current_object())
    except Refused as refused:
        return refusal_response(refused, "topics.detail", topic_id=topic.id)
    except EditConflict as conflict:
        flash(_("Jemand anderes hat das Thema inzwischen geändert (jetzt: %(state)s); es wurde nichts geändert. "
                "Prüfen Sie den Stand und versuchen Sie es erneut.", state=conflict.current.state_label), "error")
        return _detail_page(conflict.current, status=409)
    flash(_("Das Thema wurde archiviert.") if new_state != PROPOSED else _("Das Thema ist wieder aktuell."), "success")
    return see_other("topics.detail", topic_id=topic.id)
