"""The coordinator manages people and organisations; changes are audited; conflicts detected;
refusals explained; double submits and simultaneous edits create and keep exactly one result."""
import re
import time

import pytest

from fh_intranet.audit import AuditEvent
from fh_intranet.changes import Refused
from fh_intranet.people import workflow
from fh_intranet.people.models import COORDINATOR, Organisation, Person

from .concurrency import at_once
from .conftest import csrf_from, submit

CONFLICT = "Jemand anderes hat diese Angaben gespeichert"
LAST_COORDINATOR = "Es muss mindestens eine aktive Netzwerkkoordination geben."


def person_form(person, **changes):
    data = {"name": person.name, "email": person.email, "organisation": str(person.organisation_id or ""),
            "function": person.function, "role": person.role, "version": str(person.version)}
    data.update(changes)
    return data


def form_token_from(html: str) -> str:
    match = re.search(r'name="form_token"[^>]*value="([^"]+)"', html)
    assert match, "page carries no form token"
    return match.group(1)


def slowed(monkeypatch, name, seconds=0.3):
    """Make workflow.<name> linger after it ran, so that a second writer arrives while the first
    is inside its transaction (it must wait for the first, not act on what it read before)."""
    original = getattr(workflow, name)

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(seconds)
        return result

    monkeypatch.setattr(workflow, name, slow)


# --- editing a person ---------------------------------------------------------------------------

def test_coordinator_changes_role_and_it_is_audited(client_as, people):
    member = people["member"]
    response = submit(client_as("coordinator"), f"/personen/{member.id}/bearbeiten",
                      person_form(member, role="partner", function="Beraterin"))
    assert response.status_code == 303
    stored = Person.get_by_id(member.id)
    assert stored.role == "partner" and stored.function == "Beraterin" and stored.version == member.version + 1
    event = AuditEvent.get(AuditEvent.action == "person.updated")
    assert event.actor_id == people["coordinator"].id and event.object_id == member.id
    assert event.details_dict["changes"]["role"] == ["member", "partner"]


def test_conflicting_edits_are_detected_not_overwritten(app, client_as, people):
    member = people["member"]
    url = f"/personen/{member.id}/bearbeiten"
    first, second = client_as("coordinator"), app.test_client(user=people["coordinator"])
    form_one = first.get(url).get_data(as_text=True)
    form_two = second.get(url).get_data(as_text=True)
    saved = first.post(url, data={"csrf_token": csrf_from(form_one), **person_form(member, function="Erste Änderung")})
    assert saved.status_code == 303
    clash = second.post(url, data={"csrf_token": csrf_from(form_two),
                                   **person_form(member, function="Zweite Änderung")})
    assert clash.status_code == 409
    text = clash.get_data(as_text=True)
    assert CONFLICT in text and "Inzwischen gespeicherte Fassung" in text
    assert "Erste Änderung" in text and "Zweite Änderung" in text  # both versions visible
    assert Person.get_by_id(member.id).function == "Erste Änderung"
    assert AuditEvent.select().where(AuditEvent.action == "person.updated").count() == 1

    # The form now builds on the stored version: saving it again is a deliberate overwrite.
    version = re.search(r'name="version" type="hidden" value="(\d+)"', text).group(1)
    assert version == str(member.version + 1)
    again = second.post(url, data={"csrf_token": csrf_from(text),
                                   **person_form(member, function="Zweite Änderung", version=version)})
    assert again.status_code == 303
    assert Person.get_by_id(member.id).function == "Zweite Änderung"


def test_last_coordinator_cannot_be_demoted(client_as, people):
    coordinator = people["coordinator"]
    response = submit(client_as("coordinator"), f"/personen/{coordinator.id}/bearbeiten",
                      person_form(coordinator, role="member", function="Neu"))
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert LAST_COORDINATOR in text and 'value="Neu"' in text  # the input stays in the form
    stored = Person.get_by_id(coordinator.id)
    assert stored.role == COORDINATOR and stored.function == "" and stored.version == coordinator.version
    assert not AuditEvent.select().where(AuditEvent.action == "person.updated").exists()


def test_a_coordinator_may_step_down_while_another_remains(client_as, people, make_person):
    make_person(COORDINATOR)
    coordinator = people["coordinator"]
    response = submit(client_as("coordinator"), f"/personen/{coordinator.id}/bearbeiten",
                      person_form(coordinator, role="member"))
    assert response.status_code == 303
    assert Person.get_by_id(coordinator.id).role == "member"


