"""Partners see only what the network has adopted or published; clean CSV tables; corrections in
the minutes PDF; private downloads and fragments are never cached.

Partner rules (fh_intranet/permissions.py): an adopted agreement's text and signatures, not its
earlier versions, change notes or compare view; closed voting results as totals, names of a named
round only for the body's members and the coordinator; a ballot only for people with a vote; no
names in filters that come from unpublished minutes.
"""
import csv
import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from fh_intranet import csvexport
from fh_intranet.agreements import workflow as agreements
from fh_intranet.db import utcnow
from fh_intranet.meetings import workflow as meetings_workflow
from fh_intranet.meetings.models import ActionItem, Body, BodyMember
from fh_intranet.topics import workflow as voting_workflow
from fh_intranet.topics.models import RANKING, VotingRound

from .agreement_fixtures import make_agreement
from .route_table import ROUTES
from .topic_fixtures import end_by_time, make_round

HX = {"HX-Request": "true"}

FIRST_TEXT = """# § 1 Ziele

Entwurfsformulierung Zwiebelturm: Familien finden früh Unterstützung.

# § 2 Zielgruppe

Schwangere und Familien mit Kindern bis drei Jahre.
"""
ADOPTED_TEXT = """# § 1 Ziele

Familien mit Säuglingen finden früh verlässliche Unterstützung.

# § 2 Zielgruppe

Schwangere und Familien mit Kindern bis drei Jahre.
"""
CHANGE_NOTE = "Hinweise von Erika Kommentatorin eingearbeitet"


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def main_of(response) -> str:
    """The page without its header (which names the logged-in person)."""
    return text_of(response).split("<main", 1)[-1]


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


# --- agreements: the adopted text and its signatures, not how it came about -------------------------

@pytest.fixture
def revised(people):
    """An agreement adopted in its second version; the change note names a commenter."""
    coordinator = people["coordinator"]
    agreement = make_agreement(coordinator, "draft", text=FIRST_TEXT, title="Kooperationsvereinbarung Auental")
    agreements.save_version(agreement, base_number=1, text=ADOPTED_TEXT, change_note=CHANGE_NOTE, author=coordinator)
    agreements.change_state(agreement, "consultation", coordinator, deadline=utcnow() + timedelta(days=7))
    agreements.change_state(agreement, "adopted", coordinator, adopted_on=date(2026, 6, 1))
    return agreement


@pytest.mark.parametrize("superseded", [False, True], ids=["adopted", "superseded"])
def test_partner_reads_the_adopted_text_without_its_history(client_as, people, revised, superseded):
    if superseded:
        agreements.change_state(revised, "superseded", people["coordinator"])
    partner = client_as("partner")
    page = main_of(partner.get(f"/vereinbarungen/{revised.id}"))
    assert "verlässliche Unterstützung" in page
    for hidden in ("Zwiebelturm", CHANGE_NOTE, "Kommentatorin", "Fassungen vergleichen", "Verlauf", "Statuswechsel",
                   "?fassung=1", "/vergleich"):
        assert hidden not in page, hidden
    for printed in (main_of(partner.get(f"/vereinbarungen/{revised.id}/druck")),
                    pdf_text(partner.get(f"/vereinbarungen/{revised.id}/pdf").data)):
        assert "verlässliche Unterstützung" in printed and "Zwiebelturm" not in printed
        assert "Kommentatorin" not in printed


@pytest.mark.parametrize("url", ["{id}?fassung=1", "{id}/vergleich", "{id}/vergleich?von=1&bis=2",
                                 "{id}/vergleich?von=1&bis=2&ansicht=nebeneinander"])
def test_partner_cannot_open_earlier_versions_or_compare(client_as, revised, url):
    partner = client_as("partner")
    for headers in ({}, HX):
        response = partner.get("/vereinbarungen/" + url.format(id=revised.id), headers=headers)
        assert response.status_code == 403, (url, headers)
        assert "Zwiebelturm" not in response.get_data(as_text=True)
    # the adopted version by its number is the page itself
    assert "verlässliche Unterstützung" in text_of(partner.get(f"/vereinbarungen/{revised.id}?fassung=2"))


