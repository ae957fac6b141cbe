"""The partner register on the demo data: filters, coverage by § 3 KKG sector and district, CSV,
the sector list and who may see what. Expected figures come from SQL of their own, not from the
register's queries."""
import csv
import html
import io
import re
from datetime import date, timedelta

import pytest

from fh_intranet import demo
from fh_intranet.agreements import workflow
from fh_intranet.agreements.models import ADOPTED, SUPERSEDED, Agreement
from fh_intranet.audit import AuditEvent
from fh_intranet.db import database
from fh_intranet.people.models import Organisation, Person
from fh_intranet.register.models import Sector
from fh_intranet.timezones import berlin_today

from .agreement_fixtures import make_agreement
from .conftest import csrf_from, submit

NAME_CELL = re.compile(r'<td[^>]*data-label="Name"><a href="/organisationen/\d+">(.*?)</a></td>')


@pytest.fixture
def as_role(app, demo_data):
    def make(role):
        return app.test_client(user=Person.get(Person.email == demo.LOGINS[role]))

    return make


def sql(query: str, *params) -> list[tuple]:
    """Plain SQL with the driver's placeholder (? on SQLite, %s on PostgreSQL)."""
    return database.execute_sql(query.replace("?", database.param), params).fetchall()


def names_on(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return sorted(html.unescape(name) for name in NAME_CELL.findall(response.get_data(as_text=True)))


def expected_names(where: str = "1 = 1", *params, status: str = "aktiv") -> list[str]:
    today = berlin_today()
    if status == "aktiv":
        where += " AND (left_on IS NULL OR left_on > ?)"
        params += (today,)
    elif status == "ausgeschieden":
        where += " AND left_on <= ?"
        params += (today,)
    return sorted(row[0] for row in sql(f"SELECT name FROM organisation WHERE {where}", *params))


def adopted_signers() -> set[int]:
    return {row[0] for row in sql("SELECT s.organisation_id FROM signature s JOIN agreement a "
                                  "ON a.id = s.agreement_id WHERE a.state = 'adopted'")}


# --- the demo data itself ----------------------------------------------------------------------------

def test_demo_network_has_25_organisations_in_three_districts_some_of_which_left(demo_data):
    assert Organisation.select().count() == 25
    assert {row[0] for row in sql("SELECT DISTINCT district FROM organisation")} == {
        "Nordstadt", "Altstadt", "Südviertel"}
    assert len(expected_names(status="ausgeschieden")) == 2
    years = {str(row[0])[:4] for row in sql("SELECT joined_on FROM organisation") if row[0]}
    assert len(years) >= 8, "joined over many years"
    assert len(adopted_signers()) >= 12


# --- filters -----------------------------------------------------------------------------------------

def test_the_unfiltered_register_lists_the_active_partners(as_role):
    for role in ["partner", "member", "coordinator"]:
        assert names_on(as_role(role).get("/netzwerk/partner")) == expected_names()


def test_sector_district_and_status_filters(as_role):
    client = as_role("member")
    for sector in ["midwives", "day_care", "paediatric_practice", "police"]:
        for district in ["", "Nordstadt", "Südviertel", "-"]:
            for status in ["aktiv", "ausgeschieden", "alle"]:
                response = client.get("/netzwerk/partner", query_string={
                    "bereich": sector, "sozialraum": district, "status": status})
                where, params = "sector = ?", (sector,)
                if district:
                    where, params = where + " AND district = ?", params + ("" if district == "-" else district,)
                assert names_on(response) == expected_names(where, *params, status=status), (sector, district, status)
    assert names_on(client.get("/netzwerk/partner?sozialraum=Altstadt")) == expected_names("district = ?", "Altstadt")


def test_signed_and_not_signed_any_agreement_in_force(as_role):
    client = as_role("coordinator")
    signers = adopted_signers()
    everyone = {row[1]: row[0] for row in sql("SELECT id, name FROM organisation")}
    active = set(expected_names())
    signed = names_on(client.get("/netzwerk/partner?unterzeichnet=ja"))
    unsigned = names_on(client.get("/netzwerk/partner?unterzeichnet=nein"))
    assert signed == sorted(name for name, id_ in everyone.items() if id_ in signers and name in active)
    assert unsigned == sorted(name for name, id_ in everyone.items() if id_ not in signers and name in active)
    assert "Kita Sonnenhof" in signed and "Kita Pusteblume" in unsigned
    # with the people who left, one of whom signed before leaving
    assert "Hebammenpraxis Mühlental" in names_on(client.get("/netzwerk/partner?unterzeichnet=ja&status=alle"))


def test_signed_filter_for_one_agreement(as_role):
    adopted = sql("SELECT id FROM agreement WHERE state = 'adopted' AND kind = 'cooperation'")[0][0]
    rules = sql("SELECT id FROM agreement WHERE kind = 'rules_of_procedure'")[0][0]
    client = as_role("partner")
    # Rules of procedure are adopted, never signed: no choice in this filter (it always listed nobody)
    assert f'<option value="{rules}"' not in client.get("/netzwerk/partner").get_data(as_text=True)
    assert names_on(client.get(f"/netzwerk/partner?unterzeichnet=ja&vereinbarung={rules}")) == names_on(
        client.get("/netzwerk/partner?unterzeichnet=ja"))
    signed = names_on(client.get(f"/netzwerk/partner?unterzeichnet=ja&vereinbarung={adopted}&status=alle"))
    assert signed == sorted(row[0] for row in sql(
        "SELECT o.name FROM organisation o JOIN signature s ON s.organisation_id = o.id WHERE s.agreement_id = ?",
        adopted))


SIGNED_CELL = re.compile(r'<td[^>]*data-label="Name"><a href="/organisationen/(\d+)">.*?'
                         r'<td[^>]*data-label="Unterzeichnet">(.*?)</td>', re.S)


def signed_cells(response) -> dict[int, str]:
    return {int(id_): cell for id_, cell in SIGNED_CELL.findall(response.get_data(as_text=True))}


def test_a_row_links_the_agreements_in_force_and_counts_the_superseded_ones(as_role, app):
    client = as_role("member")
    with app.app_context():
        # A new cooperation agreement in force, the old one superseded, one partner signed both.
        coordinator = Person.get(Person.email == demo.LOGINS["coordinator"])
        old = Agreement.get_by_id(sql("SELECT id FROM agreement WHERE state = 'adopted' AND kind = 'cooperation'")[0][0])
        old_id, old_title = old.id, old.title
        signers = {row[0] for row in sql("SELECT organisation_id FROM signature WHERE agreement_id = ?", old_id)}
        workflow.change_state(old, SUPERSEDED, coordinator)
        new = make_agreement(coordinator, ADOPTED, title="Kooperationsvereinbarung 2027–2029")
        workflow.record_signature(new, Organisation.get_by_id(min(signers)), signer_name="Jana Roth",
                                  signer_function="Leitung", signed_on=date(2026, 7, 1), accession=False,
                                  recorded_by=coordinator)
    cells = signed_cells(client.get("/netzwerk/partner?status=alle"))
    assert signers & cells.keys(), "someone on the page signed the superseded agreement"
    for organisation_id, cell in cells.items():
        in_force = sql("SELECT a.id FROM signature s JOIN agreement a ON a.id = s.agreement_id "
                       "WHERE s.organisation_id = ? AND a.state = 'adopted'", organisation_id)
        earlier = sql("SELECT COUNT(*) FROM signature s JOIN agreement a ON a.id = s.agreement_id "
                      "WHERE s.organisation_id = ? AND a.state = 'superseded'", organisation_id)[0][0]
        assert sorted(int(id_) for id_ in re.findall(r'href="/vereinbarungen/(\d+)"', cell)) == sorted(r[0] for r in in_force)
        if earlier:
            assert f'href="/organisationen/{organisation_id}#signatures-heading"' in cell
            assert f"{earlier} abgelöste Vereinbarung" in cell
            assert cell.split("abgelöste")[0].strip().endswith(("und " + str(earlier), ">" + str(earlier)))
        else:
            assert "abgelöste" not in cell
        assert (cell.strip() == "–") == (not in_force and not earlier)
    # Filtered by the superseded agreement, its signature is in the row, not counted.
    filtered = signed_cells(client.get(f"/netzwerk/partner?unterzeichnet=ja&vereinbarung={old_id}&status=alle"))
    assert filtered.keys() == signers
    for cell in filtered.values():
        assert f'href="/vereinbarungen/{old_id}"' in cell and html.escape(old_title) in cell
        assert re.search(rf'/vereinbarungen/{old_id}">[^<]*</a> \(\d\d\.\d\d\.\d{{4}}, abgelöst\)', cell), cell
    # The organisation's own page lists every signature, superseded ones marked.
    page = client.get(f"/organisationen/{min(signers)}").get_data(as_text=True)
    assert f'href="/vereinbarungen/{old_id}">{html.escape(old_title)}</a> (abgelöst)' in page
    assert re.search(r"Kooperationsvereinbarung 2027–2029</a>\s*–", page), "in force: not marked"
    # and the CSV
    rows = list(csv.reader(io.StringIO(client.get("/netzwerk/partner.csv?status=alle").get_data(as_text=True)
                                       .lstrip("\ufeff")), delimiter=";"))
    signed = {row[0]: row[-1] for row in rows[1:]}
    name = Organisation.get_by_id(min(signers)).name
    assert f"{old_title} (" in signed[name] and ", abgelöst)" in signed[name]
    assert "Kooperationsvereinbarung 2027–2029 (01.07.2026)" in signed[name]


def test_a_draft_agreement_is_no_filter_choice(as_role):
    draft = sql("SELECT id, title FROM agreement WHERE state = 'consultation'")[0]
    page = as_role("coordinator").get("/netzwerk/partner").get_data(as_text=True)
    assert f'<option value="{draft[0]}"' not in page and draft[1] not in page
    # a forged id is ignored: the filter falls back to "any agreement in force"
    forged = as_role("coordinator").get(f"/netzwerk/partner?unterzeichnet=ja&vereinbarung={draft[0]}")
    assert names_on(forged) == names_on(as_role("coordinator").get("/netzwerk/partner?unterzeichnet=ja"))


def test_left_on_in_the_future_is_still_active_and_today_is_left(as_role):
    today = berlin_today()
    Organisation.create(name="Praxis Abschied Morgen", sector="midwives", district="Altstadt",
                        left_on=today + timedelta(days=1))
    Organisation.create(name="Praxis Abschied Heute", sector="midwives", district="Altstadt", left_on=today)
    active = names_on(as_role("member").get("/netzwerk/partner?bereich=midwives"))
    left = names_on(as_role("member").get("/netzwerk/partner?bereich=midwives&status=ausgeschieden"))
    assert "Praxis Abschied Morgen" in active and "Praxis Abschied Morgen" not in left
    assert "Praxis Abschied Heute" in left and "Praxis Abschied Heute" not in active


def test_htmx_filter_answers_only_the_list(as_role):
    response = as_role("partner").get("/netzwerk/partner?bereich=day_care", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    status, region = body.lstrip().split("\n", 1)  # the list, and the line outside it that says its count
    assert status.startswith('<p id="list-status" hx-swap-oob="innerHTML">')
    assert region.startswith('<div id="register-list"') and "<h1" not in body
    assert sorted(html.unescape(n) for n in NAME_CELL.findall(body)) == expected_names("sector = ?", "day_care")
    assert "HX-Request" in response.headers["Vary"]


def test_the_filter_is_a_plain_get_form(as_role):
    page = as_role("partner").get("/netzwerk/partner").get_data(as_text=True)
    form = re.search(r'<form method="get" action="/netzwerk/partner"[^>]*>(.*?)</form>', page, re.S)
    assert form, "a GET form that works without JavaScript"
    assert {"bereich", "sozialraum", "unterzeichnet", "vereinbarung", "status"} <= set(
        re.findall(r'name="([a-z]+)"', form.group(1)))
    assert re.search(r'<button[^>]*type="submit"[^>]*><span class="kern-label">Filtern</span></button>', form.group(1))


def test_the_register_pages_in_fifties(as_role):
    for number in range(60):
        Organisation.create(name=f"Kita Nummer {number:02d}", sector="day_care", district="Nordstadt")
    client = as_role("member")
    first = names_on(client.get("/netzwerk/partner?bereich=day_care"))
    second = names_on(client.get("/netzwerk/partner?bereich=day_care&seite=2"))
    assert len(first) == 50 and not set(first) & set(second)
    assert sorted(first + second) == expected_names("sector = ?", "day_care")


# --- coverage ----------------------------------------------------------------------------------------

def coverage_table(page: str) -> dict[str, dict[str, str]]:
    """{sector label: {column: cell text}} from the coverage table's body."""
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", page, re.S).group(1)
    table = {}
    for label, cells in re.findall(r'<th[^>]*scope="row">(.*?)</th>(.*?)</tr>', body, re.S):
        table[html.unescape(label)] = {
            html.unescape(column): html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
            for column, text in re.findall(r'<td[^>]*data-label="([^"]*)">(.*?)</td>', cells, re.S)}
    return table


def test_coverage_counts_per_sector_and_district_match_the_database(as_role):
    page = as_role("member").get("/netzwerk/abdeckung").get_data(as_text=True)
    table = coverage_table(page)
    labels = {row[0]: row[1] for row in sql("SELECT key, label FROM sector")}
    counts = {}
    for sector, district, n in sql("SELECT sector, district, COUNT(*) FROM organisation "
                                   "WHERE left_on IS NULL OR left_on > ? GROUP BY sector, district", berlin_today()):
        counts[(sector, district)] = n
    districts = ["Altstadt", "Nordstadt", "Südviertel"]
    for key, label in labels.items():
        row = table[label]
        for district in districts:
            assert row[district] == str(counts.get((key, district), 0)), (label, district)
        assert row["Gesamt"] == str(sum(counts.get((key, d), 0) for d in districts)), label
    assert len(table) == len(labels)


def test_coverage_names_missing_weak_and_district_gaps(as_role):
    page = as_role("coordinator").get("/netzwerk/abdeckung").get_data(as_text=True)
    table = coverage_table(page)
    kkg = {row[0] for row in sql("SELECT label FROM sector WHERE counts_for_kkg = ?", True)}
    active = dict(sql("SELECT sector, COUNT(*) FROM organisation WHERE left_on IS NULL OR left_on > ? "
                      "GROUP BY sector", berlin_today()))
    by_label = {row[1]: row[0] for row in sql("SELECT key, label FROM sector")}
    for label in kkg:
        n = active.get(by_label[label], 0)
        verdict = table[label]["Bewertung"]
        if n == 0:
            assert verdict == "fehlt", label
        elif n == 1:
            assert verdict == "schwach vertreten", label
        else:
            assert verdict.startswith("vertreten"), label
    assert table["Polizei / Ordnungsbehörde"]["Bewertung"] == "fehlt"
    assert table["Familiengericht"]["Bewertung"] == "fehlt"
    assert table["Frühförderung / SPZ"]["Bewertung"] == "schwach vertreten"
    # no paediatric practice in the Südviertel
    assert table["Kinder- und Jugendarztpraxis"]["Bewertung"] == "vertreten, fehlt in Südviertel"
    assert table["Mehrgenerationenhaus"]["Bewertung"] == "–", "not a § 3 KKG sector: no verdict"
    gaps = re.search(r'<section aria-labelledby="gaps-heading".*?</section>', page, re.S).group(0)
    assert "Familiengericht" in gaps and "Kinder- und Jugendarztpraxis: fehlt in Südviertel" in gaps


def test_a_left_partner_no_longer_covers_its_sector(as_role):
    # the Hebammenpraxis Mühlental (Altstadt) left: midwives are missing in the Altstadt
    table = coverage_table(as_role("member").get("/netzwerk/abdeckung").get_data(as_text=True))
    assert table["Hebammen und Familienhebammen (FGKiKP)"]["Altstadt"] == "0"


def test_coverage_cells_link_to_the_register(as_role):
    page = as_role("member").get("/netzwerk/abdeckung").get_data(as_text=True)
    assert "/netzwerk/partner?bereich=day_care&amp;sozialraum=Nordstadt" in page
    names = names_on(as_role("member").get("/netzwerk/partner?bereich=day_care&sozialraum=Nordstadt"))
    assert names == expected_names("sector = ? AND district = ?", "day_care", "Nordstadt")


# --- CSV -----------------------------------------------------------------------------------------------

def test_csv_is_for_german_excel_and_follows_the_filters(as_role):
    response = as_role("member").get("/netzwerk/partner.csv?sozialraum=Südviertel&status=alle")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="partnerregister.csv"' in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Name", "Bereich", "§ 3 KKG", "Sozialraum / Ort"]
    assert all(len(row) == len(rows[0]) for row in rows)
    assert sorted(row[0] for row in rows[1:]) == expected_names("district = ?", "Südviertel", status="alle")
    by_name = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    school = by_name["Grundschule am Südpark"]
    assert school["Sozialraum / Ort"] == "Südviertel" and school["Im Netzwerk seit"] == "01.08.2022"
    assert school["Status"] == "aktiv" and school["§ 3 KKG"] == "ja"
    assert by_name["Mehrgenerationenhaus Südviertel"]["§ 3 KKG"] == "nein"
    assert "Kooperationsvereinbarung Frühe Hilfen 2024–2026" in by_name["Kita Sonnenhof"]["Unterzeichnete Vereinbarungen"]
    assert "Südring 23, 35999 Auental" == by_name["Sozial- und Schuldnerberatung Südviertel"]["Anschrift"]


def test_csv_names_a_left_organisation_as_left(as_role):
    rows = list(csv.reader(io.StringIO(as_role("coordinator").get("/netzwerk/partner.csv?status=ausgeschieden")
                                       .get_data().decode("utf-8-sig")), delimiter=";"))
    assert sorted(row[0] for row in rows[1:]) == expected_names(status="ausgeschieden")
    assert {row[rows[0].index("Status")] for row in rows[1:]} == {"ausgeschieden"}


# --- organisations carry the register's fields ----------------------------------------------------------

def test_organisation_edit_saves_district_and_dates(as_role):
    organisation = Organisation.get(Organisation.name == "Kita Pusteblume")
    client = as_role("coordinator")
    url = f"/organisationen/{organisation.id}/bearbeiten"
    form = client.get(url).get_data(as_text=True)
    assert '<datalist id="district-options">' in form and '<option value="Südviertel">' in form
    fields = {"name": organisation.name, "sector": "day_care", "version": str(organisation.version)}
    wrong = submit(client, url, {**fields, "district": "Altstadt", "joined_on": "2020-01-01", "left_on": "2019-12-31"})
    assert wrong.status_code == 422
    assert "Das Datum des Ausscheidens liegt vor dem Beitritt." in wrong.get_data(as_text=True)
    done = submit(client, url, {**fields, "district": "  Altstadt ", "joined_on": "2019-08-01",
                                "left_on": "2026-12-31"})
    assert done.status_code == 303
    stored = Organisation.get_by_id(organisation.id)
    assert (stored.district, stored.joined_on, stored.left_on) == ("Altstadt", date(2019, 8, 1), date(2026, 12, 31))
    event = AuditEvent.select().where(AuditEvent.action == "organisation.updated").get()
    assert event.details_dict["changes"]["district"] == ["Nordstadt", "Altstadt"]
    detail = client.get(f"/organisationen/{organisation.id}").get_data(as_text=True)
    assert "Altstadt" in detail and "01.08.2019" in detail
    assert "Sozialraum / Ort, Ausgeschieden am)" in detail, "the history names the new fields"


def test_organisation_page_shows_signatures_and_people(as_role):
    kita = Organisation.get(Organisation.name == "Kita Sonnenhof")
    member_view = as_role("member").get(f"/organisationen/{kita.id}").get_data(as_text=True)
    assert "Kooperationsvereinbarung Frühe Hilfen 2024–2026" in member_view and "Beitritt" in member_view
    assert "Birgit Hoffmann" in member_view and "Personen dieser Organisation" in member_view
    partner_view = as_role("partner").get(f"/organisationen/{kita.id}").get_data(as_text=True)
    assert "Kooperationsvereinbarung Frühe Hilfen 2024–2026" in partner_view
    unsigned = Organisation.get(Organisation.name == "Kita Pusteblume")
    assert "noch keine Vereinbarung unterzeichnet" in as_role("partner").get(
        f"/organisationen/{unsigned.id}").get_data(as_text=True)


# --- the sector list -------------------------------------------------------------------------------------

def test_seeded_sectors_are_the_kkg_defaults(app):
    from fh_intranet.people.models import KKG_SECTORS, SECTORS

    sectors = list(Sector.select().order_by(Sector.position))
    assert [s.key for s in sectors] == list(SECTORS)
    assert {s.key for s in sectors if s.counts_for_kkg} == KKG_SECTORS
    assert sectors[0].label == "Kinder- und Jugendhilfe (öffentlich)"


def test_coordinator_adds_renames_reorders_and_deactivates_sectors(as_role):
    client = as_role("coordinator")
    created = submit(client, "/netzwerk/bereiche/neu", {"label": "Lotsendienst  Geburtsklinik", "counts_for_kkg": "y"})
    assert created.status_code == 303
    new = Sector.get(Sector.label == "Lotsendienst Geburtsklinik")
    assert new.key == "lotsendienst_geburtsklinik" and new.counts_for_kkg and new.active
    assert new.position == Sector.select().count()
    assert '<option value="lotsendienst_geburtsklinik">' in client.get("/organisationen/neu").get_data(as_text=True)
    again = submit(client, "/netzwerk/bereiche/neu", {"label": "lotsendienst geburtsklinik"})
    assert again.status_code == 409 and "gibt es schon" in again.get_data(as_text=True)

    # rename: the key stays, every page shows the new label
    day_care = Sector.get(Sector.key == "day_care")
    url = f"/netzwerk/bereiche/{day_care.id}/bearbeiten"
    renamed = submit(client, url, {"label": "Kita und Kindertagespflege", "counts_for_kkg": "y", "active": "y",
                                   "version": str(day_care.version)})
    assert renamed.status_code == 303
    register = client.get("/netzwerk/partner?bereich=day_care").get_data(as_text=True)
    assert "Kita und Kindertagespflege" in register and "Kindertagesbetreuung" not in register

    # move the new sector up by one
    before = [s.id for s in Sector.select().order_by(Sector.position)]
    moved = submit(client, "/netzwerk/bereiche", {"richtung": "hoch"}, action=f"/netzwerk/bereiche/{new.id}/verschieben")
    assert moved.status_code == 303
    after = [s.id for s in Sector.select().order_by(Sector.position)]
    assert after == before[:-2] + [before[-1], before[-2]]

    # deactivate: no longer offered, but organisations keep it and their edit form still offers it
    day_care = Sector.get_by_id(day_care.id)
    assert submit(client, url, {"label": day_care.label, "counts_for_kkg": "y",
                                "version": str(day_care.version)}).status_code == 303
    assert not Sector.get_by_id(day_care.id).active
    assert '<option value="day_care">' not in client.get("/organisationen/neu").get_data(as_text=True)
    kita = Organisation.get(Organisation.name == "Kita Sonnenhof")
    assert '<option selected value="day_care">' in client.get(f"/organisationen/{kita.id}/bearbeiten").get_data(as_text=True)
    forged = submit(client, "/organisationen/neu", {"name": "Kita Neu", "sector": "day_care"})
    assert forged.status_code == 422 and not Organisation.select().where(Organisation.name == "Kita Neu").exists()
    assert "Kita und Kindertagespflege" in client.get(f"/organisationen/{kita.id}").get_data(as_text=True)
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.object_type == "Sector").order_by(AuditEvent.id)]
    assert actions == ["sector.created", "sector.updated", "sector.moved", "sector.updated"]


