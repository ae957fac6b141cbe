"""A body with a draft and a published meeting, for the tests."""
from datetime import date, datetime, timedelta

import pytest

from fh_intranet.meetings import workflow
from fh_intranet.meetings.models import Body, BodyMember


@pytest.fixture
def body(people):
    body = Body.create(name="Steuerungsgruppe", kind="steering_group")
    for person in people.values():
        BodyMember.create(body=body, person=person)
    return body


# A meeting still to come: members and calendars hear only of those (one entered afterwards is no news).
AHEAD = datetime(2031, 3, 10, 13, 0)


def make_meeting(body, title="Sitzung", starts=datetime(2026, 3, 10, 13, 0), **fields):
    return workflow.create_meeting(body, title=title, kind="session", starts_at=starts,
                                   ends_at=starts + timedelta(hours=2), place="Kreishaus", **fields)


@pytest.fixture
def meetings(body, people):
    draft = make_meeting(body, "Entwurfssitzung")
    item = workflow.add_agenda_item(draft, "Begrüßung")
    workflow.add_decision(item, "Geheimer Entwurfsbeschluss")
    workflow.add_action(item, "Entwurfsaufgabe", people["partner"], date(2026, 4, 1))
    published = make_meeting(body, "Veröffentlichte Sitzung", starts=datetime(2026, 2, 3, 13, 0))
    item = workflow.add_agenda_item(published, "Bericht")
    workflow.add_decision(item, "Öffentlicher Beschluss")
    workflow.add_action(item, "Öffentliche Aufgabe", people["member"], date(2026, 3, 1))
    workflow.publish(published, people["coordinator"])
    return {"draft": draft, "published": published, "draft_item": draft.agenda_items.get(),
            "published_item": published.agenda_items.get()}
