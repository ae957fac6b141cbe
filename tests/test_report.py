"""The annual network report on the demo data: every figure equals a count of its own (SQL written
here, not the report's queries), the text blocks, finalising (the snapshot does not move when the data
does), the PDF and the CSV, and who may do what."""
import csv
import io
import re
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from fh_intranet import demo
from fh_intranet.agreements.models import ADOPTED, SUPERSEDED, Agreement, AgreementVersion, Signature
from fh_intranet.db import database
from fh_intranet.meetings.models import Body, Meeting
from fh_intranet.pdf_cache import RenderedPdf
from fh_intranet.people.models import Organisation, Person
from fh_intranet.report.models import AnnualReport
from fh_intranet.report.queries import build
from fh_intranet.topics.models import VotingRound
from fh_intranet.workshops.models import Output, Workshop

from .conftest import csrf_from

YEAR = 2026
FIRST, LAST = date(YEAR, 1, 1), date(YEAR, 12, 31)


def _utc(year):
    local = datetime(year, 1, 1, tzinfo=ZoneInfo("Europe/Berlin"))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


START, END = _utc(YEAR), _utc(YEAR + 1)


def rows(query, *params):
    """The rows of plain SQL (placeholders written as ?)."""
    return database.execute_sql(query.replace("?", database.obj.param), params).fetchall()


def sql(query, *params):
    """The one number plain SQL answers."""
    (found,), = rows(query, *params)
    return found


ACTIVE_AT_END = "(joined_on IS NULL OR joined_on <= ?) AND (left_on IS NULL OR left_on > ?)"


@pytest.fixture
def as_role(app, demo_data):
    def make(role):
        return app.test_client(user=Person.get(Person.email == demo.LOGINS[role]))

    return make


@pytest.fixture
def figures(app, demo_data):
    with app.test_request_context():
        return build(YEAR)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- figures against counts of their own --------------------------------------------------------------

def test_partner_figures_equal_sql_counts(figures):
    partners = figures["partners"]
    assert partners["active"] == sql(f"SELECT COUNT(*) FROM organisation WHERE {ACTIVE_AT_END}", LAST, LAST) > 0
    assert partners["joined"] == sql("SELECT COUNT(*) FROM organisation WHERE joined_on BETWEEN ? AND ?", FIRST, LAST)
    assert partners["left"] == sql("SELECT COUNT(*) FROM organisation WHERE left_on BETWEEN ? AND ?", FIRST, LAST)
    assert partners["left"] >= 1, "the demo network has a partner that left this year"
    by_sector = dict(rows(f"SELECT sector, COUNT(*) FROM organisation WHERE {ACTIVE_AT_END} GROUP BY sector",
                         LAST, LAST))
    assert {row["key"]: row["active"] for row in partners["rows"] if row["active"]} == by_sector
    assert partners["left_names"] == sorted(
        name for (name,) in rows("SELECT name FROM organisation WHERE left_on BETWEEN ? AND ?", FIRST, LAST))


def test_meeting_and_attendance_figures_equal_sql_counts(figures):
    meetings = figures["meetings"]
    held = dict(rows("SELECT body_id, COUNT(*) FROM meeting WHERE state = 'published' AND starts_at >= ? "
                    "AND starts_at < ? GROUP BY body_id", START, END))
    assert held and {row["body_id"]: row["meetings"] for row in meetings["rows"]} == held
    present = sql("SELECT COUNT(*) FROM attendance a JOIN meeting m ON m.id = a.meeting_id WHERE a.status = 'present' "
                  "AND m.state = 'published' AND m.starts_at >= ? AND m.starts_at < ?", START, END)
    assert meetings["present"] == present > 0
    by_sector = dict(rows("SELECT COALESCE(o.sector, ''), COUNT(*) FROM attendance a JOIN meeting m ON m.id = a.meeting_id "
                         "JOIN person p ON p.id = a.person_id LEFT JOIN organisation o ON o.id = p.organisation_id "
                         "WHERE a.status = 'present' AND m.state = 'published' AND m.starts_at >= ? AND m.starts_at < ? "
                         "GROUP BY COALESCE(o.sector, '')", START, END))
    keys = [column["key"] for column in meetings["columns"]]
    totals = {key: sum(row["by_sector"][i] for row in meetings["rows"]) for i, key in enumerate(keys)}
    assert totals == by_sector
    fachtage = sql("SELECT COUNT(*) FROM meeting WHERE kind = 'fachtag' AND state = 'published' AND starts_at >= ? "
                   "AND starts_at < ?", START, END)
    assert len(figures["fachtage"]["rows"]) == fachtage >= 1
    outputs = sql("SELECT COUNT(*) FROM output o JOIN workshop w ON w.id = o.workshop_id JOIN meeting m ON m.id = w.meeting_id "
                  "WHERE m.kind = 'fachtag' AND m.state = 'published' AND m.starts_at >= ? AND m.starts_at < ?", START, END)
    assert figures["fachtage"]["outputs"] == outputs > 0