def test_partner_cannot_see_drafts_at_all(client_as, people):
    draft = make_agreement(people["coordinator"], "draft", text=FIRST_TEXT)
    partner = client_as("partner")
    for url in (f"/vereinbarungen/{draft.id}", f"/vereinbarungen/{draft.id}/vergleich", f"/vereinbarungen/{draft.id}?fassung=1"):
        assert partner.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_steering_group_keeps_the_history(client_as, revised, role):
    client = client_as(role)
    page = text_of(client.get(f"/vereinbarungen/{revised.id}"))
    assert CHANGE_NOTE in page and "Fassungen vergleichen" in page and "Statuswechsel" in page
    assert "Zwiebelturm" in text_of(client.get(f"/vereinbarungen/{revised.id}?fassung=1"))
    compare = text_of(client.get(f"/vereinbarungen/{revised.id}/vergleich?von=1&bis=2"))
    assert "Zwiebelturm" in compare and "verlässliche" in compare


# --- the action-item list: no names from unpublished minutes --------------------------------------

def test_action_filter_names_nobody_from_unpublished_minutes(client_as, make_person, meetings, people):
    hidden = make_person("member", name="Hilde Nurimentwurf")
    meetings_workflow.add_action(meetings["draft_item"], "Heimliche Aufgabe", hidden, date(2026, 5, 1))
    partner = client_as("partner")
    for url in ("/aufgaben/", "/aufgaben/?status=alle", f"/aufgaben/?status=alle&person={hidden.id}"):
        for headers in ({}, HX):
            answer = main_of(partner.get(url, headers=headers))
            assert "Nurimentwurf" not in answer and "Heimliche Aufgabe" not in answer, (url, headers)
    # the filter still offers the people of published minutes
    options = re.search(r'<select[^>]*id="person".*?</select>', text_of(partner.get("/aufgaben/")), re.S).group(0)
    assert people["member"].name in options and people["partner"].name not in options  # partner: draft item only
    assert "Nurimentwurf" not in text_of(partner.get("/aufgaben.csv?status=alle"))
    # the steering group reads drafts: the name is in its filter
    member_options = re.search(r'<select[^>]*id="person".*?</select>', text_of(client_as("member").get("/aufgaben/")), re.S)
    assert "Hilde Nurimentwurf" in member_options.group(0)


# --- voting: totals for partners, names for the body, ballots for voters -------------------------------

@pytest.fixture
def outsider(make_person):
    """A steering-group member who does not belong to the body that votes."""
    return make_person("member", name="Olaf Außenstehend")


@pytest.fixture
def named_closed(body, people, topics):
    round_ = make_round(body, people["coordinator"], topics, title="Namentliche Runde")
    voting_workflow.change_points(round_, people["member"], topics[0].id, 1)
    voting_workflow.change_points(round_, people["member"], topics[0].id, 1)
    voting_workflow.change_points(round_, people["coordinator"], topics[1].id, 1)
    end_by_time(round_)
    return round_


def named_table_in(html: str) -> bool:
    return "Wer hat wie abgestimmt" in html or "named-votes" in html


def test_partner_sees_closed_named_results_as_totals_only(client_as, named_closed, people, topics):
    partner = client_as("partner")
    page = main_of(partner.get(f"/abstimmungen/{named_closed.id}"))
    assert not named_table_in(page)
    assert people["member"].name not in page and people["coordinator"].name not in page
    assert re.search(rf'id="score-{topics[0].id}"[^>]*>2<', page), "the totals are there"
    fragment = partner.get(f"/abstimmungen/{named_closed.id}/ergebnis", headers=HX)
    assert fragment.status_code == 286 and not named_table_in(fragment.get_data(as_text=True))
    assert people["member"].name not in fragment.get_data(as_text=True)
    exported = partner.get(f"/abstimmungen/{named_closed.id}/ergebnis.csv").data.decode("utf-8-sig")
    assert people["member"].name not in exported


def test_body_members_and_the_coordinator_see_the_names(client_as, named_closed, people, outsider, topics):
    for role in ("member", "coordinator"):
        page = main_of(client_as(role).get(f"/abstimmungen/{named_closed.id}"))
        assert named_table_in(page) and people["member"].name in page, role
    # a member outside the voting body gets the totals, like everyone who did not vote
    page = main_of(client_as(outsider).get(f"/abstimmungen/{named_closed.id}"))
    assert not named_table_in(page) and people["member"].name not in page
    assert re.search(rf'id="score-{topics[0].id}"[^>]*>2<', page)


