"""Route × role: every route answers every role as the declared table says."""
import pytest

from fh_intranet import permissions

from .route_table import ROUTES

ROLES = ("anonymous", "partner", "member", "coordinator")


def declared():
    return {(route.endpoint, route.method) for route in ROUTES}


def test_every_route_has_a_row(app):
    in_app = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    missing = in_app - declared()
    assert not missing, f"routes without a row in tests/route_table.py: {sorted(missing)}"
    stale = declared() - in_app
    assert not stale, f"rows for routes that do not exist: {sorted(stale)}"


def test_every_view_declares_its_permission(app):
    """A view is either @requires(...) or @public: none can forget its check."""
    undeclared = [endpoint for endpoint, view in app.view_functions.items()
                  if endpoint != "static" and not hasattr(view, "permission")]
    assert not undeclared
    for endpoint, view in app.view_functions.items():
        if getattr(view, "permission", None):
            assert view.permission in permissions.RULES, endpoint


@pytest.fixture
def route_objects(people, make_person, organisation, agreements, member_comment, body, meetings, topics, rounds,
                  workshops):
    from fh_intranet.meetings.models import ActionItem, CalendarFeed, Decision

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
        "deactivated": make_person("partner", active=False).id,
        "invited": make_person("member", accepted=False).id,
        "organisation": organisation.id,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.url}")
def test_route_answers_role_as_declared(app, client, client_as, route_objects, route, role):
    app.config["WTF_CSRF_ENABLED"] = False  # CSRF has its own tests; here only permissions count
    user_client = client if role == "anonymous" else client_as(role)
    url = route.url.format(**route_objects)
    response = user_client.open(url, method=route.method, data={} if route.method == "POST" else None)
    assert response.status_code == route.expected(role), (
        f"{route.method} {url} as {role}: got {response.status_code}, expected {route.expected(role)}")
