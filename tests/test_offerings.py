"""Offerings: who keeps them, update rounds (notifications, confirmations, reminders), stale
entries, and the directory's exports and public page."""
import csv
import io
import re
import subprocess
from datetime import date, timedelta

import jsonschema
import pytest

from fh_intranet.db import utcnow
from fh_intranet.notifications.models import Notification, OutboxMail
from fh_intranet.offerings.models import Offering, RoundConfirmation, UpdateRound, pack_groups
from fh_intranet.pdf_cache import RenderedPdf
from fh_intranet.people.models import Organisation, Person

from .conftest import submit
from .html_forms import form_posting_to


def offering(organisation, title, **values):
    return Offering.create(organisation=organisation, title=title, district=values.pop("district", "Südstadt"),
                           target_groups=pack_groups(values.pop("groups", ["parents"])), **values)


@pytest.fixture
def network(people, make_person, organisation):
    """The people's own organisation (Familienzentrum Lindenhof) and two others: one with
    offerings and one person, one without offerings."""
    other = Organisation.create(name="Väterzentrum Mühlental", sector="family_education")
    empty = Organisation.create(name="Zahnarztpraxis Öztürk", sector="other")
    return {
        "own": organisation, "other": other, "empty": empty,
        "other_person": make_person("partner", name="Jörg Weiß", organisation=other),
        "empty_person": make_person("partner", name="Ayşe Öztürk", organisation=empty),
        "own_offering": offering(organisation, "Elterncafé Lindenhof", groups=["parents", "age_0_1"],
                                 phone="06401 7733", hours="Mo 9–11 Uhr"),
        "other_offering": offering(other, "Väterfrühstück am Samstag", groups=["fathers"], district="Mühlental",
                                   cost="fee", cost_note="3 € für das Frühstück", languages="Deutsch, Türkisch"),
    }


def edit_form(client, offering_id):
    page = f"/angebote/{offering_id}/bearbeiten"
    return page, form_posting_to(client.get(page).get_data(as_text=True), page, page)


# --- permissions --------------------------------------------------------------------------------

def test_a_partner_edits_their_own_organisations_offering(client_as, network):
    client = client_as("partner")
    page, form = edit_form(client, network["own_offering"].id)
    answer = client.post(page, data=form.data(title="Elterncafé Lindenhof (neu: auch mittwochs)"))
    assert answer.status_code == 303
    stored = Offering.get_by_id(network["own_offering"].id)
    assert stored.title == "Elterncafé Lindenhof (neu: auch mittwochs)"
    assert set(stored.groups) == {"age_0_1", "parents"}
    assert stored.version == 2


def test_a_partner_may_not_touch_another_organisations_offerings(app, client_as, network):
    client = client_as("partner")
    other = network["other_offering"]
    assert client.get(f"/angebote/{other.id}/bearbeiten").status_code == 403
    app.config["WTF_CSRF_ENABLED"] = False  # a hand-made request: the rule, not the token, refuses it
    filled = {"title": "gekapert", "district": "Mühlental", "target_groups": "fathers", "cost": "free",
              "version": str(other.version)}
    assert client.post(f"/angebote/{other.id}/bearbeiten", data=filled).status_code == 403
    assert client.post(f"/angebote/{other.id}/loeschen", data={"bestaetigt": "1"}).status_code == 403
    assert client.post(f"/angebote/organisation/{network['other'].id}/bestaetigen").status_code == 403
    assert client.get(f"/angebote/organisation/{network['other'].id}/neu").status_code == 403
    # the page offers no edit controls for someone else's entry
    html = client.get(f"/angebote/{other.id}").get_data(as_text=True)
    assert "/bearbeiten" not in html and "/loeschen" not in html
    assert Offering.get_by_id(other.id).title == "Väterfrühstück am Samstag"
    assert Offering.get_by_id(other.id).version == 1


