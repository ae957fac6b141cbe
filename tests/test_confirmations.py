"""A second look before every irreversible step, plain and through htmx.

Each row: the page with the button, the action it posts to, what the person fills in, and how to
tell from the database whether the step happened. The button's first POST answers with a
confirmation page and changes nothing; the confirmation page's own form does the step.
"""
import re
from dataclasses import dataclass, field

import pytest

from .html_forms import form_posting_to

HTMX = {"HX-Request": "true"}


@dataclass(frozen=True)
class Step:
    endpoint: str
    page: str
    action: str
    done: str  # a key of DONE
    data: dict = field(default_factory=dict)
    role: str = "coordinator"
    says: str = ""  # text the confirmation page must show


def _exists(model, object_id):
    return model.select().where(model.id == object_id).exists()


def _state(model, object_id):
    return model.get_by_id(object_id).state


DONE = {
    "published": lambda ids: _published(ids["draft_meeting"]),
    "cancelled": lambda ids: _state(_meetings().Meeting, ids["future_meeting"]) == "cancelled",
    "item gone": lambda ids: not _exists(_meetings().AgendaItem, ids["draft_item"]),
    "decision gone": lambda ids: not _exists(_meetings().Decision, ids["draft_decision"]),
    "action gone": lambda ids: not _exists(_meetings().ActionItem, ids["draft_action"]),
    "round closed": lambda ids: _topics().VotingRound.get_by_id(ids["open_round"]).is_final,
    "merged": lambda ids: _state(_topics().Topic, ids["topic"]) == "merged",
    "deactivated": lambda ids: not _people().Person.get_by_id(ids["member"]).active,
    "adopted": lambda ids: _state(_agreements().Agreement, ids["consultation"]) == "adopted",
    "superseded": lambda ids: _state(_agreements().Agreement, ids["adopted"]) == "superseded",
    "output gone": lambda ids: not _exists(_workshops().Output, ids["past_output"]),
    "workshop gone": lambda ids: not _exists(_workshops().Workshop, ids["empty_workshop"]),
    "file gone": lambda ids: not _exists(_workshops().Attachment, ids["past_photo"]),
    "offering gone": lambda ids: not _exists(_offerings().Offering, ids["own_offering"]),
    "report final": lambda ids: _report_final(2026),
}


def _report_final(year):
    from fh_intranet.report.models import AnnualReport

    report = AnnualReport.get_or_none(AnnualReport.year == year)
    return report is not None and report.is_final


def _offerings():
    from fh_intranet.offerings import models
    return models


def _meetings():
    from fh_intranet.meetings import models
    return models


def _topics():
    from fh_intranet.topics import models
    return models


def _people():
    from fh_intranet.people import models
    return models


def _agreements():
    from fh_intranet.agreements import models
    return models


def _workshops():
    from fh_intranet.workshops import models
    return models


def _published(meeting_id):
    return _state(_meetings().Meeting, meeting_id) == "published"


STEPS = [
    Step("meetings.publish", "/sitzungen/{draft_meeting}", "/sitzungen/{draft_meeting}/veroeffentlichen",
         "published", says="Benachrichtigt"),
    Step("meetings.cancel", "/sitzungen/{future_meeting}", "/sitzungen/{future_meeting}/absagen",
         "cancelled", says="findet nicht statt"),
    Step("meetings.delete_item", "/sitzungen/{draft_meeting}", "/sitzungen/top/{draft_item}/loeschen",
         "item gone", says="Beschluss entfernt"),
    Step("meetings.delete_decision", "/sitzungen/{draft_meeting}", "/sitzungen/beschluesse/{draft_decision}/loeschen",
         "decision gone"),
    Step("meetings.delete_action", "/sitzungen/{draft_meeting}", "/sitzungen/aufgaben/{draft_action}/loeschen",
         "action gone"),
    Step("voting.close_now", "/abstimmungen/{open_round}", "/abstimmungen/{open_round}/schliessen",
         "round closed", says="Stimmberechtigten"),
    Step("topics.merge", "/themen/{topic}", "/themen/{topic}/zusammenfuehren", "merged",
         data={"into": "{other_topic}"}),
    Step("people.deactivate", "/personen/{member}", "/personen/{member}/deaktivieren", "deactivated",
         says="nicht mehr anmelden"),
    Step("agreements.change_state", "/vereinbarungen/{consultation}", "/vereinbarungen/{consultation}/status",
         "adopted", data={"ziel": "adopted", "adopted_on": "2026-05-04"}, says="04.05.2026"),
    Step("agreements.change_state", "/vereinbarungen/{adopted}", "/vereinbarungen/{adopted}/status",
         "superseded", data={"ziel": "superseded"}, says="keine Nachfolgerin"),
    Step("workshops.delete_output", "/ergebnisse/{past_output}/bearbeiten", "/ergebnisse/{past_output}/loeschen",
         "output gone", role="member"),
    Step("workshops.delete_workshop", "/thementische/{empty_workshop}/bearbeiten", "/thementische/{empty_workshop}/loeschen",
         "workshop gone", says="Fiel aus"),
    Step("workshops.delete_attachment", "/ergebnisse/{past_output}/bearbeiten", "/dateien/{past_photo}/loeschen",
         "file gone", role="member"),
    Step("offerings.delete", "/angebote/{own_offering}", "/angebote/{own_offering}/loeschen", "offering gone",
         role="partner", says="Exporten"),
    Step("report.finalise", "/netzwerk/bericht/2026", "/netzwerk/bericht/2026/abschliessen", "report final",
         says="spätere Änderungen"),
]


