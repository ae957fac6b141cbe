"""Route × role: every route answers every role as the declared table says."""
import pytest

from fh_intranet import permissions

from .route_table import ROUTES
from .snapshot import Snapshot

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


def _answer(client, route_objects, route, role) -> str | None:
    """None when `role` (logged in with `client`) gets the declared status for `route`, else what went wrong."""
    url = route.url.format(**route_objects)
    response = client.open(url, method=route.method, data={} if route.method == "POST" else None)
    if response.status_code == route.expected(role):
        return None
    return f"{route.method} {url} as {role}: got {response.status_code}, expected {route.expected(role)}"


@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_role_as_declared(app, client, client_as, route_objects, role):
    """GET changes nothing, so one data set serves every page for a role (building it per page would
    cost most of the suite's time)."""
    user_client = client if role == "anonymous" else client_as(role)
    mismatches = [problem for route in PAGES if (problem := _answer(user_client, route_objects, route, role))]
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("role", ROLES)
def test_actions_answer_role_as_declared(app, client, client_as, route_objects, role):
    """Actions may change data: after each one the data goes back to how the first one met it (and
    the client gets its login back), so every action meets the same data without building it anew."""
    app.config["WTF_CSRF_ENABLED"] = False  # CSRF has its own tests; here only permissions count
    login = None if role == "anonymous" else client_as(role).get_cookie(app.config["SESSION_COOKIE_NAME"])
    as_built = Snapshot()
    mismatches = []
    for route in ACTIONS:
        fresh = app.test_client()
        if login is not None:
            fresh.set_cookie(login.key, login.value, domain=login.domain)
        if problem := _answer(fresh, route_objects, route, role):
            mismatches.append(problem)
        as_built.restore_if_changed()
    assert not mismatches, "\n".join(mismatches)
