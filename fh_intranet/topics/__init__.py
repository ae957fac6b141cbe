"""Topics and voting rounds (see workflow for the rules, voting for reading rounds)."""
import logging

import peewee
from flask import current_app, request

log = logging.getLogger(__name__)

# Requests that never need ended rounds frozen: static files and the load balancer's check.
_NEVER = {"static", "main.health"}
# Pages of one round: they freeze that round themselves when it has ended (round_views._round),
# and a vote click must not pay for looking at all the others.
_OWN_ROUND = {"voting.detail", "voting.change_points", "voting.save_ranking", "voting.live_results",
              "voting.results_csv", "voting.open_now", "voting.close_now", "voting.edit_topics"}


def _freeze_ended_rounds():
    """Rounds close by their end time, not by a request: the first request after it freezes the
    results and, for anonymous rounds, deletes who gave what (see workflow.finalize_due_rounds).

    The rounds list and the topic pages look every time (one small query); every other page only
    when an end time this process knows of has passed, or once a minute for rounds that other
    app processes created (no query otherwise)."""
    from . import workflow

    endpoint = request.endpoint or ""
    if endpoint in _NEVER or endpoint in _OWN_ROUND or endpoint.startswith("static"):
        return
    try:
        workflow.finalize_due_rounds(cached=not endpoint.startswith(("voting.", "topics.")),
                                     recheck=current_app.config.get("ROUND_END_RECHECK_SECONDS", 60))
    except peewee.OperationalError:  # busy: the next request tries again; this one must not fail
        log.warning("could not freeze the results of ended rounds yet", exc_info=True)


def init_app(app):
    app.before_request(_freeze_ended_rounds)
