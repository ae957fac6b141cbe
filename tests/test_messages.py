"""Messages differ in look and role: errors are alerts, everything else is a status; a favicon."""
import re
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).parent.parent


def test_success_and_error_messages_differ_in_role_and_label(client_as, people):
    client = client_as("coordinator")
    # a success: a new organisation
    page = client.get("/organisationen/neu").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form_token = re.search(r'name="form_token"[^>]*value="([^"]+)"', page).group(1)
    done = client.post("/organisationen/neu", data={"csrf_token": token, "form_token": form_token,
                                                    "name": "Hebammenpraxis Auental", "sector": "other"},
                       follow_redirects=True).get_data(as_text=True)
    # the first message after a form takes the focus (read out, and Tab goes on from it)
    assert re.search(r'<div class="kern-alert kern-alert--success flash flash-success" role="status" tabindex="-1" '
                     r'autofocus>\s*<div class="kern-alert__header">.*?<span class="kern-title">Erledigt:</span>', done, re.S)
    # an error: deactivating oneself
    me = people["coordinator"]
    refused = client.post(f"/personen/{me.id}/deaktivieren", data={"csrf_token": token},
                          follow_redirects=True).get_data(as_text=True)
    assert re.search(r'<div class="kern-alert kern-alert--danger flash flash-error" role="alert">\s*'
                     r'<div class="kern-alert__header">.*?<span class="kern-title">Fehler:</span>', refused, re.S)


def test_every_page_names_its_favicon(client, app):
    page = client.get("/anmelden").get_data(as_text=True)
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page).group(1)
    # inside the page (no request of its own), the SVG in static/
    assert unquote(href.removeprefix("data:image/svg+xml,")) == (ROOT / "static" / "favicon.svg").read_text().strip()