def test_the_partner_of_another_organisation_keeps_theirs_but_not_ours(app, network):
    client = app.test_client(user=network["other_person"])
    assert client.get(f"/angebote/{network['other_offering'].id}/bearbeiten").status_code == 200
    assert client.get(f"/angebote/{network['own_offering'].id}/bearbeiten").status_code == 403
    answer = submit(client, f"/angebote/organisation/{network['other'].id}/neu",
                    {"title": "Vater-Kind-Turnen", "district": "Mühlental", "target_groups": ["fathers", "age_1_3"],
                     "cost": "free", "published": "y"})
    assert answer.status_code == 303
    created = Offering.get(Offering.title == "Vater-Kind-Turnen")
    assert created.organisation_id == network["other"].id and created.confirmed_by_id == network["other_person"].id


def test_someone_without_an_organisation_edits_no_offerings(make_person, app, network):
    client = app.test_client(user=make_person("member", name="Ohne Träger"))
    assert client.get(f"/angebote/{network['own_offering'].id}/bearbeiten").status_code == 403
    assert client.get(f"/angebote/organisation/{network['own'].id}/neu").status_code == 403


def test_the_coordinator_edits_any_organisations_offering(client_as, network):
    client = client_as("coordinator")
    page, form = edit_form(client, network["other_offering"].id)
    assert client.post(page, data=form.data(district="Mühlental-Nord")).status_code == 303
    assert Offering.get_by_id(network["other_offering"].id).district == "Mühlental-Nord"


def test_an_unpublished_offering_is_seen_only_by_its_keepers(client_as, app, network):
    hidden = offering(network["other"], "Babyschwimmen (noch in Planung)", published=False)
    assert client_as("partner").get(f"/angebote/{hidden.id}").status_code == 404
    assert "Babyschwimmen" not in client_as("partner").get("/angebote/").get_data(as_text=True)
    assert app.test_client(user=network["other_person"]).get(f"/angebote/{hidden.id}").status_code == 200
    assert "Babyschwimmen" in client_as("coordinator").get("/angebote/").get_data(as_text=True)


def test_the_directory_filters_by_target_group_district_cost_and_text(client_as, network):
    client = client_as("member")
    by_group = client.get("/angebote/?zielgruppe=fathers").get_data(as_text=True)
    assert "Väterfrühstück" in by_group and "Elterncafé" not in by_group
    by_district = client.get("/angebote/?sozialraum=S%C3%BCdstadt").get_data(as_text=True)
    assert "Elterncafé" in by_district and "Väterfrühstück" not in by_district
    by_cost = client.get("/angebote/?kosten=fee").get_data(as_text=True)
    assert "Väterfrühstück" in by_cost and "Elterncafé" not in by_cost
    by_text = client.get("/angebote/?q=t%C3%BCrkisch").get_data(as_text=True)  # in the languages
    assert "Väterfrühstück" in by_text and "Elterncafé" not in by_text
    by_organisation = client.get("/angebote/?q=m%C3%BChlental").get_data(as_text=True)
    assert "Väterfrühstück" in by_organisation and "Elterncafé" not in by_organisation


def test_a_refused_offering_keeps_the_input_and_says_why(client_as, network):
    answer = submit(client_as("partner"), f"/angebote/organisation/{network['own'].id}/neu",
                    {"title": "Krabbelgruppe Sonnenschein", "district": "", "cost": "free"})
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert 'value="Krabbelgruppe Sonnenschein"' in html
    assert "Bitte mindestens eine Zielgruppe wählen." in html
    assert not Offering.select().where(Offering.title == "Krabbelgruppe Sonnenschein").exists()


# --- update rounds --------------------------------------------------------------------------------

def open_round(client, deadline=None):
    deadline = deadline or (date.today() + timedelta(days=28)).isoformat()
    return submit(client, "/angebote/runden/", {"title": "Familienwegweiser 2027", "deadline": deadline})


