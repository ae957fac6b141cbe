"""Own data (DSGVO Art. 15/20): the page and the ZIP hold the person's data and nobody else's."""
import io
import json
import zipfile
from datetime import date

from fh_intranet.agreements import workflow as agreements
from fh_intranet.auth.models import AccountToken, LoginSession
from fh_intranet.auth.tokens import issue
from fh_intranet.meetings import workflow as meetings_workflow
from fh_intranet.notifications.models import Notification
from fh_intranet.people import workflow as people_workflow
from fh_intranet.people.models import Person
from fh_intranet.topics import workflow as topics_workflow

from .meeting_fixtures import AHEAD, make_meeting
from .topic_fixtures import make_round


def unzip(response) -> dict[str, str]:
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def busy_network(people, agreements_by_state, meetings, rounds, body, topics):
    """The member and the others each leave traces of every kind."""
    member, coordinator = people["member"], people["coordinator"]
    consultation = agreements_by_state["consultation"]
    version = agreements.latest_version(consultation)
    root = agreements.add_comment(consultation, version, anchor="s-1-ziele", heading="§ 1 Ziele",
                                  body="Mitgliedskommentar zu Zielen", author=member)
    agreements.add_comment(consultation, version, anchor="s-1-ziele", heading="§ 1 Ziele",
                           body="Antwort der Koordination", author=coordinator, parent=root)
    meetings_workflow.add_minutes_comment(meetings["draft"], "Mitgliedsanmerkung zum Entwurf", member)
    meetings_workflow.add_minutes_comment(meetings["draft"], "Partnerfremde Anmerkung", coordinator)
    for _ in range(2):
        topics_workflow.change_points(rounds["open"], member, topics[0].id, 1)
        topics_workflow.change_points(rounds["open"], coordinator, topics[1].id, 1)
    secret_round = make_round(body, coordinator, topics, anonymous=True, title="Geheime Runde")
    topics_workflow.change_points(secret_round, member, topics[2].id, 1)
    people_workflow.update_person(coordinator, coordinator.version, name=coordinator.name,
                                  email="neu.koordination@example.org", organisation_id=None, function="",
                                  role="coordinator", actor=coordinator)
    people_workflow.update_person(member, Person.get_by_id(member.id).version, name=member.name,
                                  email=member.email, organisation_id=member.organisation_id,
                                  function="Familienhebamme", role="member", actor=coordinator)
    from fh_intranet.db import write_transaction

    with write_transaction():
        issue(member, AccountToken.PASSWORD_RESET)
    ahead = make_meeting(body, "Verlegte Sitzung", starts=AHEAD, actor=coordinator)
    meetings_workflow.update_meeting(ahead, ahead.version, {"place": "Rathaus"}, actor=coordinator)


def test_export_holds_the_persons_data_and_nobody_elses(app, client_as, people, agreements, meetings, rounds,
                                                        body, topics):
    busy_network(people, agreements, meetings, rounds, body, topics)
    member = Person.get_by_id(people["member"].id)
    client = client_as(member)
    files = unzip(client.get("/konto/export"))

    expected = {"README.txt", "profil.json", "kommentare_vereinbarungen.json", "anmerkungen_protokolle.json",
                "stimmen.json", "aufgaben.json", "anwesenheit.json", "beitraege.json", "benachrichtigungen.json",
                "e_mails.json", "anmeldungen.json", "ereignisse.json"}
    assert set(files) == expected
    for name in expected - {"README.txt"}:
        assert name in files["README.txt"]  # each file is explained
    data = {name: json.loads(text) for name, text in files.items() if name.endswith(".json")}

    assert data["profil.json"]["email"] == member.email
    assert data["profil.json"]["function"] == "Familienhebamme"
    assert data["profil.json"]["bodies"] == [{"name": "Steuerungsgruppe", "chair": False}]
    assert [c["text"] for c in data["kommentare_vereinbarungen.json"]] == ["Mitgliedskommentar zu Zielen"]
    assert [c["text"] for c in data["anmerkungen_protokolle.json"]] == ["Mitgliedsanmerkung zum Entwurf"]
    named = [v for v in data["stimmen.json"] if not v["anonymous"]]
    assert [(v["topic"], v["points"]) for v in named] == [("Väter einbeziehen", 2)]
    assert not [v for v in data["stimmen.json"] if v["round"] == "Geheime Runde" and "points" in v]
    assert [a["what"] for a in data["aufgaben.json"]] == ["Öffentliche Aufgabe"]
    mine = Notification.select().where(Notification.person == member.id)
    assert sorted((n["kind"], n["object"]) for n in data["benachrichtigungen.json"]) == sorted(
        (n.kind, f"{n.object_type}:{n.object_id}") for n in mine)
    assert "Veröffentlichte Sitzung" in {n["text"] for n in data["benachrichtigungen.json"]}
    moved = next(n for n in data["benachrichtigungen.json"] if n["kind"] == "meeting.moved")
    assert moved["text"] == "Verlegte Sitzung" and moved["previous"] == {"place": "Kreishaus"}
    assert Notification.select().where(Notification.person != member.id).exists()  # others' are left out
    assert len(data["anmeldungen.json"]) == 1 and "secret_hash" not in files["anmeldungen.json"]
    actions = {event["action"] for event in data["ereignisse.json"]}
    assert {"comment.added", "minutes.commented", "person.updated"} <= actions
    update = next(e for e in data["ereignisse.json"] if e["action"] == "person.updated")
    assert update["by"].startswith("eine andere Person")

    everything = "\n".join(files.values())
    for other in (people["coordinator"], people["partner"]):
        assert other.name not in everything and other.email not in everything
    assert "neu.koordination@example.org" not in everything
    for secret in [member.password_hash, member.session_token,
                   *[row.secret_hash for row in LoginSession.select()],
                   *[row.token_hash for row in AccountToken.select()]]:
        assert secret not in everything
    assert "Antwort der Koordination" not in everything and "Partnerfremde Anmerkung" not in everything
    assert "Entwurfsaufgabe" not in everything  # the partner's action item


