"""The coordinator manages people and organisations; changes are audited; conflicts detected."""
from fh_intranet.audit import AuditEvent
from fh_intranet.people.models import Organisation, Person

from .conftest import csrf_from, submit


def person_form(person, **changes):
    data = {"name": person.name, "email": person.email, "organisation": str(person.organisation_id or ""),
            "function": person.function, "role": person.role, "version": str(person.version)}
    data.update(changes)
    return data


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
    first, second = client_as("coordinator"), app.test_client(user=people["coordinator"])
    form_one = first.get(f"/personen/{member.id}/bearbeiten").get_data(as_text=True)
    form_two = second.get(f"/personen/{member.id}/bearbeiten").get_data(as_text=True)
    saved = first.post(f"/personen/{member.id}/bearbeiten",
                       data={"csrf_token": csrf_from(form_one), **person_form(member, function="Erste Änderung")})
    assert saved.status_code == 303
    clash = second.post(f"/personen/{member.id}/bearbeiten",
                        data={"csrf_token": csrf_from(form_two), **person_form(member, function="Zweite Änderung")})
    assert clash.status_code == 409
    text = clash.get_data(as_text=True)
    assert "Jemand anderes hat diese Angaben gespeichert" in text
    assert "Erste Änderung" in text and "Zweite Änderung" in text  # both versions visible
    assert Person.get_by_id(member.id).function == "Erste Änderung"


def test_last_coordinator_cannot_be_demoted_or_deactivate_themself(client_as, people):
    coordinator = people["coordinator"]
    client = client_as("coordinator")
    response = submit(client, f"/personen/{coordinator.id}/bearbeiten", person_form(coordinator, role="member"))
    assert response.status_code == 422
    assert "mindestens eine aktive Netzwerkkoordination" in response.get_data(as_text=True)
    submit(client, f"/personen/{coordinator.id}", action=f"/personen/{coordinator.id}/deaktivieren")
    assert Person.get_by_id(coordinator.id).active


def test_deactivate_and_reactivate_keep_the_name(client_as, people):
    partner = people["partner"]
    client = client_as("coordinator")
    submit(client, f"/personen/{partner.id}", action=f"/personen/{partner.id}/deaktivieren")
    assert not Person.get_by_id(partner.id).active
    assert partner.name in client.get(f"/personen/{partner.id}").get_data(as_text=True)
    assert partner.name not in client.get("/personen/").get_data(as_text=True)
    assert partner.name in client.get("/personen/?zeigen=deaktiviert").get_data(as_text=True)
    submit(client, f"/personen/{partner.id}", action=f"/personen/{partner.id}/reaktivieren")
    assert Person.get_by_id(partner.id).active
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions[-2:] == ["person.deactivated", "person.reactivated"]


def test_members_see_people_but_not_their_email(client_as, people):
    text = client_as("member").get("/personen/").get_data(as_text=True)
    assert people["partner"].name in text and people["partner"].email not in text
    assert people["partner"].email in client_as("coordinator").get("/personen/").get_data(as_text=True)


def test_members_do_not_see_deactivated_people_pages(client_as, make_person):
    gone = make_person("partner", active=False)
    assert client_as("member").get(f"/personen/{gone.id}").status_code == 404


def test_organisation_create_edit_and_conflict(client_as, app, people):
    client = client_as("coordinator")
    created = submit(client, "/organisationen/neu", {"name": "Frühförderstelle Auental",
                                                       "sector": "early_intervention", "contact_phone": "0641 1"})
    assert created.status_code == 303
    organisation = Organisation.get(Organisation.name == "Frühförderstelle Auental")
    assert organisation.sector_label == "Frühförderung / SPZ"

    duplicate = submit(client, "/organisationen/neu", {"name": "frühförderstelle auental", "sector": "other"})
    assert duplicate.status_code == 422
    assert "gibt es schon" in duplicate.get_data(as_text=True)

    url = f"/organisationen/{organisation.id}/bearbeiten"
    other = app.test_client(user=people["coordinator"])
    stale = csrf_from(other.get(url).get_data(as_text=True))
    fields = {"name": organisation.name, "sector": "early_intervention", "version": "1"}
    assert submit(client, url, {**fields, "contact_name": "Frau Kaya"}).status_code == 303
    clash = other.post(url, data={"csrf_token": stale, **fields, "contact_name": "Herr Ott"})
    assert clash.status_code == 409
    assert Organisation.get_by_id(organisation.id).contact_name == "Frau Kaya"
    assert [e.action for e in AuditEvent.select().order_by(AuditEvent.id)] == [
        "organisation.created", "organisation.updated"]


def test_organisations_filter_by_sector(client_as, organisation):
    Organisation.create(name="Kita Wiesengrund", sector="day_care")
    text = client_as("partner").get("/organisationen/?bereich=day_care").get_data(as_text=True)
    assert "Kita Wiesengrund" in text and organisation.name not in text


def test_own_data_export(client_as, people):
    response = client_as("member").get("/konto/export")
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = response.get_json()
    assert data["person"]["email"] == people["member"].email
    assert "password" not in response.get_data(as_text=True).lower()
    assert "session_token" not in response.get_data(as_text=True)
