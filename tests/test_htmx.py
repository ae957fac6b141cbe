"""One helper renders a page or its fragment; htmx gets fragments, 422s and redirects right."""
from .conftest import csrf_from


def test_fragment_for_htmx_full_page_otherwise(client_as, make_person, organisation):
    client = client_as("member")
    full = client.get("/organisationen/?bereich=family_education")
    assert "<html" in full.get_data(as_text=True)
    part = client.get("/organisationen/?bereich=family_education", headers={"HX-Request": "true"})
    text = part.get_data(as_text=True)
    assert "<html" not in text and 'id="organisation-list"' in text
    assert organisation.name in text
    assert "HX-Request" in part.headers["Vary"] and "HX-Request" in full.headers["Vary"]


def test_boosted_and_history_restore_requests_get_the_full_page(client_as):
    client = client_as("member")
    boosted = client.get("/organisationen/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    restore = client.get("/organisationen/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    for response in (boosted, restore):
        text = response.get_data(as_text=True)
        assert "<title>Organisationen – FH-Intranet</title>" in text and "<html" in text


def test_invalid_htmx_form_answers_422_with_the_form_fragment(client_as):
    client = client_as("member")
    token = csrf_from(client.get("/konto/").get_data(as_text=True))
    response = client.post("/konto/passwort", data={"current_password": ""},
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert text.lstrip().startswith('<form') and 'id="password-form"' in text
    assert "Bitte füllen Sie dieses Feld aus." in text and "<html" not in text


def test_htmx_success_navigates_with_hx_location(client_as):
    client = client_as("member")
    token = csrf_from(client.get("/konto/").get_data(as_text=True))
    response = client.post("/konto/passwort", data={
        "current_password": "Storchennest-am-Fluss-7", "password": "Neue-Eichen-am-Bach-3",
        "password_repeat": "Neue-Eichen-am-Bach-3"}, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 204
    assert '"path": "/konto/"' in response.headers["HX-Location"]


def test_anonymous_htmx_request_is_sent_to_login(client):
    response = client.get("/organisationen/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/anmelden?next=")


def test_a_form_sent_after_the_login_expired_stays_on_the_page(client):
    """Was: the whole window sent to the login page, and the text in the form with it. Now the
    message region says so, with a login in a new tab, and the form keeps the text."""
    token = csrf_from(client.get("/anmelden").get_data(as_text=True))
    response = client.post("/vereinbarungen/1/abschnitte/s-1-ziele/kommentar", data={"body": "Lang geschrieben"},
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 401 and "HX-Redirect" not in response.headers
    text = response.get_data(as_text=True)
    assert "Sie sind nicht mehr angemeldet; nichts wurde gespeichert. Ihr Text steht noch im Formular: Kopieren Sie ihn" in text
    assert '<a href="/anmelden" target="_blank" rel="noopener">In einem neuen Tab anmelden</a>' in text


SAME_SITE = {"Sec-Fetch-Site": "same-origin"}  # as a browser sends it with a form of our own page


def test_a_plain_form_sent_after_the_login_expired_shows_what_was_typed(client):
    token = csrf_from(client.get("/anmelden").get_data(as_text=True))
    typed = "Eine Anmerkung, eine Stunde lang geschrieben <b>mit Markup</b>"
    response = client.post("/sitzungen/1/anmerkungen", data={"csrf_token": token, "body": typed, "form_token": "abc"},
                           headers=SAME_SITE)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Cookie")
    html = response.get_data(as_text=True)
    assert "Unten steht, was Sie eingegeben haben" in html
    assert '<textarea class="kern-form-input__input" id="unsaved-1" rows="6" readonly>' \
           "Eine Anmerkung, eine Stunde lang geschrieben &lt;b&gt;mit Markup&lt;/b&gt;</textarea>" in html
    assert html.count("<textarea") == 1  # the form's own token is not shown


def test_a_plain_form_with_an_expired_token_shows_what_was_typed(app, client_as):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client_as("member").post("/sitzungen/1/anmerkungen", data={"csrf_token": "abgelaufen",
                                                                           "body": "Bitte TOP 3 ergänzen."},
                                        headers=SAME_SITE)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Das Formular ist abgelaufen" in html and ">Bitte TOP 3 ergänzen.</textarea>" in html


def test_what_was_typed_is_given_back_only_to_our_own_pages_and_never_a_password(app, client):
    """A password is a sentence here (the password hint suggests one): it must never be shown; nor
    may another site's auto-submitting form put text of its choice on our page."""
    app.config["WTF_CSRF_ENABLED"] = True
    login = client.post("/anmelden", data={"csrf_token": "abgelaufen", "email": "hebamme@example.org",
                                           "password": "Storchennest am Fluss im Frühling"}, headers=SAME_SITE)
    assert login.status_code == 400 and "Storchennest" not in login.get_data(as_text=True)
    assert "<textarea" not in login.get_data(as_text=True)
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://boese.example"}, {}):
        planted = client.post("/sitzungen/1/anmerkungen", data={"csrf_token": "x", "body": "Rufen Sie 0900-123 an"},
                              headers=headers)
        assert planted.status_code == 400 and "0900-123" not in planted.get_data(as_text=True), headers


def test_htmx_error_is_a_short_message_for_the_message_region(client_as):
    response = client_as("partner").get("/personen/", headers={"HX-Request": "true"})
    text = response.get_data(as_text=True)
    assert response.status_code == 403
    assert 'role="alert"' in text and "Kein Zugriff" in text and "<html" not in text


def test_a_page_answering_a_boosted_post_keeps_a_post_only_address_out_of_history(client_as, meetings, body):
    """The second look before publishing, shown for a boosted form, put /veroeffentlichen into the
    history; going back or reloading answered 405. Addresses that also answer GET stay as they were."""
    client = client_as("coordinator")
    page = f"/sitzungen/{meetings['draft'].id}"
    boosted = {"HX-Request": "true", "HX-Boosted": "true",
               "X-CSRFToken": csrf_from(client.get(page).get_data(as_text=True))}
    second_look = client.post(f"{page}/veroeffentlichen", headers=boosted)
    assert second_look.status_code == 200 and second_look.headers["HX-Push-Url"] == "false"
    assert client.get(f"{page}/veroeffentlichen").status_code == 405, "why it must stay out of the history"
    refused = client.post(f"/sitzungen/neu?gremium={body.id}", data={"title": ""}, headers=boosted)
    assert refused.status_code == 422 and "HX-Push-Url" not in refused.headers


def test_an_htmx_form_with_an_expired_token_says_the_text_is_still_there(app, client_as):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client_as("member").post("/sitzungen/1/anmerkungen", data={"body": "Bitte TOP 3 ergänzen."},
                                        headers={"HX-Request": "true", "X-CSRFToken": "abgelaufen"})
    assert response.status_code == 400
    assert "Ihr Text steht noch im Formular: Kopieren Sie ihn" in response.get_data(as_text=True)
