"""Password policy: at least 12 characters, not a common password, not the own name or address."""
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


OWN = {"email": "clara.neumann@example.org", "name": "Clara Neumann"}
CONTAINS = "Das Passwort darf weder Ihren Namen noch Ihre E-Mail-Adresse enthalten, auch nicht den Teil vor dem @."


@pytest.mark.parametrize("password", [
    "clara.neumann@example.org",  # the address itself
    "CLARA.NEUMANN@EXAMPLE.ORG",  # in any case
    "meine Adresse: clara.neumann@example.org!",  # contained
    "clara.neumann",  # the local part
    "xx-Clara.Neumann-Sommer-2026",  # the local part, contained
    "ClaraNeumann-mag-Kastanien",  # the whole name, contained, without the space
    "clara neumann wandert gern",  # the whole name with its space
])
def test_email_local_part_and_name_are_refused_also_contained(app, password):
    with app.test_request_context():
        assert CONTAINS in policy_problems(password, **OWN)


def test_umlauts_and_transliterations_count_as_the_same_name(app):
    with app.test_request_context():
        own = {"email": "juergen.gross@example.org", "name": "Jürgen Groß"}
        assert CONTAINS in policy_problems("Jürgen.Groß-im-Stadtpark-7", **own)
        assert CONTAINS in policy_problems("juergengross-im-Stadtpark", **own)


@pytest.mark.parametrize("password", ["Storchennest-am-Fluss-7", "Clara liest gern Romane am Fluss"])
def test_other_passwords_of_the_same_person_pass(app, password):
    """A first name inside a long passphrase is fine; the whole name or address is not."""
    with app.test_request_context():
        assert policy_problems(password, **OWN) == []


def test_the_set_password_form_refuses_the_own_address(client, make_person):
    from fh_intranet.auth import tokens
    from fh_intranet.auth.models import AccountToken
    from fh_intranet.db import write_transaction

    person = make_person("member", name="Clara Neumann", email="clara.neumann@example.org", accepted=False)
    with client.application.test_request_context(), write_transaction():
        raw = tokens.issue(person, AccountToken.INVITATION)
    password = "Hallo-clara.neumann@example.org"
    response = submit(client, f"/einladung/{raw}", {"password": password, "password_repeat": password})
    assert response.status_code == 422
    assert CONTAINS in response.get_data(as_text=True)


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
    # nothing typed: the error summary names the fields in the page's order
    empty = submit(client, "/konto/", {"current_password": "", "password": "", "password_repeat": ""},
                   action="/konto/passwort").get_data(as_text=True)
    summary = empty[empty.index('class="error-links"'):]
    assert summary.index("Bisheriges Passwort") < summary.index("Neues Passwort<") < summary.index("wiederholen")


def test_change_password_works_keeps_this_session_and_ends_the_others(app, client_as, client, people):
    member_client, other_device = client_as("member"), app.test_client(user=people["member"])
    assert other_device.get("/").status_code == 200
    response = submit(member_client, "/konto/", {"current_password": "Storchennest-am-Fluss-7",
                                                 "password": "Neue-Eichen-am-Bach-3",
                                                 "password_repeat": "Neue-Eichen-am-Bach-3"},
                      action="/konto/passwort")
    assert response.status_code == 303
    assert member_client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302  # logged out by the password change
    from .test_auth import login
    assert login(client, people["member"].email, "Neue-Eichen-am-Bach-3").status_code == 303