def test_agreement_decision_and_action_figures_equal_sql_counts(figures):
    agreements = figures["agreements"]
    assert agreements["signatures_in_year"] == sql(
        "SELECT COUNT(*) FROM signature WHERE signed_on BETWEEN ? AND ?", FIRST, LAST)
    assert len(agreements["adopted"]) == sql(
        "SELECT COUNT(*) FROM agreement WHERE adopted_on BETWEEN ? AND ? AND state IN ('adopted', 'superseded')",
        FIRST, LAST)
    active = sql(f"SELECT COUNT(*) FROM organisation WHERE {ACTIVE_AT_END}", LAST, LAST)
    assert agreements["in_force"]
    for row in agreements["in_force"]:
        signed = sql(f"SELECT COUNT(DISTINCT s.organisation_id) FROM signature s JOIN organisation o "
                     f"ON o.id = s.organisation_id WHERE s.agreement_id = ? AND s.signed_on <= ? AND "
                     f"{ACTIVE_AT_END.replace('joined_on', 'o.joined_on').replace('left_on', 'o.left_on')}",
                     row["id"], LAST, LAST, LAST)
        # rules of procedure bind the steering group; partners do not sign them, none is missing
        kind = sql("SELECT kind FROM agreement WHERE id = ?", row["id"])
        expected_missing = 0 if kind == "rules_of_procedure" else active - signed
        assert (row["signatures"], row["missing"]) == (signed, expected_missing)
        assert len(row["missing_names"]) == row["missing"]
    decisions = sql("SELECT COUNT(*) FROM decision WHERE year = ?", YEAR)
    assert figures["decisions"]["count"] == decisions > 0
    actions = figures["actions"]
    assert actions["opened"] == sql("SELECT COUNT(*) FROM action_item WHERE created_at >= ? AND created_at < ?",
                                    START, END)
    assert actions["done"] == sql("SELECT COUNT(*) FROM action_item WHERE done_at >= ? AND done_at < ?", START, END)
    assert actions["overdue"] == sql("SELECT COUNT(*) FROM action_item WHERE created_at < ? AND due_on < ? AND "
                                     "(done_at IS NULL OR done_at >= ?)", END, LAST, END)
    assert actions["opened"] > 0


def test_priority_and_offering_figures_equal_sql_counts(figures):
    rounds = sql("SELECT COUNT(*) FROM voting_round WHERE finalized_at IS NOT NULL AND closes_at >= ? AND closes_at < ?",
                 START, END)
    assert len(figures["priorities"]) == rounds
    for round_ in figures["priorities"]:
        top = rows("SELECT title FROM round_result WHERE round_id = ? AND rank <= 3 ORDER BY position", round_["id"])
        assert [result["title"] for result in round_["top"]] == [title for (title,) in top]
    published = ("published = ? AND created_at < ? AND (valid_until IS NULL OR valid_until >= ?)", (True, END, FIRST))
    assert figures["offerings"]["total"] == sql(f"SELECT COUNT(*) FROM offering WHERE {published[0]}", *published[1]) > 0
    for row in figures["offerings"]["rows"]:
        assert row["count"] == sql(f"SELECT COUNT(*) FROM offering WHERE {published[0]} AND target_groups LIKE ?",
                                   *published[1], f"%,{row['key']},%"), row["key"]


