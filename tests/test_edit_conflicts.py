"""No edit is lost: two people open the same edit form, A saves, B saves the stale form.

B gets the conflict page (409) with their own input kept and what A saved shown next to it; A's
change stays stored; B's second save from the conflict page (now based on A's version) succeeds.
One row per edit route; the crawl test fails when a page offers an edit form without a row here.
"""
from dataclasses import dataclass
from typing import Callable

import pytest

from .form_crawl import crawl
from .html_forms import form_posting_to


@dataclass(frozen=True)
class Edit:
    endpoint: str
    page: str                   # the page holding the form (route table placeholders)
    field: str | None           # the field both change; None for a one-click form
    a: str | tuple = "Fassung von A"  # a tuple: several values (ticked checkboxes)
    b: str | tuple = "Fassung von B"
    role: str = "coordinator"
    # B, where not the same person in a second tab: a tick that person made already is their own
    # double click, not a conflict
    role_b: str | None = None
    action: str | None = None   # where the form posts, if not to the page itself
    stored: Callable | None = None  # reads the stored value where the page does not show it as text
    extra: tuple = ()           # (name, value) pairs both editors fill in as well, e.g. a required reason


def _attendance(objects):
    from fh_intranet.meetings.models import Attendance

    return Attendance.get(Attendance.meeting == objects["draft_meeting"], Attendance.person == objects["member"]).status


def _members(objects):
    from fh_intranet.meetings.models import BodyMember

    return ",".join(str(m.person_id) for m in BodyMember.select().where(BodyMember.body == objects["body"])
                    .order_by(BodyMember.person))


def _agreement_state(objects):
    from fh_intranet.agreements.models import Agreement

    return Agreement.get_by_id(objects["draft"]).state


def _archived(objects):
    from fh_intranet.topics.models import Topic

    return Topic.get_by_id(objects["topic"]).state == "archived"


def _round_topics(objects):
    from fh_intranet.topics.models import RoundTopic

    return [str(link.topic_id) for link in RoundTopic.select().where(RoundTopic.round == objects["open_round"])
            .order_by(RoundTopic.topic)]


def _filled(value, objects):
    if isinstance(value, str):
        return value.format(**objects)
    if isinstance(value, tuple):
        return [item.format(**objects) for item in value]
    return value


def _done(objects):
    from fh_intranet.meetings.models import ActionItem

    return ActionItem.get_by_id(objects["published_action"]).done_at is not None


