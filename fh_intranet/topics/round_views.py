"""Voting rounds: a ballot that updates in place (htmx) or by plain form, and live results."""
import hashlib

from flask import Blueprint, abort, flash, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import confirm, csvexport, dates
from ..changes import EditConflict, Refused
from ..forms import with_placeholder
from ..meetings.models import Body
from ..paging import paginate
from ..permissions import authorize, can, readable_rounds, requires
from ..security import MAX_ID
from ..timezones import berlin_to_utc
from ..web import refusal_response, render, render_form, see_other, wants_fragment
from . import voting, workflow
from .forms import RankingInput, RoundForm, RoundTopicsForm
from .models import PROPOSED, Topic, VotingRound

bp = Blueprint("voting", __name__, url_prefix="/abstimmungen")

POLL_SECONDS = 3
STOP_POLLING = 286  # htmx: stop the `every` trigger


def _round(round_id: int, permission: str = "round.read") -> VotingRound:
    round_ = VotingRound.get_or_none(VotingRound.id == round_id)
    if round_ is None or not can("round.read", round_):
        abort(404)
    authorize(permission, round_)
    if round_.is_closed and not round_.is_final:  # ended during this request: results first
        round_ = workflow.finalize(round_.id)
    return round_


def _ballot_context(round_, message=None, state=None) -> dict:
    me = current_user._get_current_object()
    context = {"round": round_, "topics": voting.round_topics(round_), "message": message, "state": None,
               "can_vote": can("round.vote", round_), "took_part": False, "named": []}
    # Only people with a vote get a ballot (with their remaining points); the page shows the rest.
    if can("round.ballot", round_):
        context["state"] = state or voting.ballot_state(round_, me)
        context["took_part"] = round_.anonymous and round_.is_final and voting.took_part(round_, me)
    if can("round.results", round_):
        context.update(_results_context(round_))
    return context


def _results_context(round_) -> dict:
    # Totals for everyone who sees results; who gave what only where the rule allows.
    context = {"round": round_, "results": voting.results(round_), "participation": voting.participation(round_),
               "named": voting.named_votes(round_) if can("round.named_votes", round_) else []}
    # What the results show, in short: the poll sends it back, and an unchanged state is not swapped
    # in again (a screen reader reading the table lost its place every three seconds).
    shown = repr((round_.is_open, context["results"], context["participation"], context["named"]))
    context["results_mark"] = hashlib.blake2b(shown.encode(), digest_size=8).hexdigest()
    return context


@bp.get("/")
@requires("rounds.view")
def index():
    rounds = paginate(readable_rounds(VotingRound.select()).order_by(VotingRound.closes_at.desc(), VotingRound.id))
    return render("voting/index.html", rounds=rounds, fragment="round_list")


@bp.get("/<int:round_id>")
@requires("rounds.view")
def detail(round_id):
    round_ = _round(round_id)
    # The coordination changes the topics until the first vote (a link; the page says why not).
    may_change_topics = can("rounds.manage") and not round_.is_closed and not voting.has_votes(round_)
    return render("voting/detail.html", may_change_topics=may_change_topics, **_ballot_context(round_))


@bp.post("/<int:round_id>/punkte")
@requires("rounds.view")
def change_points(round_id):
    """A vote click. The vote's own transaction reads the round (held), the voter's eligibility, the
    round's topics and the ballot; the answer is drawn from what it read. Only a refusal reads the
    round again, as the page shows it (404 for who may not read it)."""
    topic_id = request.form.get("topic", type=int)
    delta = {"1": 1, "-1": -1}.get(request.form.get("delta", ""))
    if delta is None:  # the buttons send 1 or -1; anything else was read as taking a point back
        _round(round_id)  # who may not read the round learns no more than before (404)
        abort(400, _("Ein Klick gibt einen Punkt (1) oder nimmt einen zurück (-1)."))
    try:
        state = workflow.change_points(round_id, current_user._get_current_object(), topic_id, delta)
    except Refused as refused:
        return _ballot_answer(_round(round_id), refused.message, status=409, anchor=f"ballot-topic-{topic_id}")
    return _ballot_answer(state.round, _("Gespeichert. Noch %(remaining)d von %(budget)d Punkten zu vergeben.",
                                         remaining=state.remaining, budget=state.budget),
                          anchor=f"ballot-topic-{topic_id}", quiet=True, state=state)


