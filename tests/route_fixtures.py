"""The objects the route table's URL placeholders name (see tests/route_table.py)."""
import pytest


@pytest.fixture
def route_objects(people, make_person, organisation, agreements, member_comment, body, meetings, topics, rounds,
                  workshops):
    from fh_intranet.meetings.models import ActionItem, CalendarFeed, Decision
    from fh_intranet.register.models import Sector
    from fh_intranet.workshops.models import Workshop

    return {
        **offering_objects(organisation),
        "body": body.id,
        **{f"{key}_{name}": item.id for key in ("past", "future")
           for name, item in workshops[key].items()},
        "empty_workshop": Workshop.create(meeting=workshops["future"]["meeting"], title="Fiel aus", position=2).id,
        "topic": topics[0].id,
        "other_topic": topics[1].id,
        "third_topic": topics[2].id,
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


def offering_objects(organisation) -> dict:
    """Offerings of the people's own organisation and of another one (published and not), and a
    past update round that asked both."""
    from datetime import date, timedelta

    from fh_intranet.offerings.models import Offering, RoundConfirmation, UpdateRound
    from fh_intranet.people.models import Organisation

    other = Organisation.create(name="Kita Wiesengrund", sector="day_care")
    own = Offering.create(organisation=organisation, title="Elterncafé im Lindenhof", district="Bergheim",
                          target_groups=",parents,age_0_1,", description="Offener Treff für Eltern mit Babys.")
    theirs = Offering.create(organisation=other, title="Krabbelgruppe Wiesengrund", district="Auental-Mitte",
                             target_groups=",age_1_3,")
    hidden = Offering.create(organisation=other, title="Väterfrühstück (in Planung)", district="Auental-Mitte",
                             target_groups=",fathers,", published=False)
    past_round = UpdateRound.create(title="Familienwegweiser 2026", deadline=date.today() - timedelta(days=1))
    asked = RoundConfirmation.create(round=past_round, organisation=organisation)
    RoundConfirmation.create(round=past_round, organisation=other)
    return {"own_offering": own.id, "other_offering": theirs.id, "hidden_offering": hidden.id,
            "other_organisation": other.id, "update_round": past_round.id, "round_confirmation": asked.id}