def test_an_update_round_tells_the_people_of_each_organisation_with_offerings(client_as, people, network, mail_sink):
    answer = open_round(client_as("coordinator"))
    assert answer.status_code == 303
    round_ = UpdateRound.get()
    asked = {c.organisation_id: c for c in RoundConfirmation.select()}
    assert set(asked) == {network["own"].id, network["other"].id}  # not the organisation without offerings

    told = {(n.person_id, n.object_id) for n in Notification.select().where(Notification.kind == "offerings.round_opened")}
    assert told == {(people["member"].id, asked[network["own"].id].id),
                    (people["partner"].id, asked[network["own"].id].id),
                    (network["other_person"].id, asked[network["other"].id].id)}
    queued = {m.recipient for m in OutboxMail.select()}
    assert queued == {people["member"].email, people["partner"].email, network["other_person"].email}
    mails = {m["To"]: m for m in mail_sink}
    assert network["empty_person"].email not in mails and people["coordinator"].email not in mails
    body = mails[network["other_person"].email].get_body(preferencelist=("plain",)).get_content()
    assert "Väterzentrum Mühlental" in body and f"/angebote/bestaetigung/{asked[network['other'].id].id}" in body
    # the deadline in the reader's language, said where the notice is shown, not stored in German
    deadline = round_.deadline
    assert f"Frist: {deadline:%d.%m.%Y}" in body
    assert Notification.get(Notification.person == people["partner"].id).text == network["own"].name

    # the link leads to the organisation's offerings with the confirm button
    client = client_as("partner")
    link = client.get(f"/angebote/bestaetigung/{asked[network['own'].id].id}")
    assert link.status_code == 303 and link.location.endswith(f"/angebote/organisation/{network['own'].id}")
    page = client.get(link.location).get_data(as_text=True)
    assert "Familienwegweiser 2027" in page and "Angaben sind aktuell" in page
    assert round_.is_open
    # in the list and on the start page too, in the reader's language
    Person.update(locale="en").where(Person.id == people["partner"].id).execute()
    listed = client_as("partner").get("/benachrichtigungen/").get_data(as_text=True)
    assert f"Deadline: {deadline.day} {deadline:%b %Y}" in listed
    assert f"Deadline: {deadline.day} {deadline:%b %Y}" in client_as("partner").get("/").get_data(as_text=True)


def test_confirming_is_recorded_per_organisation_and_round(client_as, people, network):
    open_round(client_as("coordinator"))
    old = utcnow() - timedelta(days=100)
    Offering.update(confirmed_at=old).execute()
    client = client_as("partner")
    page = f"/angebote/organisation/{network['own'].id}"
    button = form_posting_to(client.get(page).get_data(as_text=True), f"{page}/bestaetigen", page)
    assert client.post(f"{page}/bestaetigen", data=button.data()).status_code == 303
    assert "Danke! 1 Angebot ist als aktuell bestätigt." in client.get(page).get_data(as_text=True)

    own = RoundConfirmation.get(RoundConfirmation.organisation == network["own"])
    other = RoundConfirmation.get(RoundConfirmation.organisation == network["other"])
    assert own.confirmed_at is not None and own.confirmed_by_id == people["partner"].id
    assert other.confirmed_at is None
    assert Offering.get_by_id(network["own_offering"].id).confirmed_at > old
    assert Offering.get_by_id(network["other_offering"].id).confirmed_at == old

    status = client_as("coordinator").get(f"/angebote/runden/{UpdateRound.get().id}").get_data(as_text=True)
    assert "1 von 2 Organisationen" in status
    assert "Väterzentrum Mühlental</a></td>" in status and "noch nicht bestätigt" in status


def test_saving_an_entry_during_a_round_confirms_the_organisation(client_as, network):
    open_round(client_as("coordinator"))
    client = client_as("partner")
    page, form = edit_form(client, network["own_offering"].id)
    assert client.post(page, data=form.data(hours="Mo und Mi 9–11 Uhr")).status_code == 303
    assert RoundConfirmation.get(RoundConfirmation.organisation == network["own"]).confirmed_at is not None


def test_the_reminder_goes_only_to_the_unconfirmed_and_not_twice_a_day(client_as, people, network):
    coordinator = client_as("coordinator")
    open_round(coordinator)
    submit(client_as("partner"), f"/angebote/organisation/{network['own'].id}",
           action=f"/angebote/organisation/{network['own'].id}/bestaetigen")
    round_id = UpdateRound.get().id
    page = f"/angebote/runden/{round_id}"

    answer = submit(coordinator, page, action=f"{page}/erinnern")
    assert answer.status_code == 303
    reminded = [n.person_id for n in Notification.select().where(Notification.kind == "offerings.round_reminder")]
    assert reminded == [network["other_person"].id]
    assert RoundConfirmation.get(RoundConfirmation.organisation == network["other"]).reminded_at is not None
    assert RoundConfirmation.get(RoundConfirmation.organisation == network["own"]).reminded_at is None

    again = submit(coordinator, page, action=f"{page}/erinnern")
    assert again.status_code == 303
    assert "in den letzten 20 Stunden schon erinnert" in coordinator.get(again.location).get_data(as_text=True)
    assert Notification.select().where(Notification.kind == "offerings.round_reminder").count() == 1

    # a day later the reminder may go out again
    RoundConfirmation.update(reminded_at=utcnow() - timedelta(hours=21)).execute()
    submit(coordinator, page, action=f"{page}/erinnern")
    assert Notification.select().where(Notification.kind == "offerings.round_reminder").count() == 2


