"""The objects the route table's URL placeholders name (see tests/route_table.py)."""
import pytest


@pytest.fixture
def route_objects(people, make_person, organisation, agreements, member_comment, body, meetings, topics, rounds,
                  workshops):
    from fh_intranet.meetings.models import ActionItem, CalendarFeed, Decision
    from fh_intranet.register.models import Sector

    return {
        "body": body.id,
        **{f"{key}_{name}": item.id for key in ("past", "future")
           for name, item in workshops[key].items()},
        "topic": topics[0].id,
        "other_topic": topics[1].id,
        "open_round": rounds["open"].id,
        "planned_round": rounds["planned"].id,
        "closed_round": rounds["closed"].id,
        "ranking_round": rounds["ranking"].id,
        "draft_meeting": meetings["draft"].id,
        "published_meeting": meetings["published"].id,
        "draft_item": meetings["draft_item"].id,
        "published_item": meetings["published_item"].id,
        "draft_decision": Decision.get(Decision.meeting == meetings["draft"]).id,
        "draft_action": ActionItem.get(ActionItem.meeting == meetings["draft"]).id,
        "published_action": ActionItem.get(ActionItem.meeting == meetings["published"]).id,
        "feed": CalendarFeed.create(person=people["member"]).token,
        **{state: agreement.id for state, agreement in agreements.items()},
        "comment": member_comment.id,
        "member": people["member"].id,
        "partner": people["partner"].id,
        "deactivated": make_person("partner", active=False).id,
        "invited": make_person("member", accepted=False).id,
        "organisation": organisation.id,
        "sector": Sector.get(Sector.key == "day_care").id,
    }