@bp.post("/<int:round_id>/rangfolge")
@requires("rounds.view")
def save_ranking(round_id):
    ranking = RankingInput.from_form(request.form)
    try:
        # The input is checked against the round's topics as the vote's transaction reads them.
        state = workflow.set_ranking(round_id, current_user._get_current_object(), choose=ranking.choose)
    except Refused as refused:
        round_ = _round(round_id)
        if ranking.problem:
            return _ballot_answer(round_, ranking.problem, status=422, ranking=ranking)
        ranking.resolve(round_, voting.round_topics(round_))  # the person's choices stay on the form
        return _ballot_answer(round_, refused.message, status=409, ranking=ranking)
    return _ballot_answer(state.round, _("Ihre Rangfolge ist gespeichert."), state=state)


def _ballot_answer(round_, message=None, status=200, anchor="ballot", ranking=None, quiet=False, state=None):
    """The ballot again, with `message` announced: for htmx in place (the chart out of band), for a
    plain form as the page with the person's input (refused) or back to the ballot's place.
    `quiet` messages (a point given) are only announced, not shown as a flash message. After a
    stored vote `state` is the ballot as the vote left it, and `round_` the round as the vote read it."""
    context = {"ranking": ranking, "refused": status >= 400}
    if wants_fragment():
        focused = ranking is not None and status >= 400  # the ballot's message is read as it takes the focus
        return render("voting/_ballot.html", oob=True, status=status, announcement=None if focused else message,
                      **_ballot_context(round_, None if quiet else message, state), **context)
    if status >= 400:
        flash(message, "error")  # at the top, where the page begins: the ballot may be screens further down
        return render("voting/detail.html", status=status, **_ballot_context(round_, message), **context)
    if message and not quiet:
        flash(message, "success")
    return see_other("voting.detail", round_id=round_.id, _anchor=anchor)


@bp.get("/<int:round_id>/ergebnis")
@requires("rounds.view")
def live_results(round_id):
    """Polled by open ballots; answers 286 once the round is closed so the polling stops."""
    round_ = _round(round_id)
    if not wants_fragment():
        return see_other("voting.detail", round_id=round_.id)
    if not can("round.results", round_):
        return make_response("", STOP_POLLING)
    context = _results_context(round_)
    if round_.is_open and request.args.get("stand") == context["results_mark"]:
        return make_response("", 204)  # nothing new: the page keeps what it shows
    status = STOP_POLLING if not round_.is_open else 200
    return render("voting/_results.html", status=status, **context)


@bp.get("/<int:round_id>/ergebnis.csv")
@requires("rounds.view")
def results_csv(round_id):
    round_ = _round(round_id, "round.results")
    # One clean table: the round's participation is a column of its own on every row, so that the
    # file sorts, filters and imports as a table (the page states it once above the chart).
    voted, eligible = voting.participation(round_)
    rows = [[r.rank, r.title, r.score, _("ja") if r.tied else "", voted, eligible] for r in voting.results(round_)]
    return csvexport.response([_("Platz"), _("Thema"), _("Punkte"), _("Gleichstand"), _("Abgestimmt haben"),
                               _("Stimmberechtigte")], rows, f"abstimmung-{round_.id}.csv")


def _posted_topic_ids() -> list[int]:
    """The topics a posted round form names, among ids that can exist (SQLite refused a query with
    a 23-digit one)."""
    if request.method != "POST":
        return []
    return [i for i in request.form.getlist("topics", type=int) if 0 < i <= MAX_ID]


@bp.route("/neu", methods=["GET", "POST"])
@requires("rounds.manage")
def create():
    form = RoundForm()
    # Current topics are offered; a chosen one that was archived or merged meanwhile stays in the
    # list (with its state) so that the workflow refuses it with its reason, not a bare "invalid".
    chosen = _posted_topic_ids()
    form.topics.choices = [(t.id, t.title if t.is_current else f"{t.title} ({t.state_label})") for t in
                           Topic.select().where((Topic.state == PROPOSED) | Topic.id.in_(chosen or [0])).order_by(Topic.title)]
    form.body.choices = with_placeholder((str(b.id), b.name) for b in Body.select().where(~Body.archived)
                                         .order_by(Body.kind != "steering_group", Body.name))
    # Nothing is ticked at first (a round is a choice); "Alle auswählen" sends the form back with
    # every current topic ticked and the rest of the input kept, which works without JavaScript.
    if request.method == "POST" and request.form.get("alle_waehlen"):
        form.topics.data = [value for value, _label in form.topics.choices]
        return render("voting/form.html", form=form, all_ticked=True)
    if not form.validate_on_submit():
        return render_form("voting/form.html", form)
    try:
        round_ = workflow.create_round(
            title=form.title.data.strip(), method=form.method.data, budget=form.budget.data,
            max_per_topic=form.max_per_topic.data, rank_limit=form.rank_limit.data, body_id=int(form.body.data),
            opens_at=berlin_to_utc(form.opens_at.data), closes_at=berlin_to_utc(form.closes_at.data),
            results=form.results.data, anonymous=form.anonymous.data, topic_ids=form.topics.data,
            creator=current_user._get_current_object(), token=form.once_token)
    except Refused as refused:
        return render_form("voting/form.html", form, outcome=refused)
    flash(_("Die Abstimmung „%(title)s“ ist angelegt.", title=round_.title), "success")
    return see_other("voting.detail", round_id=round_.id)


