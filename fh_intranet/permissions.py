"""One way to check a permission: named rules, used by views and templates alike.

A rule is a function (person, obj) -> bool. Views declare theirs with `@requires(name)`
(role-level) or call `authorize(name, obj)` once the object is loaded; templates ask
`can(name, obj)`. Every view is either `@requires(...)` or `@public`, which a test checks.
"""
from functools import wraps
from typing import Callable

from flask import abort, request
from flask_login import current_user, login_required

from .people.models import COORDINATOR, MEMBER, PARTNER

Rule = Callable[[object, object], bool]
RULES: dict[str, Rule] = {}
# For rules that also ask the object's state (a draft, open for comments): the part that asks who
# may act (role, authorship), and the refusal reason (its code in changes.REASONS, or a function of
# the object giving it) that the workflow gives when the state forbids the action. See `authorize`.
WHO: dict[str, Rule] = {}
STATE_REASON: dict[str, object] = {}


def roles(*allowed: str) -> Rule:
    def rule(person, obj=None):
        return person.role in allowed

    rule.roles = allowed
    return rule


def register(name: str, rule: Rule, *, who: Rule | None = None, state_reason=None) -> None:
    """`who`: for a rule that also asks the object's state, the part that asks who may act, and
    `state_reason` the workflow's reason when the state forbids it. Give them only where every
    workflow function behind the rule's writes refuses by that state itself."""
    if name in RULES:
        raise KeyError(f"permission {name!r} is already registered")
    if (who is None) != (state_reason is None):
        raise ValueError(f"permission {name!r}: `who` and `state_reason` go together")
    RULES[name] = rule
    if who is not None:
        WHO[name], STATE_REASON[name] = who, state_reason


def can(name: str, obj=None, person=None, *, rule: Rule | None = None) -> bool:
    # The person itself, not the proxy: a rule reads several of their attributes, and a list page
    # asks hundreds of times.
    person = person if person is not None else current_user._get_current_object()
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return False
    return (rule or RULES[name])(person, obj)


def authorize(name: str, obj=None) -> None:
    """403 unless the rule allows the person. A rule with a `who` part tells the person from the
    object's state: whom it allows by who but not by state meets the state's reason (409, "Das
    Protokoll ist veröffentlicht …", not "Kein Zugriff"). A POST is not checked for the state here
    at all: the workflow refuses by it inside its transaction, and the view answers that with the
    person's input kept (409). Checked here, the state is older than the write anyway, and a 403
    lost the text of whoever was typing when the minutes were published or the consultation ended."""
    if name not in WHO:
        if not can(name, obj):
            abort(403)
        return
    if not can(name, obj, rule=WHO[name]):
        abort(403)
    if request.method != "POST":
        refuse_by_state(name, obj)


def refuse_by_state(name: str, obj) -> None:
    """409 with the state's reason where the rule allows the person but not the object's state.
    Also before the question a write asks first (confirm.ask): it is a page, as a form is."""
    if name in WHO and not can(name, obj):
        from .changes import REASONS

        reason = STATE_REASON[name]
        abort(409, REASONS[reason if isinstance(reason, str) else reason(obj)].text())


def requires(name: str):
    """Log-in required, then the rule `name` (without object) must allow the person."""
    if name not in RULES:
        raise KeyError(f"unknown permission {name!r}")

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            authorize(name)
            return view(*args, **kwargs)

        wrapped.permission = name
        return wrapped

    return decorator


def public(view):
    """Open to anonymous visitors on purpose (login, invitation links, static health check)."""
    view.permission = None
    view.is_public = True
    return view


ANYONE = roles(COORDINATOR, MEMBER, PARTNER)

register("start.view", ANYONE)
register("search.use", ANYONE)
register("notifications.own", ANYONE)
register("account.own", ANYONE)
register("people.list", roles(COORDINATOR, MEMBER))
register("people.manage", roles(COORDINATOR))
register("organisations.view", ANYONE)
register("organisations.manage", roles(COORDINATOR))
register("people.see_contact", roles(COORDINATOR))
register("accessibility.feedback", roles(COORDINATOR))


def _view_person(person, subject) -> bool:
    # a deactivated person is the coordinator's alone, in the list, on their page and in the search
    return person.role == COORDINATOR or (person.role == MEMBER and (subject is None or subject.active))


register("person.view", _view_person)


def without_deactivated_people(query):
    """Where a list names people to others (a body's members), a deactivated person is left out
    but for the coordinator, as `person.view` leaves their page and their search entry to them."""
    from .people.models import Person

    return query if current_user.role == COORDINATOR else query.where(Person.active)