def test_the_counting_rules_at_their_edges(app, demo_data):
    """What the demo data leaves out: a Fachtag without workshops, a finalised round without results,
    agreements superseded after and within the year, a signature given before the year."""
    coordinator = Person.get(Person.email == demo.LOGINS["coordinator"])
    body = Body.select().first()

    def fachtag(title, month):
        return Meeting.create(body=body, kind="fachtag", title=title, state="published",
                              starts_at=datetime(YEAR, month, 1, 8), ends_at=datetime(YEAR, month, 1, 15))

    fachtag("Fachtag ohne Thementische", 9)
    with_tables = fachtag("Fachtag mit Thementischen", 10)
    tables = [Workshop.create(meeting=with_tables, title=f"Tisch {n}") for n in (1, 2)]
    for table, outputs in zip(tables, (2, 1), strict=True):
        for _ in range(outputs):
            Output.create(workshop=table, text="Idee", author=coordinator)
    empty_round = VotingRound.create(title="Runde ohne Ergebnis", body=body, opens_at=datetime(YEAR, 9, 1),
                                     closes_at=datetime(YEAR, 10, 1), created_by=coordinator,
                                     finalized_at=datetime(YEAR, 10, 1, 1))

    def agreement(title, state, adopted_on, successor=None):
        return Agreement.create(title=title, state=state, adopted_on=adopted_on, superseded_by=successor,
                                created_by=coordinator)

    in_force_until_february = agreement("Bis Februar in Kraft", SUPERSEDED, date(YEAR - 2, 1, 1),
                                        agreement("Nachfolgerin des nächsten Jahres", ADOPTED, date(YEAR + 1, 2, 1)))
    agreement("Im November abgelöst", SUPERSEDED, date(YEAR - 2, 1, 1),
              agreement("Nachfolgerin im Jahr", ADOPTED, date(YEAR, 11, 1)))
    with app.test_request_context():
        signed_in_year = build(YEAR)["agreements"]["signatures_in_year"]
    partner = Organisation.get_by_id(rows(f"SELECT id FROM organisation WHERE {ACTIVE_AT_END} ORDER BY id", LAST, LAST)[0][0])
    version = AgreementVersion.create(agreement=in_force_until_february, number=1, text="Text", author=coordinator)
    Signature.create(agreement=in_force_until_february, organisation=partner, version=version, signer_name="A. B.",
                     signed_on=date(YEAR - 1, 5, 1), recorded_by=coordinator)

    with app.test_request_context():
        figures = build(YEAR)
    fachtage = {row["title"]: (row["workshops"], row["outputs"]) for row in figures["fachtage"]["rows"]}
    assert fachtage["Fachtag ohne Thementische"] == (0, 0) and fachtage["Fachtag mit Thementischen"] == (2, 3)
    assert next(row for row in figures["priorities"] if row["id"] == empty_round.id)["top"] == []
    in_force = {row["title"]: row for row in figures["agreements"]["in_force"]}
    assert "Bis Februar in Kraft" in in_force and "Im November abgelöst" not in in_force
    assert "Nachfolgerin im Jahr" in in_force and "Nachfolgerin des nächsten Jahres" not in in_force
    assert in_force["Bis Februar in Kraft"]["signatures"] == 1, "signed before the year: counts at its end"
    assert partner.name not in in_force["Bis Februar in Kraft"]["missing_names"]
    assert figures["agreements"]["signatures_in_year"] == signed_in_year, "but not as given in the year"
    adopted = [row["title"] for row in figures["agreements"]["adopted"]]
    assert "Nachfolgerin im Jahr" in adopted and "Nachfolgerin des nächsten Jahres" not in adopted


