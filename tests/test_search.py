"""Search: German stemming and spelling variants, ranking, permission filter per role, an index that
follows every write in the writer's transaction — on SQLite and PostgreSQL alike."""
from datetime import date, timedelta

import pytest

from fh_intranet import audit
from fh_intranet.agreements import workflow as agreements
from fh_intranet.db import database, utcnow, write_transaction
from fh_intranet.meetings import workflow as meetings
from fh_intranet.meetings.models import Meeting
from fh_intranet.people import workflow as people_workflow
from fh_intranet.search import search
from fh_intranet.search.models import SearchDocument
from fh_intranet.topics import workflow as topics
from fh_intranet.workshops import workflow as workshops

from .agreement_fixtures import make_agreement
from .meeting_fixtures import make_meeting


def found(query, person, **kwargs):
    return [(hit.kind.name, hit.document.title) for hit in search(query, person, **kwargs).hits]


def titles(query, person):
    return [title for _, title in found(query, person)]


def organisation(name, coordinator, **values):
    return people_workflow.create_organisation(
        {"name": name, "sector": "other", "address": "", "contact_name": "", "contact_email": "",
         "contact_phone": "", **values}, actor=coordinator, token=None)


def test_a_word_finds_its_other_forms(people):
    make_agreement(people["coordinator"], "adopted", title="Vereinbarung zur Zusammenarbeit")
    for query in ("Vereinbarungen", "vereinbarung", "VEREINBARUNG", "Zusammenarbeit"):
        assert titles(query, people["partner"]) == ["Vereinbarung zur Zusammenarbeit"], query


@pytest.mark.parametrize("query", ["Frühe", "Fruehe", "fruhe", "FRÜHE", "Frühen"])
def test_umlauts_and_their_spellings_find_the_same(people, query):
    organisation("Netzwerk Frühe Hilfen Auental", people["coordinator"])
    assert titles(query, people["member"]) == ["Netzwerk Frühe Hilfen Auental"]


@pytest.mark.parametrize("query", ["Straße", "Strasse", "strasse", "Großstraße"])
def test_sharp_s_and_ss_find_the_same(people, query):
    organisation("Familienzentrum Großstraße", people["coordinator"], address="Lange Straße 4")
    assert titles(query, people["member"]) == ["Familienzentrum Großstraße"]


def test_accents_and_the_word_being_typed(people):
    organisation("Praxis Şahin", people["coordinator"])
    organisation("Kinderarztpraxis Lindenhof", people["coordinator"])
    assert titles("Sahin", people["member"]) == ["Praxis Şahin"]
    assert titles("Kinderarzt", people["member"]) == ["Kinderarztpraxis Lindenhof"]
    assert titles("Linde", people["member"]) == ["Kinderarztpraxis Lindenhof"]  # the last word as a prefix


def test_one_or_two_letters_are_a_whole_word_not_the_beginning_of_every_word(people, client_as):
    organisation("Kinderarztpraxis Lindenhof", people["coordinator"])
    organisation("KI-Lotsen Auental", people["coordinator"], address="Lange Straße 4")
    member = people["member"]
    assert titles("Lin", member) == ["Kinderarztpraxis Lindenhof"]  # three letters begin a word
    assert titles("Li", member) == [] and titles("L", member) == []
    # after other words the last is a beginning from the first letter: the list narrows as one types
    assert titles("Kinderarztpraxis L", member) == ["Kinderarztpraxis Lindenhof"]
    assert titles("Kinderarztpraxis Lo", member) == []
    assert str(search("Auental L", member).hits[0].title) == "KI-<mark>Lotsen</mark> <mark>Auental</mark>"
    assert titles("ki", member) == ["KI-Lotsen Auental"]  # two letters: the word itself
    hit = search("KI", member).hits[0]
    assert str(hit.title) == "<mark>KI</mark>-Lotsen Auental"  # marked as it was matched, not "Kinder…"
    assert titles("Lots", member) == ["KI-Lotsen Auental"]
    client = client_as(member)
    page = client.get("/suche/?q=Li").get_data(as_text=True)
    assert "Keine Treffer für „Li“. Nach Wortanfängen wird ab 3 Buchstaben gesucht." in page
    assert "Nach Wortanfängen" not in client.get("/suche/?q=Wortohnetreffer").get_data(as_text=True)