def test_coordinators_export_leaves_out_the_people_they_edited(client_as, people, agreements, meetings, rounds,
                                                               body, topics):
    busy_network(people, agreements, meetings, rounds, body, topics)
    organisation = people["member"].organisation
    people_workflow.update_organisation(organisation, organisation.version, {
        "name": organisation.name, "sector": organisation.sector, "address": "", "contact_name": "Karla Kontakt",
        "contact_email": "karla.kontakt@example.org", "contact_phone": ""}, actor=people["coordinator"])
    files = unzip(client_as(Person.get_by_id(people["coordinator"].id)).get("/konto/export"))
    everything = "\n".join(files.values())
    assert "neu.koordination@example.org" in everything  # their own new address
    assert people["member"].email not in everything and people["member"].name not in everything
    assert "Familienhebamme" not in everything  # what they changed about the member
    assert "organisation.updated" in everything  # their edit of the organisation, without its contact person
    assert "Karla Kontakt" not in everything and "karla.kontakt@example.org" not in everything
    events = json.loads(files["ereignisse.json"])
    about_member = [e for e in events if e["action"] == "person.updated" and e["object"] is None]
    assert about_member and all(e["details"] == {} for e in about_member)


def test_page_lists_what_is_stored(client_as, people, meetings):
    Notification.create(person=people["member"], kind="test", object_type="Meeting", object_id=1,
                        text="Hinweis für das Mitglied")
    html = client_as("member").get("/konto/meine-daten").get_data(as_text=True)
    assert people["member"].email in html and people["member"].name in html
    assert "Meine Daten herunterladen (ZIP)" in html and 'href="/konto/export"' in html
    assert "benachrichtigungen.json" in html and "aufgaben.json" in html
    assert people["coordinator"].name not in html
    assert 'href="/konto/meine-daten"' in client_as("partner").get("/konto/").get_data(as_text=True)


def test_the_readme_is_in_the_persons_language(client_as, people):
    Person.update(locale="en").where(Person.id == people["member"].id).execute()
    readme = unzip(client_as("member").get("/konto/export"))["README.txt"]
    assert readme.startswith("Your data stored in FH-Intranet\n") and "Ihre" not in readme
    assert "e_mails.json\n    Which channel you chose" in readme  # each file explained, in English
    assert max(len(line) for line in readme.splitlines()) <= 78


def test_action_item_ticked_by_someone_else_names_only_their_role(client_as, people, meetings):
    from fh_intranet.meetings.models import ActionItem

    action = ActionItem.get(ActionItem.person == people["member"])
    meetings_workflow.set_done(action, True, people["coordinator"])
    items = json.loads(unzip(client_as("member").get("/konto/export"))["aufgaben.json"])
    assert items[0]["due_on"] == date(2026, 3, 1).isoformat() and items[0]["done_at"]
    assert items[0]["done_by"] == "eine andere Person (Netzwerkkoordination)"


def test_a_partners_export_holds_nothing_of_minutes_still_in_draft(client_as, people, meetings):
    """The ZIP listed the partner's action item and attendance from draft minutes, which the start
    page, the lists, the search and the notifications all keep from partners until publishing."""
    partner = people["partner"]
    meetings_workflow.set_attendance(meetings["draft"], {partner.id: "present"}, actor=people["coordinator"])
    files = unzip(client_as("partner").get("/konto/export"))
    assert "Entwurfsaufgabe" not in files["aufgaben.json"] and "Entwurfssitzung" not in files["anwesenheit.json"]
    meetings_workflow.publish(meetings["draft"], people["coordinator"])
    files = unzip(client_as("partner").get("/konto/export"))
    assert "Entwurfsaufgabe" in files["aufgaben.json"] and "Entwurfssitzung" in files["anwesenheit.json"]


def test_mails_written_for_whoever_held_an_address_before_are_not_in_the_new_holders_export(
        client_as, people, make_person):
    from fh_intranet.db import write_transaction
    from fh_intranet.notifications import outbox
    from fh_intranet.notifications.models import OutboxMail

    earlier = people["member"]
    with write_transaction():
        outbox.enqueue(earlier, "Die Kommentierung ist eröffnet: Vertraulicher Entwurf", "Text")
    OutboxMail.update(status="sent").execute()  # delivered to the address while it was theirs
    people_workflow.update_person(earlier, earlier.version, name=earlier.name, email="anders@example.org",
                                  organisation_id=earlier.organisation_id, function="", role="member",
                                  actor=people["coordinator"])
    newcomer = make_person("partner", email=people["member"].email)
    mails = unzip(client_as(newcomer).get("/konto/export"))["e_mails.json"]
    assert "Vertraulicher Entwurf" not in mails
    assert "Vertraulicher Entwurf" in unzip(client_as(Person.get_by_id(earlier.id)).get("/konto/export"))["e_mails.json"]