def test_a_second_round_waits_for_the_first(client_as, network):
    coordinator = client_as("coordinator")
    open_round(coordinator)
    answer = open_round(coordinator)
    assert answer.status_code == 409 and "Es läuft schon eine Aktualisierungsrunde" in answer.get_data(as_text=True)
    assert UpdateRound.select().count() == 1
    past = open_round(coordinator, deadline=(date.today() - timedelta(days=1)).isoformat())
    assert past.status_code == 409


# --- stale entries ------------------------------------------------------------------------------

def test_entries_not_confirmed_for_the_configured_time_are_stale(app, client_as, network):
    Offering.update(confirmed_at=utcnow() - timedelta(days=400)).where(
        Offering.id == network["other_offering"].id).execute()
    client = client_as("member")
    listing = client.get("/angebote/").get_data(as_text=True)
    row = listing[listing.index("Väterfrühstück"):][:600]
    assert "veraltet" in row
    assert "veraltet" not in listing[listing.index("Elterncafé"):][:300]
    assert "Väterfrühstück" not in client.get("/verzeichnis/angebote.csv").get_data(as_text=True)

    app.config["OFFERINGS_STALE_DAYS"] = 500
    assert "veraltet" not in client.get(f"/angebote/{network['other_offering'].id}").get_data(as_text=True)
    assert "Väterfrühstück" in client.get("/verzeichnis/angebote.csv").get_data(as_text=True)

    app.config["OFFERINGS_STALE_DAYS"] = 365
    submit(app.test_client(user=network["other_person"]), f"/angebote/organisation/{network['other'].id}",
           action=f"/angebote/organisation/{network['other'].id}/bestaetigen")
    with app.app_context():
        assert not Offering.get_by_id(network["other_offering"].id).is_stale


def test_the_stale_time_comes_from_the_environment(tmp_path):
    from fh_intranet import config

    values = config.from_environment(tmp_path, {"FH_ENV": "test", "OFFERINGS_STALE_DAYS": "180"})
    assert values["OFFERINGS_STALE_DAYS"] == 180 and values["PUBLIC_DIRECTORY"] is False
    assert config.from_environment(tmp_path, {"FH_ENV": "test"})["OFFERINGS_STALE_DAYS"] == 365
    assert config.from_environment(tmp_path, {"FH_ENV": "test", "PUBLIC_DIRECTORY": "1"})["PUBLIC_DIRECTORY"] is True


# --- exports ------------------------------------------------------------------------------------

@pytest.fixture
def directory(network):
    offering(network["own"], "Rückbildung für Mütter", groups=["age_0_1"], published=False)
    offering(network["own"], "Krabbelgruppe (ausgelaufen)", valid_until=date.today() - timedelta(days=1))
    offering(network["other"], "Spielkreis Straßenbahnhof", groups=["age_1_3", "migration"], outreach=True,
             valid_until=date.today() + timedelta(days=90), email="spielkreis@example.org")
    return network


def test_csv_opens_in_german_excel(client_as, directory):
    answer = client_as("partner").get("/verzeichnis/angebote.csv")
    raw = answer.get_data()
    assert raw.startswith(b"\xef\xbb\xbf") and answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["ID", "Titel", "Organisation"]
    titles = {row[1]: row for row in rows[1:]}
    assert set(titles) == {"Elterncafé Lindenhof", "Väterfrühstück am Samstag", "Spielkreis Straßenbahnhof"}
    assert titles["Väterfrühstück am Samstag"][2] == "Väterzentrum Mühlental"
    assert titles["Väterfrühstück am Samstag"][6] == "mit Kosten"
    assert all(len(row) == len(rows[0]) for row in rows)