def test_edit_refuses_an_address_someone_else_has(client_as, people):
    member, partner = people["member"], people["partner"]
    response = submit(client_as("coordinator"), f"/personen/{member.id}/bearbeiten",
                      person_form(member, email=partner.email.upper()))
    assert response.status_code == 409
    assert "Zu dieser E-Mail-Adresse gibt es schon einen Zugang." in response.get_data(as_text=True)
    assert Person.get_by_id(member.id).email == member.email


def test_two_coordinators_demoting_each_other_at_once_leave_one(app, people, make_person, monkeypatch):
    """The last-coordinator rule reads the coordinators locked: the second demotion waits for the
    first and then sees that only one coordinator is left."""
    one, two = people["coordinator"], make_person(COORDINATOR)
    slowed(monkeypatch, "_is_last_coordinator")
    clients = {one.id: app.test_client(user=one), two.id: app.test_client(user=two)}
    tokens = {pid: csrf_from(client.get("/personen/").get_data(as_text=True)) for pid, client in clients.items()}

    def demote(actor, target):
        return lambda: clients[actor.id].post(
            f"/personen/{target.id}/bearbeiten",
            data={"csrf_token": tokens[actor.id], **person_form(target, role="member")}).status_code

    statuses = at_once(app, demote(one, two), demote(two, one), raise_errors=True)
    assert sorted(statuses) == [303, 409]
    assert Person.select().where(Person.role == COORDINATOR, Person.active).count() == 1


def test_two_coordinators_deactivating_each_other_at_once_leave_one(app, people, make_person, monkeypatch):
    one, two = people["coordinator"], make_person(COORDINATOR)
    slowed(monkeypatch, "_is_last_coordinator")
    clients = {one.id: app.test_client(user=one), two.id: app.test_client(user=two)}
    tokens = {pid: csrf_from(client.get("/personen/").get_data(as_text=True)) for pid, client in clients.items()}

    def deactivate(actor, target):
        return lambda: clients[actor.id].post(f"/personen/{target.id}/deaktivieren",
                                              data={"csrf_token": tokens[actor.id], "bestaetigt": "1"}).status_code

    # (the one deactivated first may find itself logged out already: 302)
    assert set(at_once(app, deactivate(one, two), deactivate(two, one), raise_errors=True)) <= {302, 303}
    assert Person.select().where(Person.role == COORDINATOR, Person.active).count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "person.deactivated").count() == 1


# --- deactivating -------------------------------------------------------------------------------------

def test_nobody_deactivates_themself(client_as, people):
    coordinator = people["coordinator"]
    client = client_as("coordinator")
    response = submit(client, f"/personen/{coordinator.id}", action=f"/personen/{coordinator.id}/deaktivieren")
    assert response.status_code == 303
    assert "Sie können sich nicht selbst deaktivieren." in client.get(response.location).get_data(as_text=True)
    assert Person.get_by_id(coordinator.id).active
    htmx = client.post(f"/personen/{coordinator.id}/deaktivieren",
                       headers={"HX-Request": "true", "X-CSRFToken": csrf_from(client.get("/").get_data(as_text=True))})
    assert htmx.status_code == 409 and "nicht selbst deaktivieren" in htmx.get_data(as_text=True)


def test_the_last_coordinator_stays_active(app, people):
    with app.test_request_context(), pytest.raises(Refused) as refused:
        workflow.deactivate(people["coordinator"], actor=people["member"])
    assert refused.value.code == "people.last_coordinator"
    assert Person.get_by_id(people["coordinator"].id).active


def test_deactivate_and_reactivate_keep_the_name(client_as, people):
    partner = people["partner"]
    client = client_as("coordinator")
    submit(client, f"/personen/{partner.id}", {"bestaetigt": "1"}, action=f"/personen/{partner.id}/deaktivieren")
    assert not Person.get_by_id(partner.id).active
    assert partner.name in client.get(f"/personen/{partner.id}").get_data(as_text=True)
    assert partner.name not in client.get("/personen/").get_data(as_text=True)
    assert partner.name in client.get("/personen/?zeigen=deaktiviert").get_data(as_text=True)
    submit(client, f"/personen/{partner.id}", action=f"/personen/{partner.id}/reaktivieren")
    assert Person.get_by_id(partner.id).active
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions[-2:] == ["person.deactivated", "person.reactivated"]