def test_the_page_shows_the_figures_with_links_to_their_lists(as_role, figures):
    response = as_role("member").get(f"/netzwerk/bericht/{YEAR}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("<h1") == 1
    assert f'<a href="/beschluesse/?jahr={YEAR}">{figures["decisions"]["count"]}</a>' in html
    assert f'<a href="/aufgaben/?ueberfaellig=1">{figures["actions"]["overdue"]}</a>' in html
    agreement = figures["agreements"]["in_force"][0]
    assert (f'<a href="/netzwerk/partner?unterzeichnet=nein&amp;vereinbarung={agreement["id"]}">'
            f'{agreement["missing"]}</a>') in html
    parents = next(row for row in figures["offerings"]["rows"] if row["key"] == "parents")
    assert f'<a href="/angebote/?zielgruppe=parents">{parents["count"]}</a>' in html
    assert "Vorläufig" in html and "Bericht abschließen" not in html  # members read, do not finalise
    assert 'href="/netzwerk/bericht/"' in as_role("member").get("/netzwerk/partner").get_data(as_text=True)
    assert 'href="/netzwerk/bericht/"' not in as_role("partner").get("/netzwerk/partner").get_data(as_text=True)
    assert as_role("partner").get(f"/netzwerk/bericht/{YEAR}").status_code == 403


# --- text blocks, finalising, snapshot ----------------------------------------------------------------

def _pdf_text(client) -> str:
    response = client.get(f"/netzwerk/bericht/{YEAR}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    body = response.get_data()
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()


def _page(client) -> str:
    """The page's main content (the frame carries a CSRF token of each response)."""
    html = client.get(f"/netzwerk/bericht/{YEAR}").get_data(as_text=True)
    return html[html.index("<main"):html.index("</main>")]


def _save_texts(client, introduction, outlook):
    page = client.get(f"/netzwerk/bericht/{YEAR}/texte").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    return client.post(f"/netzwerk/bericht/{YEAR}/texte", data={
        "csrf_token": csrf_from(page), "version": version, "introduction": introduction, "outlook": outlook})


def test_finalised_report_keeps_its_figures_when_the_data_changes(app, as_role):
    coordinator = as_role("coordinator")
    response = _save_texts(coordinator, "Das Netzwerk Frühe Hilfen wuchs über alle Sozialräume.",
                           "Schwerpunkt 2027: Väterarbeit und Übergänge in die Kita.")
    assert response.status_code == 303
    page = coordinator.get(f"/netzwerk/bericht/{YEAR}").get_data(as_text=True)
    assert "Väterarbeit" in page and "Bericht abschließen" in page
    asked = coordinator.post(f"/netzwerk/bericht/{YEAR}/abschliessen", data={"csrf_token": csrf_from(page)})
    assert asked.status_code == 200 and "Sachstandsbericht 2026 abschließen?" in asked.get_data(as_text=True)
    assert AnnualReport.get(AnnualReport.year == YEAR).finalised_at is None, "asking changes nothing"
    done = coordinator.post(f"/netzwerk/bericht/{YEAR}/abschliessen",
                            data={"csrf_token": csrf_from(page), "bestaetigt": "1"})
    assert done.status_code == 303
    report = AnnualReport.get(AnnualReport.year == YEAR)
    assert report.is_final and report.finalised_by.email == demo.LOGINS["coordinator"]
    assert "ist abgeschlossen" in _page(coordinator)  # the message, shown once
    page_before, pdf_before = _page(coordinator), _pdf_text(coordinator)
    csv_before = coordinator.get(f"/netzwerk/bericht/{YEAR}.csv").get_data()
    assert "Abgeschlossen am" in page_before and "Bericht abschließen" not in page_before

    # Later: a partner joins in the year, a meeting is published, a partner is backdated as left.
    newcomer = Organisation.create(name="Hebammenpraxis Grün-Äpfelbaum", sector="midwives", district="Nordstadt",
                                   joined_on=date(YEAR, 6, 1))
    body = Body.select().first()
    Meeting.create(body=body, title="Nachträglich eingetragene Sitzung", state="published",
                   starts_at=datetime(YEAR, 3, 3, 9), ends_at=datetime(YEAR, 3, 3, 11))
    Organisation.update(left_on=date(YEAR, 2, 1)).where(Organisation.id != newcomer.id,
                                                        Organisation.left_on.is_null()).execute()
    with app.test_request_context():
        assert build(YEAR) != report.figures | {"built_at": build(YEAR)["built_at"]}, "the live figures moved"
    assert _page(coordinator) == page_before
    assert _pdf_text(coordinator) == pdf_before
    assert coordinator.get(f"/netzwerk/bericht/{YEAR}.csv").get_data() == csv_before
    # The texts are closed as well.
    assert coordinator.get(f"/netzwerk/bericht/{YEAR}/texte").status_code == 303
    assert coordinator.post(f"/netzwerk/bericht/{YEAR}/abschliessen",
                            data={"csrf_token": csrf_from(page), "bestaetigt": "1"}).status_code == 303
    assert AnnualReport.get(AnnualReport.year == YEAR).finalised_at == report.finalised_at


def test_an_open_report_follows_the_data(app, as_role):
    coordinator = as_role("coordinator")
    before = _page(coordinator)
    Organisation.create(name="Familienbüro Öhringer Straße", sector="other", joined_on=date(YEAR, 5, 5))
    after = _page(coordinator)
    assert "Familienbüro Öhringer Straße" not in before and "Familienbüro Öhringer Straße" in after


def test_texts_need_the_form_version_and_report_conflicts(as_role):
    coordinator = as_role("coordinator")
    form_page = coordinator.get(f"/netzwerk/bericht/{YEAR}/texte").get_data(as_text=True)
    assert 'name="version" type="hidden" value="0"' in form_page
    assert _save_texts(coordinator, "Erste Fassung", "").status_code == 303
    stale = coordinator.post(f"/netzwerk/bericht/{YEAR}/texte", data={
        "csrf_token": csrf_from(form_page), "version": "0", "introduction": "Zweite Fassung", "outlook": ""})
    assert stale.status_code == 409
    assert AnnualReport.get(AnnualReport.year == YEAR).introduction == "Erste Fassung"


# --- PDF and CSV -----------------------------------------------------------------------------------------

def test_pdf_holds_texts_tables_and_names_with_umlauts(app, as_role, figures):
    coordinator = as_role("coordinator")
    Organisation.update(name="Praxis Dr. Özdemir-Größe").where(
        Organisation.name == figures["agreements"]["in_force"][0]["missing_names"][0]).execute()
    _save_texts(coordinator, "Einführung: Überblick über das Jahr.", "Ausblick für Väter.")
    text = _pdf_text(coordinator)
    for expected in ["Sachstandsbericht 2026", "Einführung: Überblick über das Jahr.", "Partner nach Bereich",
                     "Praxis Dr. Özdemir-Größe", "Angebote nach Zielgruppe", "Ausblick für Väter."]:
        assert expected in text, expected
    # sectors whole, as a search finds them (a column of equal widths broke „Kindertagesbetreuu|ng“)
    for sector in ["Kindertagesbetreuung", "Schwangerschafts(konflikt)beratung", "Mehrgenerationenhaus"]:
        assert sector in text, sector


def test_the_pdf_is_made_once_until_what_it_shows_changes(as_role):
    coordinator = as_role("coordinator")
    assert "Familienbüro Öhringer Straße" not in _pdf_text(coordinator)
    kept = RenderedPdf.select().where(RenderedPdf.kind == "report", RenderedPdf.object_id == YEAR)
    RenderedPdf.update(data=b"%PDF-kept").where(RenderedPdf.id.in_(kept)).execute()  # told apart
    assert coordinator.get(f"/netzwerk/bericht/{YEAR}.pdf").get_data() == b"%PDF-kept"
    # A figure or a text that changes makes a new PDF, and only the newest is kept.
    Organisation.create(name="Familienbüro Öhringer Straße", sector="other", joined_on=date(YEAR, 5, 5))
    assert "Familienbüro Öhringer Straße" in _pdf_text(coordinator)
    RenderedPdf.update(data=b"%PDF-kept").where(RenderedPdf.id.in_(kept)).execute()
    _save_texts(coordinator, "Neue Einleitung.", "")
    assert "Neue Einleitung." in _pdf_text(coordinator)
    assert kept.count() == 1
    # Another language is another PDF, kept beside the first: a new one replaces only its own language's.
    RenderedPdf.update(data=b"%PDF-kept").where(RenderedPdf.id.in_(kept)).execute()
    Person.update(locale="en").where(Person.email == demo.LOGINS["member"]).execute()
    assert f"Status report {YEAR}" in _pdf_text(as_role("member"))
    assert coordinator.get(f"/netzwerk/bericht/{YEAR}.pdf").get_data() == b"%PDF-kept"


def test_the_report_pdf_declares_its_readers_language(as_role):
    """The report is the app's own words: in the reader's language, and declared so (it said German)."""
    english = as_role("member")
    Person.update(locale="en").where(Person.email == demo.LOGINS["member"]).execute()
    data = english.get(f"/netzwerk/bericht/{YEAR}.pdf").get_data()
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "en"


def test_csv_is_for_german_excel(as_role, figures):
    response = as_role("member").get(f"/netzwerk/bericht/{YEAR}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Abschnitt", "Zeile", "Spalte", "Wert"]
    assert ["Aufgaben", "Überfällig zum Jahresende", "Anzahl", str(figures["actions"]["overdue"])] in rows
    assert ["Partner nach Bereich", "Gesamt", "Aktiv zum Jahresende", str(figures["partners"]["active"])] in rows


def test_other_years_and_the_year_list(as_role):
    member = as_role("member")
    assert member.get("/netzwerk/bericht/").headers["Location"].endswith(f"/netzwerk/bericht/{date.today().year - 1}")
    page = member.get(f"/netzwerk/bericht/{YEAR - 1}").get_data(as_text=True)
    assert "Sachstandsbericht 2025" in page and f'href="/netzwerk/bericht/{YEAR}"' in page
    assert member.get("/netzwerk/bericht/2101").status_code == 404


def test_any_year_is_reached_by_the_year_field(as_role):
    """Only the last six years were links: after ten years the reports before could not be reached."""
    member = as_role("member")
    old = date.today().year - 10
    answer = member.get(f"/netzwerk/bericht/?jahr={old}")
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/netzwerk/bericht/{old}")
    page = member.get(answer.headers["Location"]).get_data(as_text=True)
    assert f'<a href="/netzwerk/bericht/{old}" aria-current="page">{old}</a>' in page  # marked among the links
    assert 'name="jahr"' in page and 'max="2100"' in page
    for odd in ("²", "abc", "-5", "9" * 5000):  # a superscript digit is a digit to str.isdigit(), not to int()
        assert member.get(f"/netzwerk/bericht/?jahr={odd}").status_code == 303, odd
    refused = member.get("/netzwerk/bericht/?jahr=1850")
    assert refused.headers["Location"].endswith(f"/netzwerk/bericht/{date.today().year - 1}")
    assert "Bitte geben Sie ein Jahr zwischen 2000 und 2100 an." in member.get(
        refused.headers["Location"]).get_data(as_text=True)


def test_a_busy_years_decisions_are_folded_with_their_count(as_role):
    """313 decisions of a year took 125 phone screens of the page; the PDF still lists them all."""
    from fh_intranet.meetings import workflow as meetings
    from fh_intranet.meetings.models import Body, Decision

    body = Body.select().first()
    coordinator = Person.get(Person.email == demo.LOGINS["coordinator"])
    meeting = meetings.create_meeting(body, title="Viele Beschlüsse", kind="session", place="Kreishaus",
                                      starts_at=datetime(YEAR, 6, 2, 8, 0), ends_at=datetime(YEAR, 6, 2, 10, 0))
    item = meetings.add_agenda_item(meeting, "Beschlüsse")
    for number in range(21):
        meetings.add_decision(item, f"Beschluss Nummer {number}")
    meetings.publish(meeting, coordinator)
    count = Decision.select().where(Decision.year == YEAR, Decision.number.is_null(False)).count()
    page = as_role("member").get(f"/netzwerk/bericht/{YEAR}").get_data(as_text=True)
    assert f'<details class="long-list"><summary>Alle {count} Beschlüsse anzeigen</summary>' in page
    assert "Beschluss Nummer 20" in page.split('class="long-list"')[1]
    assert f'href="/beschluesse/?jahr={YEAR}">Beschlussregister {YEAR}</a>' in page
