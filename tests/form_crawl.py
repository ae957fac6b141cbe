"""Every form the app shows: open each page of the route table as each role and collect its POST forms.

The edit-conflict and double-submit tables check themselves against this crawl, so a new edit form
(one carrying `version`) or a new create form (one carrying `form_token`) cannot ship without a row.
"""
from werkzeug.exceptions import HTTPException

from .html_forms import Form, forms_of
from .route_table import ROUTES


def endpoint_of(app, action: str, method: str = "POST") -> str | None:
    path, _, query = action.partition("?")
    try:
        endpoint, _values = app.url_map.bind("localhost").match(path, method=method, query_args=query)
    except HTTPException:
        return None
    return endpoint


def crawl(app, client_as, route_objects, roles=("member", "coordinator")) -> list[tuple[str, str, str, Form]]:
    """(role, page url, endpoint, form) for every POST form on every page a role may open."""
    found = []
    for role in roles:
        client = client_as(role)
        for route in ROUTES:
            if route.method != "GET" or route.expected(role) != 200 or route.endpoint in ("static", "registers.feed"):
                continue
            url = route.url.format(**route_objects)
            response = client.get(url)
            if response.status_code != 200 or not response.content_type.startswith("text/html"):
                continue
            for form in forms_of(response.get_data(as_text=True), url):
                if form.method == "POST":
                    found.append((role, url, endpoint_of(app, form.action), form))
    return found
