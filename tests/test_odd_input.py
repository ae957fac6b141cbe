"""Odd input is refused with a clear answer, never a 500: control characters, ids out of range."""
import pytest

from .conftest import csrf_from


@pytest.mark.parametrize("path", ["/sitzungen/99999999999999999999999", "/sitzungen/9223372036854775808",
                                  "/vereinbarungen/2147483648", "/themen/18446744073709551616/bearbeiten"])
def test_ids_beyond_what_the_database_holds_are_not_found(client_as, path):
    assert client_as("coordinator").get(path).status_code == 404


def test_numbers_out_of_range_in_query_strings_are_refused(client_as, body):
    response = client_as("coordinator").get("/sitzungen/neu?gremium=99999999999999999999999")
    assert response.status_code == 404  # SQLite refuses the number (error handler), PostgreSQL finds no row


def test_a_text_longer_than_its_column_is_said_so_and_given_back(app, people):
    """PostgreSQL refuses a text longer than its column (SQLite keeps any length). Where a form
    lacks its limit, the person read „Eine Zahl … außerhalb des gültigen Bereichs“ (404) and lost
    the text; now it says what happened and gives the text back, as an expired form does."""
    import peewee

    from fh_intranet.changes import Submission
    from fh_intranet.db import database

    if not isinstance(database.obj, peewee.PostgresqlDatabase):
        pytest.skip("PostgreSQL only: SQLite keeps a text of any length")
    with pytest.raises(peewee.DataError) as too_long:
        with database.atomic():
            Submission.create(token="x" * 81)  # a real refusal of the database, the kind a form would meet
    with app.test_request_context("/themen/neu", method="POST", headers={"Sec-Fetch-Site": "same-origin"},
                                  data={"title": "Ein sehr langer Titel", "password": "geheim"}):
        response = app.make_response(app.handle_user_exception(too_long.value))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ein Text ist länger, als er gespeichert werden kann" in page and "außerhalb" not in page
    assert "Ein sehr langer Titel" in page and "geheim" not in page
    with app.test_request_context("/sitzungen/neu?gremium=99999999999999999999999"):
        response = app.make_response(app.handle_user_exception(OverflowError("int too large")))
    assert response.status_code == 404 and "außerhalb des gültigen Bereichs" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["a\x00b", "x\x1by", "\x7f"])
def test_control_characters_are_refused_before_login(client, value):
    page = client.get("/anmelden")
    response = client.post("/anmelden", data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                              "email": f"{value}@example.org", "password": value})
    assert response.status_code == 400
    assert "Steuerzeichen" in response.get_data(as_text=True)


def test_control_characters_in_the_url_are_refused(client):
    assert client.get("/kalender/ab%00cd.ics").status_code == 400
    assert client.get("/anmelden?next=/%00").status_code == 400


def test_tabs_and_line_breaks_are_ordinary_text(client_as, people):
    client = client_as("member")
    page = client.get("/themen/neu")
    response = client.post("/themen/neu", data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                                "title": "Thema\tmit Tab", "description": "Zeile 1\r\nZeile 2"})
    assert response.status_code == 303


def test_private_answers_are_never_cached(client_as, meetings):
    client = client_as("member")
    for url in ("/", "/aufgaben.csv", f"/sitzungen/{meetings['published'].id}/termin.ics"):
        assert client.get(url).headers["Cache-Control"] == "private, no-store", url
    assert "no-store" not in client.get("/static/app.css").headers.get("Cache-Control", "")
