"""Password policy: at least 12 characters, not a common password."""
import pytest

from fh_intranet.auth.passwords import policy_problems

from .conftest import submit


@pytest.mark.parametrize("password", [
    "kurz", "elf-Zeichen",  # too short
    "passwort1234", "Password1234!", "qwertz123456", "123456789012", "aaaaaaaaaaaaaa",
    "Fruehehilfen2026", "willkommen123",
])
def test_refused(app, password):
    with app.test_request_context():
        assert policy_problems(password)


@pytest.mark.parametrize("password", ["Storchennest-am-Fluss-7", "drei Kraniche über Auental", "q8#Lm2!vR0pZ"])
def test_accepted(app, password):
    with app.test_request_context():
        assert policy_problems(password) == []


def test_name_or_email_is_not_a_password(app):
    with app.test_request_context():
        assert policy_problems("clara.neumann1", email="clara.neumann@example.org")
        assert policy_problems("Neumann12345!", name="Clara Neumann")


def test_change_password_shows_german_policy_message(client_as):
    client = client_as("member")
    response = submit(client, "/konto/", {"current_password": "Storchennest-am-Fluss-7",
                                          "password": "passwort1234", "password_repeat": "passwort1234"},
                      action="/konto/passwort")
    assert response.status_code == 422
    assert "zu verbreitet" in response.get_data(as_text=True)


def test_change_password_needs_the_current_one_and_matching_repeat(client_as):
    client = client_as("member")
    wrong = submit(client, "/konto/", {"current_password": "nicht-das-richtige",
                                       "password": "Neue-Eichen-am-Bach-3", "password_repeat": "Neue-Eichen-am-Bach-3"},
                   action="/konto/passwort")
    assert "Das bisherige Passwort stimmt nicht." in wrong.get_data(as_text=True)
    mismatch = submit(client, "/konto/", {"current_password": "Storchennest-am-Fluss-7",
                                          "password": "Neue-Eichen-am-Bach-3", "password_repeat": "Neue-Eichen-am-Bach-4"},
                      action="/konto/passwort")
    assert "Die beiden Passwörter stimmen nicht überein." in mismatch.get_data(as_text=True)


def test_change_password_works_and_keeps_this_session(client_as, client, people):
    member_client = client_as("member")
    response = submit(member_client, "/konto/", {"current_password": "Storchennest-am-Fluss-7",
                                                 "password": "Neue-Eichen-am-Bach-3",
                                                 "password_repeat": "Neue-Eichen-am-Bach-3"},
                      action="/konto/passwort")
    assert response.status_code == 303
    assert member_client.get("/").status_code == 200
    from .test_auth import login
    assert login(client, people["member"].email, "Neue-Eichen-am-Bach-3").status_code == 303