def test_title_hits_come_first(people):
    coordinator = people["coordinator"]
    for n in range(3):
        make_agreement(coordinator, "adopted", title=f"Leitbild {n}",
                       text="Die Elternbegleitung ist Aufgabe aller Partner. " * (n + 1))
    organisation("Elternbegleitung Auental", coordinator)
    hits = search("Elternbegleitung", people["partner"]).hits
    assert [hit.document.title for hit in hits][0] == "Elternbegleitung Auental"
    assert hits[0].title_hit and not any(hit.title_hit for hit in hits[1:])
    assert len(hits) == 4


def test_several_words_must_all_match(people):
    organisation("Hebammenpraxis Lindenhof", people["coordinator"])
    organisation("Hebammenzentrum Auental", people["coordinator"])
    assert titles("Hebammenpraxis Lindenhof", people["member"]) == ["Hebammenpraxis Lindenhof"]
    assert titles("", people["member"]) == []
    assert titles("?!* \"", people["member"]) == []


# --- who finds what ----------------------------------------------------------------------------

ROLES = ("coordinator", "member", "partner")


def visible(query, people):
    return {role: bool(found(query, people[role])) for role in ROLES}


def test_partners_never_find_drafts_or_consultation_comments(people):
    coordinator = people["coordinator"]
    draft = make_agreement(coordinator, "draft", title="Entwurf Wegweiser", text="Der Zauberwaldweg ist neu.")
    consultation = make_agreement(coordinator, "consultation", title="Kommentierte Fassung")
    agreements.add_comment(consultation, agreements.latest_version(consultation), anchor="s-1-ziele",
                           heading="§ 1 Ziele", body="Bitte den Mondscheinbrief erwähnen.", author=people["member"])
    make_agreement(coordinator, "adopted", title="Beschlossene Vereinbarung", text="Der Sonnenhofpfad gilt.")
    assert visible("Zauberwaldweg", people) == {"coordinator": True, "member": True, "partner": False}
    assert visible("Wegweiser", people) == {"coordinator": True, "member": True, "partner": False}
    assert visible("Mondscheinbrief", people) == {"coordinator": True, "member": True, "partner": False}
    assert visible("Sonnenhofpfad", people) == {"coordinator": True, "member": True, "partner": True}
    # the draft becomes adopted: partners find it from the moment of adoption on
    agreements.change_state(draft, "consultation", coordinator, deadline=utcnow() + timedelta(days=3))
    assert visible("Zauberwaldweg", people)["partner"] is False
    agreements.change_state(draft, "adopted", coordinator, adopted_on=date(2026, 6, 1))
    assert visible("Zauberwaldweg", people)["partner"] is True
    # the comments stay the steering group's
    assert visible("Mondscheinbrief", people)["partner"] is False


def test_partners_find_minutes_only_once_published(people, body):
    meeting = make_meeting(body, "Frühjahrssitzung")
    item = meetings.add_agenda_item(meeting, "Bericht Lotsendienst")
    meetings.update_agenda_item(item, meetings.UNCHECKED, title="Bericht Lotsendienst",
                                notes="Die Babylotsinnen berichten.", actor=people["coordinator"])
    meetings.add_decision(item, "Der Lotsenbeschluss wird gefasst.")
    meetings.add_action(item, "Flyer Lotsenaufgabe drucken", people["member"], None)
    for word in ("Babylotsinnen", "Lotsenbeschluss", "Lotsenaufgabe"):
        assert visible(word, people) == {"coordinator": True, "member": True, "partner": False}, word
    assert visible("Frühjahrssitzung", people) == {"coordinator": True, "member": True, "partner": True}
    meetings.publish(meeting, people["coordinator"])
    for word in ("Babylotsinnen", "Lotsenbeschluss", "Lotsenaufgabe"):
        assert visible(word, people) == {"coordinator": True, "member": True, "partner": True}, word
    decision = search("Lotsenbeschluss", people["partner"]).hits[0]
    assert decision.document.context.startswith("2026/01 · Frühjahrssitzung")  # numbered at publishing