def test_the_coordinator_sees_names_of_a_body_they_do_not_belong_to(client_as, make_person, people, topics):
    group = Body.create(name="AG Übergänge", kind="working_group")
    voter = make_person("member", name="Vera Stimmgebend")
    BodyMember.create(body=group, person=voter)
    round_ = make_round(group, people["coordinator"], topics)
    voting_workflow.change_points(round_, voter, topics[2].id, 1)
    end_by_time(round_)
    assert "Vera Stimmgebend" in main_of(client_as("coordinator").get(f"/abstimmungen/{round_.id}"))
    assert "Vera Stimmgebend" in main_of(client_as(voter).get(f"/abstimmungen/{round_.id}"))
    assert "Vera Stimmgebend" not in main_of(client_as("member").get(f"/abstimmungen/{round_.id}"))


def test_no_ballot_for_partners(client_as, rounds, named_closed):
    partner = client_as("partner")  # a member of the body, but partners have no vote
    for round_ in (rounds["closed"], named_closed):
        page = main_of(partner.get(f"/abstimmungen/{round_.id}"))
        assert "Ihr Stimmzettel" not in page and "Punkten zu vergeben" not in page and 'id="budget"' not in page


def test_no_ballot_for_members_outside_the_body(client_as, rounds, outsider, people, topics, body):
    client = client_as(outsider)
    for key in ("open", "ranking", "planned", "closed"):
        page = main_of(client.get(f"/abstimmungen/{rounds[key].id}"))
        assert "Ihr Stimmzettel" not in page and "Punkten zu vergeben" not in page, key
        assert f'name="rank-{topics[0].id}"' not in page and "/punkte" not in page, key
    assert "Sie gehören nicht zu den Abstimmenden dieser Runde." in main_of(client.get(f"/abstimmungen/{rounds['open'].id}"))
    # a click sent anyway is refused, with the message and still no ballot
    client.application.config["WTF_CSRF_ENABLED"] = False
    answer = client.post(f"/abstimmungen/{rounds['open'].id}/punkte", data={"topic": topics[0].id, "delta": "1"},
                         headers=HX)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "Sie gehören nicht zu den Abstimmenden" in text
    assert "Punkten zu vergeben" not in text and 'id="ballot"' in text
    # the coordinator votes only as a member of the body
    group = Body.create(name="AG Sprache", kind="working_group")
    BodyMember.create(body=group, person=people["member"])
    elsewhere = make_round(group, people["coordinator"], topics)
    assert "Ihr Stimmzettel" not in main_of(client_as("coordinator").get(f"/abstimmungen/{elsewhere.id}"))
    assert "Noch 5 von 5 Punkten zu vergeben." in main_of(client_as("member").get(f"/abstimmungen/{elsewhere.id}"))


def test_voters_keep_their_ballot(client_as, rounds, named_closed, people, body):
    member = client_as("member")
    assert "Noch 5 von 5 Punkten zu vergeben." in main_of(member.get(f"/abstimmungen/{rounds['open'].id}"))
    assert "Sie haben 2 von 5 Punkten vergeben." in main_of(member.get(f"/abstimmungen/{named_closed.id}"))
    # who voted and left the body afterwards still sees what they gave
    BodyMember.delete().where(BodyMember.body == body, BodyMember.person == people["member"]).execute()
    assert "Sie haben 2 von 5 Punkten vergeben." in main_of(member.get(f"/abstimmungen/{named_closed.id}"))


def test_ranking_ballot_only_for_voters(client_as, body, people, topics, outsider):
    round_ = make_round(body, people["coordinator"], topics, method=RANKING)
    assert f'name="rank-{topics[0].id}"' in main_of(client_as("member").get(f"/abstimmungen/{round_.id}"))
    VotingRound.update(closes_at=utcnow() - timedelta(seconds=1)).where(VotingRound.id == round_.id).execute()
    assert f'name="rank-{topics[0].id}"' not in main_of(client_as("partner").get(f"/abstimmungen/{round_.id}"))


# --- CSV: every export is one clean table -------------------------------------------------------

CSV_ROUTES = [route for route in ROUTES if route.method == "GET" and ".csv" in route.url]