def test_sectors_cannot_be_deleted(app):
    deleting = [rule for rule in app.url_map.iter_rules()
                if rule.endpoint.startswith("register.") and ("loeschen" in rule.rule or "delete" in rule.endpoint)]
    assert deleting == []


def test_only_the_coordinator_manages_sectors(as_role):
    for role in ["partner", "member"]:
        _refused_sector_changes(as_role(role))


def _refused_sector_changes(client):
    sector = Sector.get(Sector.key == "school")
    token = csrf_from(client.get("/netzwerk/partner").get_data(as_text=True))
    assert client.get("/netzwerk/bereiche").status_code == 403
    assert client.post("/netzwerk/bereiche/neu", data={"csrf_token": token, "label": "Heimlich"}).status_code == 403
    assert client.post(f"/netzwerk/bereiche/{sector.id}/bearbeiten", data={
        "csrf_token": token, "label": "Umbenannt", "version": str(sector.version)}).status_code == 403
    assert client.post(f"/netzwerk/bereiche/{sector.id}/verschieben",
                       data={"csrf_token": token, "richtung": "hoch"}).status_code == 403
    assert Sector.get_by_id(sector.id).label == "Schule" and Sector.get_by_id(sector.id).position == sector.position
    assert not Sector.select().where(Sector.label == "Heimlich").exists()
    assert "/netzwerk/bereiche" not in client.get("/netzwerk/partner").get_data(as_text=True)