def test_topics_and_people_are_for_the_steering_group(people):
    topics.propose_topic(title="Übergang Kita Schule", description="Brückenjahr", proposer=people["member"])
    people_workflow.update_person(people["member"], people["member"].version, name="Undine Quellmann",
                                  email=people["member"].email, organisation_id=people["member"].organisation_id,
                                  function="Familienhebamme", role="member", actor=people["coordinator"])
    assert visible("Brückenjahr", people) == {"coordinator": True, "member": True, "partner": False}
    assert visible("Ubergang", people) == {"coordinator": True, "member": True, "partner": False}
    assert visible("Quellmann", people) == {"coordinator": True, "member": True, "partner": False}
    assert visible("Familienhebammen", people) == {"coordinator": True, "member": True, "partner": False}


def test_a_deactivated_person_is_found_by_the_coordinator_alone(people, make_person):
    """Members found a deactivated person by name, whose page answers them 404 and whom the people
    list leaves out."""
    former = make_person("member", name="Sabine Engelhardt")
    people_workflow.update_person(former, former.version, name=former.name, email=former.email,
                                  organisation_id=None, function="Beraterin", role="member",
                                  actor=people["coordinator"])  # indexed as people are
    assert visible("Engelhardt", people) == {"coordinator": True, "member": True, "partner": False}
    people_workflow.deactivate(former, actor=people["coordinator"])
    assert visible("Engelhardt", people) == {"coordinator": True, "member": False, "partner": False}
    people_workflow.reactivate(former, actor=people["coordinator"])
    assert visible("Engelhardt", people) == {"coordinator": True, "member": True, "partner": False}


def test_offerings_are_found_by_everyone_once_published(people):
    """Search covered everything but the offerings for families („Babymassage“ found nothing)."""
    from fh_intranet.offerings import workflow as offerings

    coordinator = people["coordinator"]
    org = organisation("Elternzentrum Sonnenwinkel", coordinator)

    def offer(title, **values):
        return offerings.create_offering(org, {
            "title": title, "description": "Sanfte Berührung für Säuglinge", "target_groups": "age_0_1",
            "languages": "Deutsch, Türkisch", "cost": "free", "cost_note": "", "district": "Nordstadt",
            "outreach": False, "hours": "Dienstags 10 Uhr", "registration_required": False, "address": "",
            "phone": "", "email": "", "accessibility": "", **values}, actor=coordinator, token=None)

    massage = offer("Babymassage")
    offer("Krabbelgruppe Entwurf", published=False)
    assert visible("Babymassage", people) == {"coordinator": True, "member": True, "partner": True}
    assert visible("Säugling Türkisch", people) == {"coordinator": True, "member": True, "partner": True}
    assert visible("Krabbelgruppe", people) == {"coordinator": True, "member": False, "partner": False}
    [hit] = search("Babymassage", people["partner"]).hits
    assert hit.document.context == "Elternzentrum Sonnenwinkel · Nordstadt"
    offerings.delete_offering(massage, actor=coordinator)
    assert found("Babymassage", coordinator) == []


def test_a_draft_offering_is_found_by_its_own_organisation(people, make_person):
    """A partner keeps their organisation's offerings: their drafts are theirs to find, nobody else's
    but the coordination's (the rule depends on the person, not the role)."""
    from fh_intranet.offerings import workflow as offerings

    partner, coordinator = people["partner"], people["coordinator"]
    colleague = make_person("partner", organisation=partner.organisation_id)
    elsewhere = organisation("Elternzentrum Sonnenwinkel", coordinator)
    stranger, member_elsewhere = make_person("partner", organisation=elsewhere), make_person("member", organisation=elsewhere)
    offerings.create_offering(partner.organisation, {
        "title": "Krabbelgruppe Entwurf", "description": "Noch nicht veröffentlicht", "target_groups": "age_0_1",
        "languages": "Deutsch", "cost": "free", "cost_note": "", "district": "Nordstadt", "outreach": False,
        "hours": "", "registration_required": False, "address": "", "phone": "", "email": "", "accessibility": "",
        "published": False}, actor=partner, token=None)
    # everyone in `people` works for the partner's organisation
    assert visible("Krabbelgruppe", people) == {"coordinator": True, "member": True, "partner": True}
    assert [hit.document.title for hit in search("Krabbelgruppe", colleague).hits] == ["Krabbelgruppe Entwurf"]
    assert search("Krabbelgruppe", colleague).counts == {"offering": 1}
    for outsider in (stranger, member_elsewhere):
        assert found("Krabbelgruppe", outsider) == [] and search("Krabbelgruppe", outsider).total == 0

    # An index written before (drafts for the coordination only) is marked by the upgrade (m0031).
    from importlib import import_module

    from fh_intranet.db import database
    from fh_intranet.search.models import SearchDocument

    SearchDocument.update(recheck_at=None).execute()
    assert found("Krabbelgruppe", colleague) == []
    import_module("fh_intranet.migrations.m0031_search_draft_offerings").upgrade(database)
    assert [hit.document.title for hit in search("Krabbelgruppe", colleague).hits] == ["Krabbelgruppe Entwurf"]
    assert found("Krabbelgruppe", stranger) == []