def _fill(text: str, ids: dict) -> str:
    return text.format(**ids)


@pytest.mark.parametrize("step", STEPS, ids=lambda s: f"{s.endpoint}-{s.done}")
@pytest.mark.parametrize("via", ["plain", "htmx"])
def test_an_irreversible_step_asks_first(client_as, route_objects, step, via):
    ids, client = route_objects, client_as(step.role)
    page, action = _fill(step.page, ids), _fill(step.action, ids)
    button = form_posting_to(client.get(page).get_data(as_text=True), action, page)
    data = button.data(**{name: _fill(value, ids) for name, value in step.data.items()})

    asked = client.post(action, data=data, headers=HTMX if via == "htmx" else {})
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'id="confirm-heading"' in text, text[:2000]
    assert step.says in text
    assert not DONE[step.done](ids), "the first click must not do the step"
    if via == "htmx":
        # the question replaces the page, not the fragment the button meant to update
        assert asked.headers["HX-Retarget"] == "body"

    confirmation = form_posting_to(text, action, action)
    assert confirmation.value("bestaetigt") == "1"
    done = client.post(action, data=confirmation.data())
    assert done.status_code in (200, 204, 303), done.get_data(as_text=True)[:2000]
    assert DONE[step.done](ids)


def test_every_irreversible_endpoint_has_a_row(app):
    """Deleting, publishing, closing, merging, deactivating: a new such route needs a row above."""
    words = ("delete", "publish", "close_now", "merge", "deactivate", "cancel")
    irreversible = {rule.endpoint for rule in app.url_map.iter_rules()
                    if "POST" in rule.methods and any(word in rule.endpoint for word in words)}
    assert irreversible <= {step.endpoint for step in STEPS}


def test_publishing_names_the_remarks_on_the_draft(client_as, route_objects, people):
    from fh_intranet.meetings.models import MinutesComment

    meeting_id = route_objects["draft_meeting"]
    client = client_as("coordinator")

    def question():
        button = form_posting_to(client.get(f"/sitzungen/{meeting_id}").get_data(as_text=True),
                                 f"/sitzungen/{meeting_id}/veroeffentlichen")
        return client.post(f"/sitzungen/{meeting_id}/veroeffentlichen", data=button.data()).get_data(as_text=True)

    MinutesComment.delete().where(MinutesComment.meeting == meeting_id).execute()
    assert "Zum Entwurf gibt es" not in question()
    MinutesComment.create(meeting=meeting_id, author=people["member"], body="TOP 2 bitte ergänzen.")
    assert "Zum Entwurf gibt es 1 Anmerkung. Ist sie eingearbeitet?" in question()


def test_publishing_warns_about_a_future_meeting_without_attendance(client_as, route_objects):
    from datetime import datetime, timedelta

    from fh_intranet.meetings.models import Attendance, Meeting

    meeting_id = route_objects["draft_meeting"]
    Attendance.delete().where(Attendance.meeting == meeting_id).execute()
    Meeting.update(starts_at=datetime.utcnow() + timedelta(days=3),
                   ends_at=datetime.utcnow() + timedelta(days=3, hours=2)).where(Meeting.id == meeting_id).execute()
    client = client_as("coordinator")
    button = form_posting_to(client.get(f"/sitzungen/{meeting_id}").get_data(as_text=True),
                             f"/sitzungen/{meeting_id}/veroeffentlichen")
    text = client.post(f"/sitzungen/{meeting_id}/veroeffentlichen", data=button.data()).get_data(as_text=True)
    assert "Die Sitzung liegt in der Zukunft" in text
    assert "Es ist keine Anwesenheit eingetragen." in text
    # who will be told: the body's members who may read the minutes, never the one publishing
    from fh_intranet.meetings.models import BodyMember
    from fh_intranet.people.models import Person

    told = re.search(r"Benachrichtigt werden? \d+ Mitglieder? des Gremiums: ([^<]*)\.", text).group(1)
    members = Person.select().join(BodyMember, on=(BodyMember.person == Person.id)).where(
        BodyMember.body == Meeting.get_by_id(meeting_id).body_id)
    coordinator = Person.get(Person.role == "coordinator")
    assert coordinator.name not in told
    assert sorted(told.split(", ")) == sorted(p.name for p in members if p.id != coordinator.id and p.active)


def test_a_successor_that_may_not_replace_is_refused_without_a_question(client_as, route_objects):
    """Only a newer adopted agreement may supersede: an older one is refused at once."""
    from fh_intranet.agreements.models import Agreement

    ids, client = route_objects, client_as("coordinator")
    Agreement.update(adopted_on="2020-01-01").where(Agreement.id == ids["superseded"]).execute()
    Agreement.update(state="adopted").where(Agreement.id == ids["superseded"]).execute()
    page = f"/vereinbarungen/{ids['adopted']}"
    button = form_posting_to(client.get(page).get_data(as_text=True), f"{page}/status", page)
    answer = client.post(f"{page}/status", data=button.data(ziel="superseded", superseded_by=str(ids["superseded"])))
    text = answer.get_data(as_text=True)
    assert answer.status_code == 409 and 'id="confirm-heading"' not in text
    assert "kann sie deshalb nicht ablösen" in text
    assert _state(_agreements().Agreement, ids["adopted"]) == "adopted"