# The partner register: who is in the network, by sector and district, and what they signed. Every
# partner sees it (it shows nothing their organisation pages and the adopted agreements' signatures
# do not already show them, and it is who they refer families to); which § 3 KKG sectors are missing
# is the steering group's planning material; the sector list is the coordinator's.
register("register.view", ANYONE)
register("register.coverage", roles(COORDINATOR, MEMBER))
register("sectors.manage", roles(COORDINATOR))
# The annual report (Sachstandsbericht) is the steering group's account to the youth welfare committee:
# members read it (it shows gaps and missing signatures by name), the coordinator writes and finalises it.
register("report.view", roles(COORDINATOR, MEMBER))
register("report.manage", roles(COORDINATOR))


# --- cooperation agreements -------------------------------------------------------------------
# Partners read only what the network has adopted; drafts are for the steering group.


def _read_agreement(person, agreement):
    return person.role in (COORDINATOR, MEMBER) or agreement.is_frozen


def readable_agreements(query):
    """`agreement.read` as a condition on `query`, for lists that page in the database."""
    from .agreements.models import ADOPTED, SUPERSEDED, Agreement

    if current_user.role in (COORDINATOR, MEMBER):
        return query
    return query.where(Agreement.state.in_((ADOPTED, SUPERSEDED)))


def _read_agreement_history(person, agreement=None):
    """Earlier versions (Fassungen), their change notes (which may name commenters), the compare
    view and the state history: how the text came about is the steering group's working material.
    Partners get the adopted text and its signatures only."""
    return person.role in (COORDINATOR, MEMBER)


def _edit_agreement(person, agreement):
    return person.role == COORDINATOR and (agreement is None or not agreement.is_frozen)


def _comment_on(person, agreement):
    return person.role in (COORDINATOR, MEMBER) and agreement is not None and agreement.open_for_comments()


def _author_of_comment(person, comment):
    return comment.author_id == person.id


def _why_no_comments(agreement) -> str:
    from .agreements.workflow import why_no_comments

    return why_no_comments(agreement).code


def _why_comment_closed(comment) -> str:
    return _why_no_comments(comment.agreement) if not comment.agreement.open_for_comments() else "agreement.thread_closed"



def _edit_comment(person, comment):
    from .agreements.workflow import thread_root

    return (_author_of_comment(person, comment) and comment.agreement.open_for_comments()
            and thread_root(comment).resolved_at is None)


def _record_signature(person, target):
    """`target` is an agreement (may the person record any signature?) or a Signature-to-be."""
    agreement = getattr(target, "agreement", target)
    if agreement is None or agreement.state != "adopted" or not agreement.takes_signatures:
        return False
    if person.role == COORDINATOR:
        return True
    organisation_id = getattr(target, "organisation_id", person.organisation_id)
    return person.role == MEMBER and person.organisation_id is not None and organisation_id == person.organisation_id


register("agreements.list", ANYONE)
register("agreement.read", _read_agreement)
register("agreement.read_consultation", roles(COORDINATOR, MEMBER))
register("agreement.read_history", _read_agreement_history)
register("agreements.create", roles(COORDINATOR))
register("agreement.edit", _edit_agreement, who=roles(COORDINATOR), state_reason="agreement.frozen")
register("agreement.change_state", roles(COORDINATOR))
register("agreement.comment", _comment_on, who=roles(COORDINATOR, MEMBER), state_reason=_why_no_comments)
register("comment.edit", _edit_comment, who=_author_of_comment, state_reason=_why_comment_closed)
register("comment.resolve", roles(COORDINATOR))
register("agreement.sign", _record_signature)


# --- bodies, meetings, minutes -----------------------------------------------------------------
# Partners see a meeting's date and place, but minutes only once they are published.


STEERING_GROUP = roles(COORDINATOR, MEMBER)  # reads drafts and working material


def _read_minutes(person, meeting):
    return STEERING_GROUP(person) or meeting.is_published


def _edit_minutes(person, meeting):
    return person.role == COORDINATOR and (meeting is None or meeting.is_draft)


def _why_minutes_closed(meeting) -> str:
    from .meetings.workflow import why_closed

    return why_closed(meeting).code


def _comment_minutes(person, meeting):
    return person.role in (COORDINATOR, MEMBER) and meeting.is_draft


def _cancel_meeting(person, meeting):
    """Called off before it took place, and before any minutes were published."""
    return person.role == COORDINATOR and meeting.is_draft and not meeting.is_past


def _correct_minutes(person, meeting):
    return person.role == COORDINATOR and meeting.is_published


def _tick_action(person, action):
    return person.role == COORDINATOR or action.person_id == person.id


register("bodies.view", ANYONE)
register("bodies.manage", roles(COORDINATOR))
register("meetings.view", ANYONE)
register("minutes.read_drafts", STEERING_GROUP)
register("meeting.read_minutes", _read_minutes)
register("meeting.edit", _edit_minutes, who=roles(COORDINATOR), state_reason=_why_minutes_closed)
register("meeting.comment", _comment_minutes, who=STEERING_GROUP, state_reason=_why_minutes_closed)
register("meeting.publish", _edit_minutes)
register("meeting.correct", _correct_minutes)
register("meeting.cancel", _cancel_meeting)
register("action.tick", _tick_action)