def test_an_organisation_that_left_the_network_is_out_of_the_directory_and_its_update_rounds(
        client_as, people, directory):
    """Its offerings stayed in the public directory and its exports after it left, and update
    rounds kept asking it."""
    from fh_intranet.offerings import workflow as offerings_workflow

    assert open_round(client_as("coordinator")).status_code == 303  # both asked
    Organisation.update(left_on=date.today()).where(Organisation.id == directory["other"].id).execute()
    for url in ("/verzeichnis/angebote.csv", "/verzeichnis/angebote.json"):  # from the day it leaves
        text = client_as("member").get(url).get_data(as_text=True)
        assert "Elterncafé Lindenhof" in text and "Väterfrühstück am Samstag" not in text, url
    reminded = offerings_workflow.remind(UpdateRound.get(), actor=people["coordinator"])
    assert [c.organisation_id for c in reminded] == [directory["own"].id]
    RoundConfirmation.delete().execute()
    UpdateRound.delete().execute()
    assert open_round(client_as("coordinator")).status_code == 303
    assert {c.organisation_id for c in RoundConfirmation.select()} == {directory["own"].id}


def test_json_validates_against_the_documented_schema(client, client_as, directory):
    schema = client.get("/verzeichnis/schema.json")
    assert schema.status_code == 200
    document = client_as("member").get("/verzeichnis/angebote.json").get_json()
    validator = jsonschema.Draft202012Validator(schema.get_json(), format_checker=jsonschema.FormatChecker())
    validator.validate(document)
    names = {item["name"]: item for item in document["offerings"]}
    assert set(names) == {"Elterncafé Lindenhof", "Väterfrühstück am Samstag", "Spielkreis Straßenbahnhof"}
    father = names["Väterfrühstück am Samstag"]
    assert father["identifier"] == directory["other_offering"].uid  # stable: the row's own uid
    assert father["isAccessibleForFree"] is False and father["availableLanguage"] == ["Deutsch", "Türkisch"]
    assert father["audience"] == [{"@type": "Audience", "identifier": "fathers", "audienceType": "Väter"}]
    assert father["provider"] == {"@type": "Organization", "name": "Väterzentrum Mühlental"}
    assert names["Spielkreis Straßenbahnhof"]["outreach"] is True
    # an invalid document is caught: the schema does check
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**document, "offerings": [{**father, "audience": []}]})