@bp.post("/<int:round_id>/oeffnen")
@requires("rounds.manage")
def open_now(round_id):
    round_ = _round(round_id)
    try:
        workflow.open_round(round_, current_user._get_current_object())
    except Refused as refused:
        return refusal_response(refused, "voting.detail", round_id=round_.id)
    flash(_("Die Abstimmung ist geöffnet."), "success")
    return see_other("voting.detail", round_id=round_.id)


@bp.post("/<int:round_id>/schliessen")
@requires("rounds.manage")
def close_now(round_id):
    round_ = _round(round_id)
    if not confirm.given() and not round_.is_closed:
        voted, eligible = voting.count_participation(round_)
        happens = [
            _("Die Abstimmung endet jetzt statt am %(when)s; niemand kann danach noch abstimmen.",
              when=dates.when(round_.closes_at)),
            _("%(voted)d von %(eligible)d Stimmberechtigten haben bisher abgestimmt.", voted=voted, eligible=eligible),
            _("Das Ergebnis wird festgeschrieben."),
        ]
        if round_.anonymous:
            happens.append(_("Die Stimmzettel werden gelöscht; es bleibt nur, wer teilgenommen hat."))
        return confirm.ask(confirm.Question(
            title=_("Abstimmung „%(title)s“ jetzt beenden?", title=round_.title), happens=happens,
            button=_("Ja, jetzt beenden"), back=url_for("voting.detail", round_id=round_.id, _anchor="aktionen")))
    try:
        workflow.close_round(round_, current_user._get_current_object())
    except Refused as refused:
        return refusal_response(refused, "voting.detail", round_id=round_.id)
    flash(_("Die Abstimmung ist beendet; das Ergebnis steht fest."), "success")
    return see_other("voting.detail", round_id=round_.id)


@bp.route("/<int:round_id>/themen", methods=["GET", "POST"])
@requires("rounds.manage")
def edit_topics(round_id):
    """Change which topics a planned or open round includes, until its first vote."""
    round_ = _round(round_id)
    if round_.is_closed or voting.has_votes(round_):
        reason = workflow.ROUND_ENDED if round_.is_closed else workflow.TOPICS_FIXED
        return render("voting/topics_form.html", round=round_, form=None, fixed=reason.text(), status=409)
    included = [t.id for t in voting.round_topics(round_)]
    form = RoundTopicsForm()
    # The round's topics (archived ones too, they may stay) and every current topic; a chosen one that
    # was archived or merged meanwhile stays in the list so that the workflow names the reason.
    chosen = _posted_topic_ids()
    form.topics.choices = [(t.id, t.title if t.is_current else f"{t.title} ({t.state_label})") for t in
                           Topic.select().where((Topic.state == PROPOSED) | Topic.id.in_(included + chosen or [0]))
                           .order_by(Topic.title)]
    if request.method == "GET":
        form.topics.data = included
        form.version.data = workflow.topics_version(included)
    elif request.form.get("alle_waehlen"):  # without JavaScript: every current topic ticked, nothing saved
        form.topics.data = [value for value, _label in form.topics.choices]
        return render("voting/topics_form.html", round=round_, form=form, all_ticked=True)
    if not form.validate_on_submit():
        return render_form("voting/topics_form.html", form, round=round_)
    try:
        changed = workflow.change_round_topics(round_, form.version.data, form.topics.data,
                                               current_user._get_current_object())
    except EditConflict as conflict:
        return render_form("voting/topics_form.html", form, outcome=conflict, round=round_)
    except Refused as refused:
        if refused.reason in (workflow.TOPICS_FIXED, workflow.ROUND_ENDED):  # a vote came first: no form
            return render("voting/topics_form.html", round=round_, form=None, fixed=refused.message, status=409)
        return render_form("voting/topics_form.html", form, outcome=refused, round=round_)
    if changed["added"] or changed["removed"]:
        flash(_("Die Themen der Abstimmung sind geändert."), "success")
    else:
        flash(_("Die Themen der Abstimmung sind unverändert."), "info")
    return see_other("voting.detail", round_id=round_.id)