def test_partners_see_the_register_but_not_the_coverage(as_role):
    client = as_role("partner")
    assert client.get("/netzwerk/partner").status_code == 200
    assert client.get("/netzwerk/abdeckung").status_code == 403
    assert "/netzwerk/abdeckung" not in client.get("/netzwerk/partner").get_data(as_text=True)


def test_english_shows_the_default_labels_translated_and_renamed_ones_as_written(app, as_role):
    from flask_babel import force_locale

    from fh_intranet.people.models import SECTORS

    with app.test_request_context(), force_locale("en"):
        english = str(SECTORS["school"])
    assert english != "Schule"
    person = Person.get(Person.email == demo.LOGINS["member"])
    Person.update(locale="en").where(Person.id == person.id).execute()
    Sector.update(label="Kinderarztpraxen").where(Sector.key == "paediatric_practice").execute()
    page = app.test_client(user=Person.get_by_id(person.id)).get("/netzwerk/abdeckung").get_data(as_text=True)
    assert english in page and "Kinderarztpraxen" in page


def test_coverage_on_a_past_day_counts_only_partners_who_had_joined(demo_data):
    """The annual report asks for the coverage on 31 December: a partner who joined later is not in it."""
    from fh_intranet.register import queries

    def police(coverage):
        return next(row for row in coverage.rows if row.sector.key == "police")

    assert police(queries.coverage()).total == 0, "the demo network has no police partner"
    Organisation.create(name="Polizeiinspektion Auental", sector="police", district="Altstadt",
                        joined_on=date(2026, 6, 1))
    assert police(queries.coverage(today=date(2025, 12, 31))).total == 0
    assert police(queries.coverage(today=date(2026, 12, 31))).total == 1