def test_partners_find_workshop_outputs_once_the_event_took_place(people, body):
    soon = make_meeting(body, "Fachtag Frühling", starts=utcnow() + timedelta(days=5))
    workshop = workshops.create_workshop(soon, title="Thementisch Elterncafé", host_id=None, actor=people["coordinator"])
    workshops.add_output(workshop, text="Die Idee Familienfrühstück.", uploads=[], author=people["member"])
    assert visible("Familienfrühstück", people) == {"coordinator": True, "member": True, "partner": False}
    document = SearchDocument.get(SearchDocument.kind == "output")
    assert document.recheck_at == Meeting.get_by_id(soon.id).ends_at
    # A recheck that comes too early asks the rule, which still says no: neither listed nor counted.
    SearchDocument.update(recheck_at=utcnow() - timedelta(minutes=5)).where(SearchDocument.id == document.id).execute()
    early = search("Familienfrühstück", people["partner"])
    assert (early.hits, early.counts, early.total) == ([], {}, 0)
    # Time passes (the clock reaches the meeting's end), nothing is written: the index asks the rule
    # again at search time.
    ended = utcnow() - timedelta(minutes=1)
    Meeting.update(starts_at=ended - timedelta(hours=2), ends_at=ended).where(Meeting.id == soon.id).execute()
    SearchDocument.update(recheck_at=ended).where(SearchDocument.id == document.id).execute()
    assert visible("Familienfrühstück", people) == {"coordinator": True, "member": True, "partner": True}
    found = search("Familienfrühstück", people["partner"])
    assert (found.counts, found.total) == ({"output": 1}, 1)  # counted as listed


# --- the index follows every write ----------------------------------------------------------------

def test_an_edit_is_found_at_once_and_the_old_text_no_more(people):
    coordinator = people["coordinator"]
    agreement = make_agreement(coordinator, "draft", title="Kooperation Auental", text="Alter Wortlaut Ahornblatt.")
    agreements.save_version(agreement, base_number=1, text="Neuer Wortlaut Birkenzweig.", change_note="neu",
                            author=coordinator)
    assert titles("Birkenzweig", coordinator) == ["Kooperation Auental"]
    assert titles("Ahornblatt", coordinator) == []
    agreements.edit_details(agreement, version=agreement.version, title="Kooperation Lindenthal", kind="cooperation",
                            review_by=None, actor=coordinator)
    assert titles("Lindenthal", coordinator) == ["Kooperation Lindenthal"]


def test_renaming_an_owner_reindexes_what_shows_it(people, body):
    coordinator = people["coordinator"]
    org = organisation("Kita Regenbogen", coordinator)
    people_workflow.update_person(people["member"], people["member"].version, name=people["member"].name,
                                  email=people["member"].email, organisation_id=org.id, function="",
                                  role="member", actor=coordinator)
    assert ("person", people["member"].name) in found("Regenbogen", coordinator)
    people_workflow.update_organisation(org, org.version, {
        "name": "Kita Sternschnuppe", "sector": "day_care", "address": "", "contact_name": "", "contact_email": "",
        "contact_phone": ""}, actor=coordinator)
    assert found("Regenbogen", coordinator) == []
    assert ("person", people["member"].name) in found("Sternschnuppe", coordinator)


