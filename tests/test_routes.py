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


PAGES = [route for route in ROUTES if route.method == "GET"]
ACTIONS = [route for route in ROUTES if route.method != "GET"]


def _answer(app, client, client_as, route_objects, route, role) -> str | None:
    """None when `role` gets the declared status for `route`, else what went wrong."""
    user_client = client if role == "anonymous" else client_as(role)
    url = route.url.format(**route_objects)
    response = user_client.open(url, method=route.method, data={} if route.method == "POST" else None)
    if response.status_code == route.expected(role):
        return None
    return f"{route.method} {url} as {role}: got {response.status_code}, expected {route.expected(role)}"


@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_role_as_declared(app, client, client_as, route_objects, role):
    """GET changes nothing, so one data set serves every page for a role (building it per page would
    cost most of the suite's time)."""
    mismatches = [problem for route in PAGES
                  if (problem := _answer(app, client, client_as, route_objects, route, role))]
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ACTIONS, ids=lambda r: f"{r.method} {r.url}")
def test_action_answers_role_as_declared(app, client, client_as, route_objects, route, role):
    """Actions may change data: each one meets freshly built data."""
    app.config["WTF_CSRF_ENABLED"] = False  # CSRF has its own tests; here only permissions count
    problem = _answer(app, client, client_as, route_objects, route, role)
    assert problem is None, problem