EDITS = [
    Edit("people.edit", "/personen/{member}/bearbeiten", "name"),
    Edit("organisations.edit", "/organisationen/{organisation}/bearbeiten", "name"),
    Edit("organisations.edit", "/organisationen/{organisation}/bearbeiten", "district", a="Nordstadt", b="Altstadt"),
    Edit("register.edit_sector", "/netzwerk/bereiche/{sector}/bearbeiten", "label",
         a="Kita und Tagespflege", b="Kindertagespflege"),
    Edit("agreements.edit_details", "/vereinbarungen/{draft}/angaben", "title"),
    Edit("agreements.edit", "/vereinbarungen/{draft}/bearbeiten", "text", extra=(("change_note", "Präzisiert"),)),
    Edit("agreements.change_state", "/vereinbarungen/{draft}", None, action="/vereinbarungen/{draft}/status",
         extra=(("deadline", "2030-06-01T12:00"),), stored=_agreement_state, a="consultation"),
    Edit("agreements.edit_comment", "/vereinbarungen/kommentare/{comment}/bearbeiten", "body", role="member"),
    Edit("bodies.edit", "/gremien/{body}/bearbeiten", "name"),
    Edit("bodies.members", "/gremien/{body}/mitglieder", "members", a="{member}", b="{partner}",
         stored=_members),
    Edit("meetings.edit", "/sitzungen/{draft_meeting}/bearbeiten", "title"),
    Edit("meetings.edit_item", "/sitzungen/top/{draft_item}/bearbeiten", "title"),
    Edit("meetings.edit_decision", "/sitzungen/beschluesse/{draft_decision}/bearbeiten", "text"),
    Edit("meetings.edit_action", "/sitzungen/aufgaben/{draft_action}/bearbeiten", "what"),
    Edit("meetings.correct", "/sitzungen/{published_meeting}/korrektur", "notes-{published_item}",
         extra=(("reason", "Tippfehler berichtigt"),)),
    Edit("meetings.record_attendance", "/sitzungen/{draft_meeting}", "status-{member}", a="present", b="absent",
         action="/sitzungen/{draft_meeting}/anwesenheit", stored=_attendance),
    Edit("registers.tick", "/aufgaben/", None, role="member", role_b="coordinator",
         action="/aufgaben/{published_action}/erledigt", stored=_done, a=True),
    Edit("topics.edit", "/themen/{topic}/bearbeiten", "title"),
    Edit("voting.edit_topics", "/abstimmungen/{open_round}/themen", "topics", a=("{topic}", "{other_topic}"),
         b=("{topic}", "{third_topic}"), stored=_round_topics),
    Edit("topics.archive", "/themen/{topic}", None, action="/themen/{topic}/archivieren", stored=_archived, a=True),
    Edit("workshops.edit_output", "/ergebnisse/{past_output}/bearbeiten", "text", role="member"),
    Edit("workshops.edit_workshop", "/thementische/{future_workshop}/bearbeiten", "title"),
    Edit("offerings.edit", "/angebote/{own_offering}/bearbeiten", "title", role="partner"),
    Edit("report.edit", "/netzwerk/bericht/2026/texte", "introduction"),
]


@pytest.mark.parametrize("case", EDITS, ids=lambda case: case.endpoint)
def test_a_stale_save_meets_the_conflict_page(app, client_as, route_objects, case):
    page = case.page.format(**route_objects)
    action = (case.action or case.page).format(**route_objects)
    field = case.field.format(**route_objects) if case.field else None
    a, b = (_filled(value, route_objects) for value in (case.a, case.b))
    extra = dict(case.extra)
    alice, bob = client_as(case.role), client_as(case.role_b or case.role)
    form_a = form_posting_to(alice.get(page).get_data(as_text=True), action, page)
    form_b = form_posting_to(bob.get(page).get_data(as_text=True), action, page)
    assert form_b.value("version"), "an edit form carries the version it was loaded with"

    first = alice.post(action, data=form_a.data(**extra, **({field: a} if field else {})))
    assert first.status_code in (200, 303), first.get_data(as_text=True)[:2000]
    second = bob.post(action, data=form_b.data(**extra, **({field: b} if field else {})))
    assert second.status_code == 409, second.status_code
    html = second.get_data(as_text=True)

    if case.stored is not None:
        assert case.stored(route_objects) == a, "A's change is kept"
    else:
        assert a in html, "the conflict page shows what A saved"
        assert b in html, "B's input is still in the form"
        assert a in alice.get(page).get_data(as_text=True), "A's change is kept"
    if field is None:
        return
    retry = form_posting_to(html, action, page)
    third = bob.post(action, data=retry.data(**extra, **{field: b}))
    assert third.status_code in (200, 303), "saving again from the conflict page builds on A's version"
    if case.stored is not None:
        assert case.stored(route_objects) == b
    else:
        assert b in alice.get(page).get_data(as_text=True)


def test_every_edit_form_has_a_row(app, client_as, route_objects):
    covered = {case.endpoint for case in EDITS}
    forms = crawl(app, client_as, route_objects)
    versioned = {endpoint for _role, _url, endpoint, form in forms if "version" in form.names}
    assert versioned, "the crawl found no edit forms"
    missing = versioned - covered
    assert not missing, f"edit forms without a conflict test row: {sorted(missing)}"
    unversioned = covered - versioned
    assert not unversioned, f"rows whose form carries no version (lost updates possible): {sorted(unversioned)}"