def test_deleted_objects_are_gone(people, body):
    meeting = make_meeting(body, "Herbstsitzung")
    item = meetings.add_agenda_item(meeting, "Punkt Wolkenkratzer")
    decision = meetings.add_decision(item, "Beschluss Wolkenschieber")
    meetings.add_action(item, "Aufgabe Wolkenfänger", people["member"], None)
    other = meetings.add_agenda_item(meeting, "Punkt Regenbogen")
    kept = meetings.add_decision(other, "Beschluss Regenschirm")
    meetings.delete_decision(kept)
    assert found("Regenschirm", people["coordinator"]) == []
    assert len(found("Wolke", people["coordinator"])) == 3
    meetings.delete_agenda_item(item)  # with its decision and action item
    assert found("Wolke", people["coordinator"]) == []
    assert not SearchDocument.select().where(SearchDocument.object_id == decision.id,
                                             SearchDocument.kind == "decision").exists()
    workshop = workshops.create_workshop(meeting, title="Tisch", host_id=None, actor=people["coordinator"])
    output = workshops.add_output(workshop, text="Ergebnis Nebelhorn", uploads=[], author=people["member"])
    assert found("Nebelhorn", people["coordinator"])
    workshops.delete_output(output, people["coordinator"])
    assert found("Nebelhorn", people["coordinator"]) == []


def test_a_failed_write_leaves_the_index_as_it_was(people):
    org = organisation("Familienbüro Eichental", people["coordinator"])
    with pytest.raises(RuntimeError):
        with write_transaction():
            from fh_intranet.people.models import Organisation
            Organisation.update(name="Familienbüro Buchental").where(Organisation.id == org.id).execute()
            audit.record("organisation.updated", org)
            raise RuntimeError("the change fails")
    assert titles("Eichental", people["member"]) == ["Familienbüro Eichental"]
    assert titles("Buchental", people["member"]) == []


def test_the_index_is_written_in_the_writers_transaction(people):
    """Inside the transaction, before it commits, the new text is in the index already."""
    org = organisation("Kinderschutzbund Auental", people["coordinator"])
    with write_transaction():
        from fh_intranet.people.models import Organisation
        Organisation.update(name="Kinderschutzbund Mühlheim").where(Organisation.id == org.id).execute()
        audit.record("organisation.updated", org)
        assert titles("Mühlheim", people["member"]) == []  # not yet: the hook runs just before commit
    assert titles("Mühlheim", people["member"]) == ["Kinderschutzbund Mühlheim"]
    assert database.in_transaction() is False


def test_rebuild_finds_rows_made_without_a_writer(people):
    from fh_intranet.people.models import Organisation
    from fh_intranet.search.cli import rebuild_index

    Organisation.create(name="Stiftung Kinderglück")  # a script, no audit record
    assert titles("Kinderglück", people["member"]) == []
    counts = rebuild_index()
    assert counts["organisation"] == 2
    assert titles("Kinderglück", people["member"]) == ["Stiftung Kinderglück"]


# --- the page --------------------------------------------------------------------------------------

def test_page_groups_by_kind_escapes_text_and_links_to_the_objects(people, client_as, body):
    coordinator = people["coordinator"]
    make_agreement(coordinator, "adopted", title="Leitbild <script>alert(1)</script>",
                   text="Das Netzwerk trifft sich <img src=x onerror=alert(2)> viermal.")
    organisation("Netzwerkbüro", coordinator)
    response = client_as("partner").get("/suche/?q=Netzwerk")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>Netzwerk</mark>" in html
    assert html.index('id="group-organisation"') < html.index('id="group-agreement"')  # title hit first
    assert '2 Treffer für „Netzwerk“.' in html
    assert 'href="/organisationen/' in html and 'href="/vereinbarungen/' in html


