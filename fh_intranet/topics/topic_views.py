"""Topics (Schwerpunktthemen): proposed by members, curated by the coordinator."""
from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import audit
from ..changes import CONFLICT_MESSAGE, EditConflict, update_versioned
from ..db import database
from ..meetings.models import Body
from ..people.models import Person
from ..permissions import requires
from ..web import render, see_other
from .forms import MergeForm, TopicForm
from .models import ARCHIVED, MERGED, PROPOSED, RoundTopic, Topic, Vote, VotingRound
from .voting import results

bp = Blueprint("topics", __name__, url_prefix="/themen")


def _topic(topic_id: int) -> Topic:
    topic = Topic.get_or_none(Topic.id == topic_id)
    if topic is None:
        abort(404)
    return topic


def _body_choices():
    return [("", _("– offen –"))] + [(str(b.id), b.name) for b in Body.select().where(~Body.archived).order_by(Body.name)]


@bp.get("/")
@requires("topics.view")
def index():
    show = request.args.get("zeigen", "aktuell")
    query = Topic.select(Topic, Person).join(Person, on=(Topic.proposed_by == Person.id)).order_by(Topic.title)
    query = query.where(Topic.state == PROPOSED) if show == "aktuell" else query.where(Topic.state != PROPOSED)
    return render("topics/index.html", topics=list(query), show=show)


@bp.route("/neu", methods=["GET", "POST"])
@requires("topics.propose")
def propose():
    form = TopicForm()
    form.body.choices = _body_choices()
    if form.validate_on_submit():
        with database.atomic():
            topic = Topic.create(title=form.title.data.strip(), description=(form.description.data or "").strip(),
                                 body=int(form.body.data) if form.body.data else None, proposed_by=current_user.id)
            audit.record("topic.proposed", topic, title=topic.title)
        flash(_("Danke! Das Thema „%(title)s“ ist vorgeschlagen.", title=topic.title), "success")
        return see_other("topics.detail", topic_id=topic.id)
    return render("topics/form.html", form=form, topic=None, status=422 if form.is_submitted() else 200)


@bp.get("/<int:topic_id>")
@requires("topics.view")
def detail(topic_id):
    topic = _topic(topic_id)
    rounds = list(VotingRound.select().join(RoundTopic).where(RoundTopic.topic == topic).order_by(VotingRound.opens_at))
    history = []
    for round_ in rounds:
        mine = next((r for r in results(round_) if r.topic.id == topic.id), None) if round_.is_closed else None
        history.append((round_, mine))
    merge_form = MergeForm()
    merge_form.into.choices = [(str(t.id), t.title) for t in
                               Topic.select().where(Topic.state == PROPOSED, Topic.id != topic.id).order_by(Topic.title)]
    return render("topics/detail.html", topic=topic, history=history, merge_form=merge_form,
                  merged=list(Topic.select().where(Topic.merged_into == topic)))


@bp.route("/<int:topic_id>/bearbeiten", methods=["GET", "POST"])
@requires("topics.manage")
def edit(topic_id):
    topic = _topic(topic_id)
    form = TopicForm(obj=topic if request.method == "GET" else None)
    form.body.choices = _body_choices()
    if request.method == "GET":
        form.body.data = str(topic.body_id or "")
        return render("topics/form.html", form=form, topic=topic)
    if form.validate():
        try:
            with database.atomic():
                changed = update_versioned(topic, form.version.data, {
                    "title": form.title.data.strip(), "description": (form.description.data or "").strip(),
                    "body_id": int(form.body.data) if form.body.data else None})
                if changed:
                    audit.record("topic.updated", topic, changes=sorted(changed))
        except EditConflict:
            form.form_errors.append(CONFLICT_MESSAGE)
            form.version.data = Topic.get_by_id(topic.id).version
            return render("topics/form.html", form=form, topic=topic, status=409)
        flash(_("Das Thema wurde gespeichert."), "success")
        return see_other("topics.detail", topic_id=topic.id)
    return render("topics/form.html", form=form, topic=topic, status=422)


@bp.post("/<int:topic_id>/zusammenfuehren")
@requires("topics.manage")
def merge(topic_id):
    topic = _topic(topic_id)
    if topic.state != PROPOSED:
        flash(_("Nur aktuelle Themen können zusammengeführt werden."), "error")
        return see_other("topics.detail", topic_id=topic.id)
    form = MergeForm()
    form.into.choices = [(str(t.id), t.title) for t in Topic.select().where(Topic.state == PROPOSED, Topic.id != topic.id)]
    if not form.validate_on_submit():
        flash(_("Bitte ein anderes, aktuelles Thema wählen."), "error")
        return see_other("topics.detail", topic_id=topic.id)
    survivor = _topic(int(form.into.data))
    merge_topics(topic, survivor)
    flash(_("„%(old)s“ wurde mit „%(new)s“ zusammengeführt.", old=topic.title, new=survivor.title), "success")
    return see_other("topics.detail", topic_id=survivor.id)


def merge_topics(duplicate: Topic, survivor: Topic) -> None:
    """Votes and round links of `duplicate` move to `survivor`; the duplicate stays readable."""
    with database.atomic():
        for link in RoundTopic.select().where(RoundTopic.topic == duplicate):
            if RoundTopic.select().where(RoundTopic.round == link.round_id, RoundTopic.topic == survivor).exists():
                link.delete_instance()
            else:
                RoundTopic.update(topic=survivor).where(RoundTopic.id == link.id).execute()
        for vote in Vote.select().where(Vote.topic == duplicate):
            twin = Vote.get_or_none(Vote.ballot == vote.ballot_id, Vote.topic == survivor)
            if twin is None:
                Vote.update(topic=survivor).where(Vote.id == vote.id).execute()
            else:  # the same voter supported both: keep the support, the better rank
                ranks = [r for r in (twin.rank, vote.rank) if r]
                Vote.update(points=twin.points + vote.points, rank=min(ranks) if ranks else None).where(Vote.id == twin.id).execute()
                vote.delete_instance()
        Topic.update(state=MERGED, merged_into=survivor, version=Topic.version + 1).where(Topic.id == duplicate.id).execute()
        audit.record("topic.merged", duplicate, into=survivor.id)


@bp.post("/<int:topic_id>/archivieren")
@requires("topics.manage")
def archive(topic_id):
    topic = _topic(topic_id)
    new_state = PROPOSED if topic.state == ARCHIVED else ARCHIVED
    if topic.state == MERGED:
        abort(409)
    with database.atomic():
        Topic.update(state=new_state, version=Topic.version + 1).where(Topic.id == topic.id).execute()
        audit.record("topic.archived" if new_state == ARCHIVED else "topic.restored", topic)
    flash(_("Das Thema wurde archiviert.") if new_state == ARCHIVED else _("Das Thema ist wieder aktuell."), "success")
    return see_other("topics.detail", topic_id=topic.id)