# --- topics and voting rounds -----------------------------------------------------------------
# Partners see only closed rounds and their results as totals; proposals are the steering group's work.


def _read_round(person, round_):
    return person.role in (COORDINATOR, MEMBER) or round_.is_closed


def readable_rounds(query):
    """`round.read` as a condition on `query` (closed: its end time has passed)."""
    from .db import utcnow
    from .topics.models import VotingRound

    if current_user.role in (COORDINATOR, MEMBER):
        return query
    return query.where(VotingRound.closes_at <= utcnow())


def _see_results(person, round_):
    if round_.is_closed:
        return _read_round(person, round_)
    return round_.results == "live" and round_.is_open and person.role in (COORDINATOR, MEMBER)


def _vote(person, round_):
    from .topics.voting import may_vote

    return person.role in (COORDINATOR, MEMBER) and round_.is_open and may_vote(round_, person)


def _see_ballot(person, round_):
    """The ballot ("Noch 5 von 5 Punkten") only for people with a vote in the round, or who cast
    one before they left the body: to anyone else it would suggest a vote they do not have."""
    from .topics.voting import has_ballot, may_vote

    return person.role in (COORDINATOR, MEMBER) and (may_vote(round_, person) or has_ballot(round_, person))


def _see_named_votes(person, round_):
    """Who gave what in a closed named round: for the coordinator and the members of the body that
    voted. Everyone else, partners included, sees the totals."""
    from .meetings.models import BodyMember

    if round_.anonymous or not round_.is_closed or not _see_results(person, round_):
        return False
    if person.role == COORDINATOR:
        return True
    return person.role == MEMBER and (BodyMember.select()
                                      .where(BodyMember.body == round_.body_id, BodyMember.person == person.id)
                                      .exists())


def _edit_topic(person, topic):
    """The coordination always; the member who proposed it while no round includes it yet (a
    title changed under a running or finished vote would change what people voted on)."""
    if person.role == COORDINATOR:
        return True
    from .topics.models import RoundTopic

    return (person.role == MEMBER and topic.proposed_by_id == person.id and topic.is_current
            and not RoundTopic.select().where(RoundTopic.topic == topic.id).exists())


register("topics.view", roles(COORDINATOR, MEMBER))
register("topic.edit", _edit_topic)
register("topics.propose", roles(COORDINATOR, MEMBER))
register("topics.manage", roles(COORDINATOR))
register("rounds.view", ANYONE)
register("round.read", _read_round)
register("round.results", _see_results)
register("round.vote", _vote)
register("round.ballot", _see_ballot)
register("round.named_votes", _see_named_votes)
register("rounds.manage", roles(COORDINATOR))


# --- workshop outputs -------------------------------------------------------------------------
# Partners read a meeting's workshop outputs once the meeting has taken place.


def _read_outputs(person, meeting):
    return person.role in (COORDINATOR, MEMBER) or meeting.is_past


def _edit_output(person, output):
    return person.role == COORDINATOR or (person.role == MEMBER and output.author_id == person.id)


register("outputs.read", _read_outputs)
register("outputs.write", roles(COORDINATOR, MEMBER))
register("output.edit", _edit_output)
register("workshops.manage", roles(COORDINATOR))


# --- history and the audit log ----------------------------------------------------------------
# An object's history shows who changed what; the steering group's working material, so partners
# see none. A person's history (logins, sessions) is their private data: the coordinator's only.


def _read_history(person, obj):
    from .people.models import Person

    if person.role == COORDINATOR:
        return True
    return person.role == MEMBER and not isinstance(obj, Person)


register("history.read", _read_history)
register("audit.browse", roles(COORDINATOR))


# --- offerings (Angebote) and the directory -------------------------------------------------------
# The organisations keep their own entries: anyone with a login edits and confirms the offerings of
# their own organisation, nobody else's; the coordination all of them, and runs the update rounds.


def _organisation_id_of(obj):
    if obj is None:
        return None
    return getattr(obj, "organisation_id", None) if hasattr(obj, "organisation_id") else obj.id


def _edit_offerings(person, obj=None):
    """`obj`: an Offering, an Organisation, or None (may the person edit any offerings at all?)."""
    if person.role == COORDINATOR:
        return True
    if person.organisation_id is None:
        return False
    return obj is None or _organisation_id_of(obj) == person.organisation_id


def _read_offering(person, offering):
    return offering.published or _edit_offerings(person, offering)


register("offerings.view", ANYONE)
register("offering.read", _read_offering)
register("offering.edit", _edit_offerings)
register("offerings.manage", roles(COORDINATOR))