def test_the_pdf_is_valid_and_grouped_by_target_group_and_district(client_as, directory, tmp_path):
    answer = client_as("coordinator").get("/verzeichnis/angebote.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    path = tmp_path / "angebote.pdf"
    path.write_bytes(answer.get_data())
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    for expected in ("Väterfrühstück am Samstag", "Väterzentrum Mühlental", "Spielkreis Straßenbahnhof",
                     "Familien mit Migrationsgeschichte", "Mühlental", "Südstadt"):
        assert expected in text, expected
    assert "Rückbildung" not in text and "ausgelaufen" not in text
    # the group "Väter" comes before "Familien mit Migrationsgeschichte" (the fixed order of the list)
    assert text.index("Väter\n") < text.index("Familien mit Migrationsgeschichte")


def test_the_pdf_is_kept_until_what_it_shows_changes(client_as, directory):
    client = client_as("member")
    first = client.get("/verzeichnis/angebote.pdf").get_data()
    RenderedPdf.update(data=b"%PDF-kept").where(RenderedPdf.kind == "directory").execute()  # told apart
    assert client.get("/verzeichnis/angebote.pdf").get_data() == b"%PDF-kept"
    Offering.update(title="Väterfrühstück am Sonntag").where(Offering.id == directory["other_offering"].id).execute()
    changed = client.get("/verzeichnis/angebote.pdf").get_data()
    assert changed.startswith(b"%PDF-1") and changed != first
    assert RenderedPdf.select().where(RenderedPdf.kind == "directory").count() == 1


# --- the public directory -------------------------------------------------------------------------

def test_the_public_directory_is_off_by_default(client, directory):
    assert client.get("/verzeichnis/").status_code == 404
    assert client.get("/verzeichnis/angebote.json").status_code == 302
    assert client.get("/verzeichnis/angebote.csv").status_code == 302


def test_the_public_directory_opens_without_login_when_turned_on(app, client, people, directory):
    app.config["PUBLIC_DIRECTORY"] = True
    answer = client.get("/verzeichnis/")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    for shown in ("Elterncafé Lindenhof", "Väterfrühstück am Samstag", "Spielkreis Straßenbahnhof",
                  "spielkreis@example.org", "06401 7733"):
        assert shown in html
    for hidden in ("Rückbildung", "ausgelaufen", *(person.name for person in people.values()),
                   directory["other_person"].name, directory["other_person"].email):
        assert hidden not in html
    filtered = client.get("/verzeichnis/?zielgruppe=fathers").get_data(as_text=True)
    assert "Väterfrühstück" in filtered and "Elterncafé" not in filtered
    assert client.get("/verzeichnis/angebote.json").status_code == 200
    assert client.get("/verzeichnis/angebote.pdf").status_code == 200
    document = client.get("/verzeichnis/angebote.json").get_json()
    assert all(item["url"].startswith(app.config["BASE_URL"] + "/verzeichnis/#angebot-")
               for item in document["offerings"])
    # the intranet's own pages still want a login
    assert client.get("/angebote/").status_code == 302


def test_a_public_directorys_exports_may_be_read_by_the_portal_and_cached(app, client, client_as, directory):
    """A family portal may read them from its own pages in the browser (CORS) and caches may keep
    them; behind the login they stay private."""
    exports = ("/verzeichnis/angebote.json", "/verzeichnis/angebote.csv", "/verzeichnis/angebote.pdf",
               "/verzeichnis/schema.json")
    for url in exports:
        private = client_as("member").get(url)
        assert private.status_code == 200 and private.headers["Cache-Control"] == "private, no-store", url
        assert "Access-Control-Allow-Origin" not in private.headers, url
    app.config["PUBLIC_DIRECTORY"] = True
    for url in exports:
        answer = client.get(url, headers={"Origin": "https://familienportal.example"})
        assert answer.status_code == 200, url
        assert answer.headers["Access-Control-Allow-Origin"] == "*", url
        assert answer.cache_control.public and answer.cache_control.max_age == 300, url
        assert "Cookie" in {v.strip() for v in answer.headers["Vary"].split(",")}, url
    schema = client.get("/verzeichnis/schema.json").get_json()
    document = client.get("/verzeichnis/angebote.json").get_json()
    assert document["$schema"] == schema["$id"] == app.config["BASE_URL"] + "/verzeichnis/schema.json"
    # the intranet's pages stay private whatever the directory is
    assert client_as("member").get("/angebote/").headers["Cache-Control"] == "private, no-store"


def test_the_pages_work_without_javascript(client_as, network):
    """Every control is a plain link or form: filters are GET forms, actions POST forms with a button."""
    client = client_as("partner")
    html = client.get("/angebote/").get_data(as_text=True)
    assert '<form method="get" action="/angebote/"' in html
    assert re.search(r'<button[^>]*type="submit"[^>]*><span class="kern-label">Filtern</span></button>', html)
    page = client.get(f"/angebote/organisation/{network['own'].id}").get_data(as_text=True)
    assert f'action="/angebote/organisation/{network["own"].id}/bestaetigen"' in page


def test_the_filters_answer_htmx_with_the_list_alone(app, client_as, network):
    headers = {"HX-Request": "true"}
    answer = client_as("member").get("/angebote/?zielgruppe=fathers", headers=headers)
    html = answer.get_data(as_text=True)
    status, region = html.lstrip().split("\n", 1)  # the list, and outside it the line that says its count
    assert answer.status_code == 200 and region.startswith("<div id=\"offering-list\"")
    assert status == '<p id="list-status" hx-swap-oob="innerHTML">1 Angebot</p>'
    assert "Väterfrühstück" in html and "Elterncafé" not in html and "<h1>" not in html
    app.config["PUBLIC_DIRECTORY"] = True
    public = app.test_client().get("/verzeichnis/?kosten=fee", headers=headers).get_data(as_text=True)
    assert public.lstrip().split("\n", 1)[1].startswith("<div id=\"offering-list\"") and "Väterfrühstück" in public