def test_a_repeated_click_changes_nothing_twice(client_as, people):
    partner = people["partner"]
    client = client_as("coordinator")
    for _ in range(2):
        assert submit(client, f"/personen/{partner.id}", {"bestaetigt": "1"},
                      action=f"/personen/{partner.id}/deaktivieren").status_code == 303
    stored = Person.get_by_id(partner.id)
    assert not stored.active and stored.version == partner.version + 1
    assert AuditEvent.select().where(AuditEvent.action == "person.deactivated").count() == 1


# --- what members see -----------------------------------------------------------------------------------

def test_members_see_people_but_not_their_email(client_as, people):
    text = client_as("member").get("/personen/").get_data(as_text=True)
    assert people["partner"].name in text and people["partner"].email not in text
    assert people["partner"].email in client_as("coordinator").get("/personen/").get_data(as_text=True)


def test_the_list_tells_invited_from_active_people(client_as, make_person):
    invited = make_person("member", name="Noch Eingeladen", accepted=False)
    active = make_person("member", name="Schon Dabei")
    html = client_as("coordinator").get("/personen/").get_data(as_text=True)

    def status(person):
        row = html[html.index(person.name):]
        return re.search(r'data-label="Status">([^<]+)<', row).group(1)

    assert (status(invited), status(active)) == ("eingeladen", "aktiv")


def test_members_do_not_see_deactivated_people_pages(client_as, make_person):
    gone = make_person("partner", active=False)
    assert client_as("member").get(f"/personen/{gone.id}").status_code == 404


# --- organisations ----------------------------------------------------------------------------------------

def test_organisation_create_and_duplicate_name(client_as):
    client = client_as("coordinator")
    created = submit(client, "/organisationen/neu", {"name": "Frühförderstelle Auental",
                                                       "sector": "early_intervention", "contact_phone": "0641 1"})
    assert created.status_code == 303
    organisation = Organisation.get(Organisation.name == "Frühförderstelle Auental")
    assert organisation.sector_label == "Frühförderung / SPZ"
    assert created.location == f"/organisationen/{organisation.id}"

    duplicate = submit(client, "/organisationen/neu", {"name": "frühförderstelle auental", "sector": "other"})
    assert duplicate.status_code == 409
    text = duplicate.get_data(as_text=True)
    assert "Eine Organisation mit diesem Namen gibt es schon." in text and 'value="frühförderstelle auental"' in text
    assert Organisation.select().where(Organisation.sector == "early_intervention").count() == 1
    assert [e.action for e in AuditEvent.select()] == ["organisation.created"]


def test_organisation_form_sent_twice_creates_one(client_as):
    client = client_as("coordinator")
    page = client.get("/organisationen/neu").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "form_token": form_token_from(page),
            "name": "Kita Sonnenblume", "sector": "day_care"}
    first, second = client.post("/organisationen/neu", data=data), client.post("/organisationen/neu", data=data)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location
    assert Organisation.select().where(Organisation.sector == "day_care").count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "organisation.created").count() == 1
    # a fresh form is a new organisation (here: refused, the name exists)
    fresh = submit(client, "/organisationen/neu", {"name": "Kita Sonnenblume", "sector": "day_care"})
    assert fresh.status_code == 409


def test_organisation_form_sent_twice_at_once_creates_one(app, client_as, people, monkeypatch):
    slowed(monkeypatch, "_refuse_taken_name")
    client, other = client_as("coordinator"), app.test_client(user=people["coordinator"])
    page = client.get("/organisationen/neu").get_data(as_text=True)
    data = {"form_token": form_token_from(page), "name": "Kita Sonnenblume", "sector": "day_care"}
    other_csrf = csrf_from(other.get("/organisationen/neu").get_data(as_text=True))
    responses = at_once(app, lambda: client.post("/organisationen/neu", data={**data, "csrf_token": csrf_from(page)}),
                        lambda: other.post("/organisationen/neu", data={**data, "csrf_token": other_csrf}))
    assert [r.status_code for r in responses] == [303, 303]
    assert responses[0].location == responses[1].location
    assert Organisation.select().where(Organisation.sector == "day_care").count() == 1


