"""Messages differ in look and role: errors are alerts, everything else is a status; a favicon."""
import re


def test_success_and_error_messages_differ_in_role_and_label(client_as, people):
    client = client_as("coordinator")
    # a success: a new organisation
    page = client.get("/organisationen/neu").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form_token = re.search(r'name="form_token"[^>]*value="([^"]+)"', page).group(1)
    done = client.post("/organisationen/neu", data={"csrf_token": token, "form_token": form_token,
                                                    "name": "Hebammenpraxis Auental", "sector": "other"},
                       follow_redirects=True).get_data(as_text=True)
    assert re.search(r'<p class="flash flash-success" role="status"><strong>Erledigt:</strong>', done)
    # an error: deactivating oneself
    me = people["coordinator"]
    refused = client.post(f"/personen/{me.id}/deaktivieren", data={"csrf_token": token},
                          follow_redirects=True).get_data(as_text=True)
    assert re.search(r'<p class="flash flash-error" role="alert"><strong>Fehler:</strong>', refused)


def test_every_page_names_its_favicon(client, app):
    page = client.get("/anmelden").get_data(as_text=True)
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page).group(1)
    icon = client.get(href)
    assert icon.status_code == 200 and icon.data.startswith(b"<svg")