def test_kind_filter_and_paging_without_javascript(people, client_as):
    for n in range(23):
        organisation(f"Beratungsstelle Nummer {n:02d}", people["coordinator"])
    make_agreement(people["coordinator"], "adopted", title="Beratungsstelle Vereinbarung")
    client = client_as("member")
    first = client.get("/suche/?q=Beratungsstelle").get_data(as_text=True)
    assert "24 Treffer" in first and "Seite 1 von 2" in first
    assert 'href="/suche/?q=Beratungsstelle&amp;seite=2"' in first
    second = client.get("/suche/?q=Beratungsstelle&seite=2").get_data(as_text=True)
    assert second.count('class="search-context"') == 4
    only = client.get("/suche/?q=Beratungsstelle&art=agreement").get_data(as_text=True)
    assert "<mark>Beratungsstelle</mark> Vereinbarung</a>" in only and "Nummer 01" not in only
    assert client.get("/suche/?q=Beratungsstelle&seite=99").status_code == 200


def test_counts_are_every_match_and_a_kind_lists_its_own_best(people, client_as, monkeypatch):
    """With more matches than the ranked list holds, the counts still name them all, and a kind
    chosen lists its own best (was: the list cut at 2,000 first, then the kind taken from it, and
    the counts taken from that cut list: a kind with only lower-ranked matches vanished)."""
    from fh_intranet.search import query

    monkeypatch.setattr(query, "MAX_CANDIDATES", 5)
    for n in range(8):
        organisation(f"Beratungsstelle Nummer {n:02d}", people["coordinator"])
    make_agreement(people["coordinator"], "adopted", title="Vereinbarung", text="Die Beratungsstelle berät.")
    results = search("Beratungsstelle", people["member"])
    assert results.counts == {"organisation": 8, "agreement": 1} and results.total == 9
    assert results.listed == 5 and results.pages == 1
    assert [hit.kind.name for hit in search("Beratungsstelle", people["member"], kind="agreement").hits] == ["agreement"]
    page = client_as("member").get("/suche/?q=Beratungsstelle").get_data(as_text=True)
    assert "9 Treffer" in page and "Aufgelistet sind die 5 besten von 9 Treffern." in page


def test_header_search_box_is_live_with_htmx_and_a_plain_form(client_as):
    html = client_as("partner").get("/").get_data(as_text=True)
    assert 'role="search"' in html and 'action="/suche/"' in html and 'method="get"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'id="search-live"' in html and 'role="status"' in html
    response = client_as("partner").get("/suche/?q=nichts", headers={"HX-Request": "true"})
    text = response.get_data(as_text=True)
    assert 'id="main"' in text and 'id="search-live"' in text and "Keine Treffer" in text


@pytest.mark.parametrize("query", ['"', "NEAR(a b)", "a OR b", "*", "¼", "title: x", "'", "\\", "-x", "a:*A",
                                   "x & !y | z", "ŉ ǅ", "a" * 300, " ".join(["Wort"] * 50), "der die das"])
def test_any_input_is_a_query_not_syntax(people, client_as, query):
    organisation("Wort und Tat", people["coordinator"])
    response = client_as("member").get("/suche/", query_string={"q": query})
    assert response.status_code == 200


def test_an_anonymised_person_is_gone_and_their_contributions_carry_the_pseudonym(app, people):
    from fh_intranet.people.anonymisation import anonymise

    coordinator, member = people["coordinator"], people["member"]
    people_workflow.update_person(member, member.version, name="Hildegard Quastenberg", email=member.email,
                                  organisation_id=member.organisation_id, function="Familienhebamme",
                                  role="member", actor=coordinator)
    consultation = make_agreement(coordinator, "consultation", title="Kommentierte Fassung")
    agreements.add_comment(consultation, agreements.latest_version(consultation), anchor="s-1-ziele",
                           heading="§ 1 Ziele", body="Die Wochenbettbetreuung fehlt.", author=member)
    assert ("person", "Hildegard Quastenberg") in found("Quastenberg", coordinator)
    with app.test_request_context():
        anonymise(member, actor=coordinator)
    assert found("Quastenberg", coordinator) == []
    assert found("Hildegard", coordinator) == []
    comment = search("Wochenbettbetreuung", coordinator).hits[0]
    assert "ehemaliges Mitglied 1" in comment.document.context and "Quastenberg" not in comment.document.context
    assert not [hit for hit in search("ehemaliges Mitglied", coordinator).hits if hit.kind.name == "person"]