def test_one_name_created_twice_at_once_is_refused_once(app, client_as, people, monkeypatch):
    """Names are unique whatever their case, which the unique index cannot see: the check runs
    serialised, so two coordinators creating "Kita Regenbogen" and "KITA REGENBOGEN" get one."""
    slowed(monkeypatch, "_refuse_taken_name")
    clients = [client_as("coordinator"), app.test_client(user=people["coordinator"])]
    pages = [client.get("/organisationen/neu").get_data(as_text=True) for client in clients]
    posts = [lambda c=client, p=page, n=name: c.post("/organisationen/neu", data={
        "csrf_token": csrf_from(p), "form_token": form_token_from(p), "name": n, "sector": "day_care"})
        for client, page, name in zip(clients, pages, ["Kita Regenbogen", "KITA REGENBOGEN"], strict=True)]
    statuses = sorted(response.status_code for response in at_once(app, *posts, raise_errors=True))
    assert statuses == [303, 409]
    assert Organisation.select().where(Organisation.sector == "day_care").count() == 1


def test_organisation_edit_conflict(client_as, app, people, organisation):
    client = client_as("coordinator")
    url = f"/organisationen/{organisation.id}/bearbeiten"
    other = app.test_client(user=people["coordinator"])
    stale = csrf_from(other.get(url).get_data(as_text=True))
    fields = {"name": organisation.name, "sector": "family_education", "version": "1"}
    assert submit(client, url, {**fields, "contact_name": "Frau Kaya"}).status_code == 303
    clash = other.post(url, data={"csrf_token": stale, **fields, "contact_name": "Herr Ott"})
    assert clash.status_code == 409
    text = clash.get_data(as_text=True)
    assert CONFLICT in text and "Frau Kaya" in text and 'value="Herr Ott"' in text
    assert 'name="version" type="hidden" value="2"' in text
    assert Organisation.get_by_id(organisation.id).contact_name == "Frau Kaya"
    assert [e.action for e in AuditEvent.select().order_by(AuditEvent.id)] == ["organisation.updated"]
    # saved again from the conflict page: a deliberate overwrite
    again = other.post(url, data={"csrf_token": stale, **fields, "version": "2", "contact_name": "Herr Ott"})
    assert again.status_code == 303
    assert Organisation.get_by_id(organisation.id).contact_name == "Herr Ott"


def test_organisation_edit_refuses_a_taken_name(client_as, organisation):
    Organisation.create(name="Kita Wiesengrund", sector="day_care")
    response = submit(client_as("coordinator"), f"/organisationen/{organisation.id}/bearbeiten",
                      {"name": "KITA WIESENGRUND", "sector": "day_care", "version": str(organisation.version)})
    assert response.status_code == 409
    assert "Eine Organisation mit diesem Namen gibt es schon." in response.get_data(as_text=True)
    assert Organisation.get_by_id(organisation.id).name == organisation.name


def test_organisations_filter_by_sector(client_as, organisation):
    Organisation.create(name="Kita Wiesengrund", sector="day_care")
    text = client_as("partner").get("/organisationen/?bereich=day_care").get_data(as_text=True)
    assert "Kita Wiesengrund" in text and organisation.name not in text


# --- one's own account ----------------------------------------------------------------------------------

def test_password_change_is_audited_once_and_ends_other_sessions(app, client_as, people):
    member = people["member"]
    other_device = app.test_client(user=member)
    client = client_as("member")
    response = submit(client, "/konto/", {"current_password": "Storchennest-am-Fluss-7",
                                          "password": "Neue-Eichen-am-Bach-3",
                                          "password_repeat": "Neue-Eichen-am-Bach-3"}, action="/konto/passwort")
    assert response.status_code == 303
    assert client.get("/").status_code == 200 and other_device.get("/").status_code == 302
    assert AuditEvent.select().where(AuditEvent.action == "password.changed",
                                     AuditEvent.actor == member.id).count() == 1


def test_choosing_the_same_language_again_records_nothing(client_as, people):
    client = client_as("member")
    for _ in range(2):
        submit(client, "/konto/", {"locale": "en"}, action="/sprache")
    assert Person.get_by_id(people["member"].id).locale == "en"
    assert AuditEvent.select().where(AuditEvent.action == "person.locale_changed").count() == 1