def read_table(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and response.data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.fixture
def export_data(meetings, people, rounds, topics, body):
    """Cells that could break a table: semicolons, quotes, line breaks; a closed round with votes."""
    ActionItem.update(what='Liste „A;B“\nzweite Zeile "zitiert"').where(ActionItem.what == "Öffentliche Aufgabe").execute()
    round_ = make_round(body, people["coordinator"], topics, title="Mit Stimmen")
    voting_workflow.change_points(round_, people["member"], topics[0].id, 1)
    end_by_time(round_)
    return round_


def test_csv_routes_are_covered():
    assert {route.endpoint for route in CSV_ROUTES} >= {"registers.actions_csv", "registers.decisions_csv",
                                                         "voting.results_csv"}


@pytest.mark.parametrize("role", ["partner", "member", "coordinator"])
def test_every_csv_export_is_one_table(client_as, route_objects, export_data, role):
    client = client_as(role)
    urls = {route.url.format(**route_objects) for route in CSV_ROUTES if route.expected(role) == 200}
    urls |= {"/aufgaben.csv?status=alle", f"/abstimmungen/{export_data.id}/ergebnis.csv"}
    for url in sorted(urls):
        rows = read_table(client.get(url))
        header = rows[0]
        assert header and all(header), (url, header)
        assert len(rows) > 1, f"{url}: no data rows to check"
        for row in rows[1:]:
            assert len(row) == len(header), (url, row)
            assert any(cell.strip() for cell in row), f"{url}: an empty line in the table"


def test_voting_csv_carries_participation_in_columns(client_as, export_data):
    rows = read_table(client_as("partner").get(f"/abstimmungen/{export_data.id}/ergebnis.csv"))
    assert rows[0] == ["Platz", "Thema", "Punkte", "Gleichstand", "Abgestimmt haben", "Stimmberechtigte"]
    assert all(row[4:] == ["1", "2"] for row in rows[1:])  # the member voted; coordinator and member may
    assert not any("Beteiligung" in cell for row in rows for cell in row)


def test_action_csv_keeps_line_breaks_inside_their_cell(client_as, export_data):
    rows = read_table(client_as("member").get("/aufgaben.csv?status=alle"))
    cell = next(row[0] for row in rows if row[0].startswith("Liste"))
    assert cell == 'Liste „A;B“\nzweite Zeile "zitiert"'


def test_csv_writer_refuses_lines_outside_the_table(app):
    with app.test_request_context():
        with pytest.raises(ValueError):
            csvexport.response(["A", "B"], [["1", "2"], [], ["Summe", "3", "extra"]], "x.csv")
        good = csvexport.response(["A", "B"], [["1", "2"]], "x.csv")
    assert good.get_data(as_text=True) == "\ufeffA;B\r\n1;2\r\n"


# --- the minutes PDF names its corrections ---------------------------------------------------------

def test_minutes_pdf_lists_corrections_with_their_reasons(client_as, meetings, people):
    published = meetings["published"]
    meetings_workflow.correct(published, people["coordinator"], "Tippfehler in TOP 1 berichtigt – Hinweis von Ayşe Yılmaz",
                              {}, {})
    meetings_workflow.correct(published, people["coordinator"], "Beschlusstext „ergänzt“", {}, {})
    text = pdf_text(client_as("partner").get(f"/sitzungen/{published.id}/pdf").data)
    assert "Korrekturen" in text
    assert "Tippfehler in TOP 1 berichtigt – Hinweis von Ayşe Yılmaz" in text
    assert "Beschlusstext „ergänzt“" in text
    assert "Fassung 2 vom" in text and "Fassung 3 vom" in text and people["coordinator"].name in text
    # the page says the same
    page = text_of(client_as("partner").get(f"/sitzungen/{published.id}"))
    assert "Tippfehler in TOP 1 berichtigt" in page


def test_minutes_pdf_without_corrections_has_no_such_section(client_as, meetings):
    text = pdf_text(client_as("member").get(f"/sitzungen/{meetings['published'].id}/pdf").data)
    assert "Bericht" in text and "Korrekturen" not in text


# --- private answers are never cached ---------------------------------------------------------------

DOWNLOAD_TYPES = {"text/csv", "application/pdf", "text/calendar", "application/json", "image/jpeg"}


def test_every_private_page_download_and_fragment_is_not_cached(client, client_as, route_objects):
    """Walk the route table's pages (plain and as htmx) as each role; the calendar feed by its token."""
    seen = set()
    for role in ("member", "partner", "coordinator"):
        user = client_as(role)
        for route in ROUTES:
            if route.method != "GET" or route.endpoint == "static":
                continue
            url = route.url.format(**route_objects)
            for headers in ({}, HX):
                response = user.get(url, headers=headers)
                assert response.headers.get("Cache-Control") == "private, no-store", (role, url, headers)
                if response.status_code == 200:
                    seen.add(response.mimetype)
    feed = client.get(f"/kalender/{route_objects['feed']}.ics")
    assert feed.status_code == 200 and feed.headers["Cache-Control"] == "private, no-store"
    missing = DOWNLOAD_TYPES - seen
    assert not missing, f"no download of these kinds was checked: {missing}"
    assert "no-store" not in client.get("/static/app.css").headers.get("Cache-Control", "")
