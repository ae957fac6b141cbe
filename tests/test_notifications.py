"""Notifications: every event reaches the right people (never the actor, never someone who may not
read the object), the in-app list with read marks and the header count, preferences, one-click
unsubscribe, and the daily reminders and summaries (once per day and person)."""
from datetime import date, timedelta
from urllib.parse import urlsplit

from fh_intranet.agreements import workflow as agreements
from fh_intranet.agreements.models import Comment
from fh_intranet.db import utcnow
from fh_intranet.meetings import workflow as meetings
from fh_intranet.meetings.models import BodyMember
from fh_intranet.notifications import daily
from fh_intranet.notifications import workflow as notifications
from fh_intranet.notifications.kinds import message_of
from fh_intranet.notifications.models import DailyMailing, Notification, NotificationPreference, OutboxMail
from fh_intranet.notifications.preferences import unsubscribe_token
from fh_intranet.topics import workflow as rounds

from .agreement_fixtures import make_agreement
from .conftest import csrf_from, submit
from .html_forms import form_posting_to
from .meeting_fixtures import AHEAD, make_meeting
from .topic_fixtures import make_round


def told(kind, object_id=None) -> set[int]:
    query = Notification.select().where(Notification.kind == kind)
    if object_id is not None:
        query = query.where(Notification.object_id == object_id)
    return {note.person_id for note in query}


def ids(people, *roles) -> set[int]:
    return {people[role].id for role in roles}


# --- who is told -------------------------------------------------------------------------------

def test_consultation_opened_and_closed_reach_the_steering_group_but_not_the_actor_or_partners(people, make_person):
    other_coordinator = make_person("coordinator")
    agreement = make_agreement(people["coordinator"], "consultation")
    assert told("consultation.opened", agreement.id) == {people["member"].id, other_coordinator.id}
    agreements.change_state(agreement, "adopted", people["coordinator"], adopted_on=date(2026, 6, 1))
    assert told("consultation.closed", agreement.id) == {people["member"].id, other_coordinator.id}
    # adopted: partners may read it now
    assert told("agreement.adopted", agreement.id) == {people["member"].id, people["partner"].id,
                                                        other_coordinator.id}


def test_adopted_rules_of_procedure_reach_the_steering_group_not_the_partners(people):
    rules = agreements.create_agreement(title="Geschäftsordnung", kind="rules_of_procedure", review_by=None,
                                        text="# § 1 Sitzungen\n\nViermal im Jahr.", author=people["coordinator"])
    agreements.change_state(rules, "consultation", people["coordinator"], deadline=utcnow() + timedelta(days=14))
    agreements.change_state(rules, "adopted", people["coordinator"], adopted_on=date(2026, 6, 1))
    assert told("agreement.adopted", rules.id) == {people["member"].id}


def test_new_version_reaches_those_who_commented_and_replies_and_resolutions_reach_the_author(people, make_person):
    coordinator, member = people["coordinator"], people["member"]
    other = make_person("member")
    agreement = make_agreement(coordinator, "consultation")
    version = agreements.latest_version(agreement)
    comment = agreements.add_comment(agreement, version, anchor="s-1-ziele", heading="§ 1 Ziele",
                                     body="Bitte präzisieren.", author=member)
    agreements.add_comment(agreement, version, anchor="s-1-ziele", heading="§ 1 Ziele", body="Sehe ich auch so.",
                           author=other, parent=comment)
    assert told("comment.reply") == {member.id}
    agreements.add_comment(agreement, version, anchor="s-1-ziele", heading="§ 1 Ziele", body="Danke.",
                           author=member, parent=comment)
    assert told("comment.reply") == {member.id}  # not told about their own reply

    agreements.save_version(agreement, base_number=version.number, text=version.text + "\nNeu.",
                            change_note="präzisiert", author=coordinator)
    assert told("agreement.new_version", agreement.id) == {member.id, other.id}
    agreements.set_resolved(Comment.get_by_id(comment.id), True, coordinator)
    assert told("comment.resolved") == {member.id}


def test_the_coordination_hears_of_comments_on_drafts_and_remarks_on_draft_minutes(people, body, make_person):
    coordinator, member = people["coordinator"], people["member"]
    other_coordinator = make_person("coordinator")
    agreement = make_agreement(coordinator, "consultation")
    version = agreements.latest_version(agreement)
    agreements.add_comment(agreement, version, anchor="s-1-ziele", heading="§ 1 Ziele", body="Bitte präzisieren.",
                           author=member)
    assert told("comment.added", agreement.id) == {coordinator.id, other_coordinator.id}
    # A coordinator's own comment tells the other coordinator only; a reply to it tells its author
    # once (as a reply), the other as a comment.
    Notification.delete().execute()
    own = agreements.add_comment(agreement, version, anchor="s-1-ziele", heading="§ 1 Ziele",
                                 body="Wird ergänzt.", author=coordinator)
    assert told("comment.added") == {other_coordinator.id}
    Notification.delete().execute()
    agreements.add_comment(agreement, version, anchor="s-1-ziele", heading="§ 1 Ziele", body="Danke.",
                           author=member, parent=own)
    assert told("comment.reply") == {coordinator.id}
    assert told("comment.added") == {other_coordinator.id}
    assert Notification.get(Notification.kind == "comment.added").digest_pending, "a summary by default"

    Notification.delete().execute()
    draft = make_meeting(body, "Frühjahrssitzung")
    meetings.add_minutes_comment(draft, "TOP 2 fehlt noch.", member)
    assert told("minutes.commented", draft.id) == {coordinator.id, other_coordinator.id}
    assert message_of(Notification.get(Notification.person == coordinator.id)) == (
        "Anmerkung zum Protokollentwurf: Frühjahrssitzung")


def test_minutes_reach_the_body_and_partners_only_once_published(people, body):
    coordinator, partner = people["coordinator"], people["partner"]
    draft = make_meeting(body, "Frühjahrssitzung")
    item = meetings.add_agenda_item(draft, "Berichte")
    meetings.add_action(item, "Flyer drucken", partner, date(2026, 4, 1), actor=coordinator)
    assert told("action.assigned") == set()  # the partner may not read draft minutes
    meetings.publish(draft, coordinator)
    assert told("minutes.published", draft.id) == ids(people, "member", "partner")
    assert told("action.assigned") == {partner.id}  # now they may
    meetings.correct(draft, coordinator, "Tippfehler", {item.id: "Berichtigt"}, {})
    assert told("minutes.corrected", draft.id) == ids(people, "member", "partner")


def test_actions_meetings_and_bodies(people, body, make_person):
    coordinator, member = people["coordinator"], people["member"]
    earlier = make_meeting(body, "Nachgetragen", starts=utcnow() - timedelta(days=3), actor=coordinator)
    assert told("meeting.scheduled", earlier.id) == set(), "one entered afterwards is no news"
    meetings.update_meeting(earlier, earlier.version, {"place": "Rathaus"}, actor=coordinator)
    assert told("meeting.moved", earlier.id) == set(), "nor is its place corrected afterwards"
    meeting = make_meeting(body, "Herbstsitzung", starts=utcnow() + timedelta(days=20), actor=coordinator)
    assert told("meeting.scheduled", meeting.id) == ids(people, "member", "partner")
    item = meetings.add_agenda_item(meeting, "Berichte")
    meetings.add_action(item, "Einladung verschicken", member, None, actor=coordinator)
    assert told("action.assigned") == {member.id}
    meetings.update_meeting(meeting, meeting.version, {"starts_at": meeting.starts_at + timedelta(days=1)},
                            actor=coordinator)
    assert told("meeting.moved", meeting.id) == ids(people, "member", "partner")
    newcomer = make_person("member")
    current = {m.person_id for m in BodyMember.select().where(BodyMember.body == body)}
    meetings.set_members(body, current | {newcomer.id}, None, actor=coordinator)
    assert told("body.invited", body.id) == {newcomer.id}


def test_rounds_opened_and_results(people, body, topics):
    coordinator = people["coordinator"]
    planned = make_round(body, coordinator, topics, status="planned")
    assert told("round.opened", planned.id) == set()
    rounds.open_round(planned, coordinator)
    assert told("round.opened", planned.id) == ids(people, "member")  # members vote; partners have no vote
    rounds.close_round(planned, coordinator)
    assert told("round.results", planned.id) == ids(people, "member", "partner")


# --- the list, read marks and the header count ---------------------------------------------------

def test_the_list_links_to_the_place_and_read_marks_work_without_javascript(client_as, people, body):
    make_meeting(body, "Herbstsitzung", starts=AHEAD)
    member = client_as("member")
    page = member.get("/benachrichtigungen/").get_data(as_text=True)
    assert "Neue Sitzung: Herbstsitzung" in page and 'href="/sitzungen/1"' in page
    header = member.get("/").get_data(as_text=True)
    assert 'id="unread-count"' in header and '<span class="badge">1</span>' in header
    assert '<span class="badge">1</span>' in member.get("/benachrichtigungen/anzahl").get_data(as_text=True)

    note = Notification.get(Notification.person == people["member"].id)
    # someone else's notification cannot be marked
    assert client_as("partner").post(f"/benachrichtigungen/{note.id}/gelesen",
                                     data={"csrf_token": csrf_from(page)}).status_code in (400, 404)
    response = submit(member, "/benachrichtigungen/", action=f"/benachrichtigungen/{note.id}/gelesen")
    assert response.status_code == 303
    assert Notification.get_by_id(note.id).read_at is not None
    assert 'class="badge"' not in member.get("/benachrichtigungen/anzahl").get_data(as_text=True)

    make_meeting(body, "Wintersitzung", starts=AHEAD)
    assert submit(member, "/benachrichtigungen/", action="/benachrichtigungen/alle-gelesen").status_code == 303
    assert notifications.unread_count(people["member"]) == 0


def test_all_read_marks_what_the_page_showed_not_what_arrived_since(client_as, people, body):
    """Was: every unread one, also a reply that came in after the page was loaded, never seen."""
    make_meeting(body, "Herbstsitzung", starts=AHEAD)
    member = client_as("member")
    form = form_posting_to(member.get("/benachrichtigungen/").get_data(as_text=True), "/benachrichtigungen/alle-gelesen")
    make_meeting(body, "Wintersitzung", starts=AHEAD)  # arrives while the page is open
    response = member.post("/benachrichtigungen/alle-gelesen", data=form.data())
    assert response.status_code == 303
    unread = Notification.select().where(Notification.person == people["member"].id, Notification.read_at.is_null())
    assert [message_of(note) for note in unread] == ["Neue Sitzung: Wintersitzung"]
    page = member.get(response.location).get_data(as_text=True)
    assert "1 neue Benachrichtigung ist seitdem eingegangen." in page


def test_with_nothing_unread_there_is_nothing_to_mark(client_as, people, body):
    make_meeting(body, "Herbstsitzung", starts=AHEAD)
    member = client_as("member")
    page = member.get("/benachrichtigungen/").get_data(as_text=True)
    assert "Alle als gelesen markieren" in page
    form = form_posting_to(page, "/benachrichtigungen/alle-gelesen")
    assert member.post("/benachrichtigungen/alle-gelesen", data=form.data()).status_code == 303
    page = member.get("/benachrichtigungen/").get_data(as_text=True)
    assert "Alle Benachrichtigungen sind als gelesen markiert." in page
    assert "Alle als gelesen markieren" not in page and "Herbstsitzung" in page
    # the same button in a window opened before: nothing was done, so nothing is reported as done
    response = member.post("/benachrichtigungen/alle-gelesen", data=form.data())
    page = member.get(response.location).get_data(as_text=True)
    assert "Es gab keine ungelesenen Benachrichtigungen." in page
    alert = page[:page.index("Es gab keine ungelesenen")]
    alert = alert[alert.rindex('<div class="kern-alert '):]
    assert "Hinweis:" in alert and "Erledigt:" not in alert


def test_marking_needs_the_csrf_token(app, client_as, people, body):
    app.config["WTF_CSRF_ENABLED"] = True
    make_meeting(body, "Herbstsitzung", starts=AHEAD)
    assert client_as("member").post("/benachrichtigungen/alle-gelesen").status_code == 400
    assert notifications.unread_count(people["member"]) == 1


# --- preferences and unsubscribing -----------------------------------------------------------------

def test_preferences_off_and_digest_keep_the_list_but_change_the_mail(client_as, people, body):
    member = client_as("member")
    page = member.get("/benachrichtigungen/einstellungen").get_data(as_text=True)
    assert "Neue Sitzung" not in page and "Sitzung meines Gremiums angesetzt" in page
    response = submit(member, "/benachrichtigungen/einstellungen",
                      {"kind_meeting_scheduled": "off", "kind_meeting_moved": "digest"}
                      | {f"kind_{k}": v for k, v in _defaults().items()
                         if k not in ("meeting_scheduled", "meeting_moved")})
    assert response.status_code == 303
    meeting = make_meeting(body, "Herbstsitzung", starts=AHEAD)
    assert people["member"].id in told("meeting.scheduled")  # still in the list
    assert not OutboxMail.select().where(OutboxMail.recipient == people["member"].email).exists()
    assert OutboxMail.select().where(OutboxMail.recipient == people["partner"].email).count() == 1  # default: sofort
    meetings.update_meeting(meeting, meeting.version, {"place": "Rathaus"}, actor=people["coordinator"])
    pending = Notification.get(Notification.person == people["member"].id, Notification.kind == "meeting.moved")
    assert pending.digest_pending
    assert not OutboxMail.select().where(OutboxMail.recipient == people["member"].email).exists()


def test_the_settings_offer_what_can_concern_the_person(client_as, people):
    from fh_intranet.notifications.kinds import KINDS

    def offered(role):
        page = client_as(role).get("/benachrichtigungen/einstellungen").get_data(as_text=True)
        return {code for code in KINDS if f'name="kind_{code.replace(".", "_")}"' in page}

    everyone = {"minutes.published", "meeting.scheduled", "action.assigned", "round.results", "agreement.adopted"}
    assert offered("coordinator") == set(KINDS)
    member, partner = offered("member"), offered("partner")
    assert everyone <= partner and everyone <= member
    assert {"round.opened", "consultation.opened", "comment.reply"} <= member - partner, "partners neither vote nor comment"
    assert not {"comment.added", "minutes.commented", "accessibility.feedback"} & (member | partner)
    # Saving the partner's shorter form keeps the choices it does not show.
    NotificationPreference.create(person=people["partner"], kind="round.opened", channel="off")
    partner = client_as("partner")
    form = form_posting_to(partner.get("/benachrichtigungen/einstellungen").get_data(as_text=True),
                           "/benachrichtigungen/einstellungen")
    assert "kind_round_opened" not in form.data()
    response = partner.post("/benachrichtigungen/einstellungen", data=form.data(kind_meeting_scheduled="digest"))
    assert response.status_code == 303
    channels = {p.kind: p.channel for p in NotificationPreference.select().where(
        NotificationPreference.person == people["partner"].id)}
    assert channels["meeting.scheduled"] == "digest" and channels["round.opened"] == "off"


def _defaults():
    from fh_intranet.notifications.kinds import KINDS

    return {code.replace(".", "_"): kind.default for code, kind in KINDS.items()}


def test_preferences_refuse_unknown_choices(client_as):
    response = submit(client_as("member"), "/benachrichtigungen/einstellungen",
                      {f"kind_{k}": "laut" for k in _defaults()})
    assert response.status_code == 422


def test_unsubscribe_works_without_login_only_for_that_kind_and_asks_first(app, client, people):
    member = people["member"]
    with app.test_request_context():
        token = unsubscribe_token(member, ["minutes.published"])
    url = f"/benachrichtigungen/abbestellen/{token}"
    page = client.get(url)
    assert page.status_code == 200 and "Protokoll veröffentlicht" in page.get_data(as_text=True)
    assert not NotificationPreference.select().exists()  # a GET (a link scanner) changes nothing
    assert client.post(url, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert {(p.kind, p.channel) for p in NotificationPreference.select()} == {("minutes.published", "off")}
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert client.post(f"/benachrichtigungen/abbestellen/{forged}").status_code == 404


# --- daily reminders and summaries ------------------------------------------------------------------

def test_reminders_go_out_once_even_when_the_daily_run_repeats(app, people, body, topics):
    coordinator, member = people["coordinator"], people["member"]
    agreement = make_agreement(coordinator, "consultation")
    agreements.change_state(agreement, "draft", coordinator)
    agreements.change_state(agreement, "consultation", coordinator, deadline=utcnow() + timedelta(days=1))
    round_ = make_round(body, coordinator, topics)  # closes in a day
    from fh_intranet.topics.models import VotingRound

    VotingRound.update(closes_at=utcnow() + timedelta(hours=20)).where(VotingRound.id == round_.id).execute()
    meeting = make_meeting(body, "Sitzung", starts=utcnow() - timedelta(days=10))
    item = meetings.add_agenda_item(meeting, "Berichte")
    today = date.today()
    meetings.add_action(item, "Bald fällig", member, today + timedelta(days=2), actor=coordinator)
    meetings.add_action(item, "Überfällig", member, today - timedelta(days=1), actor=coordinator)
    meetings.publish(meeting, coordinator)

    with app.app_context():
        first = daily.run(today)
        second = daily.run(today)
        later = daily.run(today + timedelta(days=1))
    assert first.reminders > 0 and second.reminders == 0 and later.reminders == 0
    assert told("consultation.deadline", agreement.id) == {member.id, coordinator.id}  # no partner
    assert told("round.closing", round_.id) == {member.id, coordinator.id}  # the voters, no partner
    assert told("action.due") == {member.id} and told("action.overdue") == {member.id}


def test_a_round_opened_by_its_start_time_is_announced_by_the_daily_run(app, people, body, topics):
    from fh_intranet.topics.models import VotingRound

    round_ = make_round(body, people["coordinator"], topics, status="planned")
    VotingRound.update(opens_at=utcnow() - timedelta(minutes=5)).where(VotingRound.id == round_.id).execute()
    with app.app_context():
        daily.run()
        daily.run()
    assert told("round.opened", round_.id) == ids(people, "coordinator", "member")
    assert Notification.select().where(Notification.kind == "round.opened").count() == 2


def test_a_digest_collects_several_events_in_one_mail_once_a_day(app, client_as, people, body, mail_sink):
    member = people["member"]
    for kind in ("meeting.scheduled", "meeting.moved"):
        NotificationPreference.create(person=member, kind=kind, channel="digest")
    meeting = make_meeting(body, "Herbstsitzung", starts=AHEAD)
    make_meeting(body, "Wintersitzung", starts=AHEAD)
    meetings.update_meeting(meeting, meeting.version, {"place": "Rathaus"}, actor=people["coordinator"])
    list.clear(mail_sink)
    OutboxMail.delete().execute()

    with app.app_context():
        assert daily.run().digests == 1
        assert daily.run().digests == 0  # the same day: nothing more
    mine = [m for m in mail_sink if m["To"] == member.email]
    assert len(mine) == 1
    text = mine[0].get_body(preferencelist=("plain",)).get_content()
    assert "Neue Sitzung: Herbstsitzung" in text and "Neue Sitzung: Wintersitzung" in text
    assert "Sitzung verlegt: Herbstsitzung" in text
    assert "Zusammenfassung" in mine[0]["Subject"]
    assert DailyMailing.select().where(DailyMailing.person == member.id, DailyMailing.what == "digest").count() == 1
    # the digest's unsubscribe link covers the kinds it reports
    link = urlsplit(mine[0]["List-Unsubscribe"][1:-1]).path
    assert client_as("member").get(link).status_code == 200


def test_a_summary_names_many_comments_on_one_draft_once_with_their_number(app, people, make_person, mail_sink):
    coordinator = people["coordinator"]
    agreement = make_agreement(coordinator, "consultation", title="Kooperationsvereinbarung 2027")
    other = make_agreement(coordinator, "consultation", title="Geschäftsordnung")
    version, other_version = agreements.latest_version(agreement), agreements.latest_version(other)
    for author in (people["member"], make_person("member"), make_person("member")):
        agreements.add_comment(agreement, version, anchor="s-1-ziele", heading="§ 1 Ziele", body="Bitte ergänzen.",
                               author=author)
    agreements.add_comment(other, other_version, anchor="s-1-ziele", heading="§ 1 Ziele", body="Passt.",
                           author=people["member"])
    list.clear(mail_sink)
    with app.app_context():
        assert daily.run().digests >= 1
    text = next(m for m in mail_sink if m["To"] == coordinator.email).get_body(("plain",)).get_content()
    assert text.count("Neuer Kommentar zu „Kooperationsvereinbarung 2027“ (3×)") == 1
    assert "Neuer Kommentar zu „Kooperationsvereinbarung 2027“\r\n" not in text
    assert "Neuer Kommentar zu „Geschäftsordnung“\r\n" in text  # once: no count
    # the in-app list keeps every event
    assert len(told("comment.added", agreement.id)) == 1
    assert Notification.select().where(Notification.kind == "comment.added", Notification.object_id == agreement.id).count() == 3


def test_send_daily_command_twice_a_day_sends_nothing_the_second_time(app, people, body):
    NotificationPreference.create(person=people["member"], kind="meeting.scheduled", channel="digest")
    make_meeting(body, "Herbstsitzung", starts=AHEAD)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-daily"])
    second = runner.invoke(args=["send-daily"])
    assert first.exit_code == 0 and "1 summary mail(s)" in first.output, first.output
    assert second.exit_code == 0 and "0 reminder(s), 0 summary mail(s)" in second.output


def test_mails_speak_the_persons_language(people, body, mail_sink):
    from fh_intranet.people.models import Person

    Person.update(locale="en").where(Person.id == people["partner"].id).execute()
    make_meeting(body, "Herbstsitzung", starts=AHEAD, actor=people["coordinator"])
    by_person = {m["To"]: m for m in mail_sink}
    english, german = by_person[people["partner"].email], by_person[people["member"].email]
    assert english["Subject"].startswith("New meeting: Herbstsitzung")
    assert "Why you receive this email:" in english.get_body(("plain",)).get_content()
    assert german["Subject"].startswith("Neue Sitzung: Herbstsitzung")


def test_meeting_mails_say_when_and_where_as_the_meeting_is_now(people, body, mail_sink):
    from fh_intranet.people.models import Person

    Person.update(locale="en").where(Person.id == people["partner"].id).execute()
    meeting = make_meeting(body, "Herbstsitzung", starts=AHEAD, actor=people["coordinator"])
    by_person = {m["To"]: m for m in mail_sink}
    german = by_person[people["member"].email]
    text = german.get_body(("plain",)).get_content()
    # 13:00 UTC in March is 14:00 in Berlin
    assert "Termin: Mo., 10.03.2031, 14:00–16:00 Uhr" in text and "Ort: Kreishaus" in text
    assert text.index("Neue Sitzung: Herbstsitzung") < text.index("Termin:") < text.index("/sitzungen/")
    html = german.get_body(("html",)).get_content()
    assert "<br>Termin: Mo., 10.03.2031, 14:00–16:00 Uhr<br>Ort: Kreishaus</li>" in html
    english = by_person[people["partner"].email].get_body(("plain",)).get_content()
    assert "When: Mon, 10 Mar 2031, 14:00–16:00" in english and "Where: Kreishaus" in english

    list.clear(mail_sink)
    meetings.update_meeting(meeting, meeting.version, {"place": "Rathaus, Raum 2 <b>"}, actor=people["coordinator"])
    moved = {m["To"]: m for m in mail_sink}[people["member"].email]
    assert moved["Subject"].startswith("Sitzung verlegt: Herbstsitzung")
    assert "Ort: Rathaus, Raum 2 <b>" in moved.get_body(("plain",)).get_content()
    assert "Ort: Rathaus, Raum 2 &lt;b&gt;<br>Bisheriger Ort: Kreishaus</li>" in moved.get_body(("html",)).get_content()
    assert "Bisheriger Ort: Kreishaus" in moved.get_body(("plain",)).get_content()
    assert "Bisher:" not in moved.get_body(("plain",)).get_content(), "the time did not move"

    list.clear(mail_sink)
    current = meetings.Meeting.get_by_id(meeting.id)
    meetings.update_meeting(current, current.version, {"starts_at": AHEAD + timedelta(days=1, hours=1),
                                                       "ends_at": AHEAD + timedelta(days=1, hours=2)},
                            actor=people["coordinator"])
    by_person = {m["To"]: m for m in mail_sink}
    text = by_person[people["member"].email].get_body(("plain",)).get_content()
    assert "Termin: Di., 11.03.2031, 15:00–16:00 Uhr" in text
    assert "Bisher: Mo., 10.03.2031, 14:00–16:00 Uhr" in text and "Bisheriger Ort" not in text
    english = by_person[people["partner"].email].get_body(("plain",)).get_content()
    assert "Until now: Mon, 10 Mar 2031, 14:00–16:00" in english


def test_the_notification_list_shows_a_moved_meetings_former_place(people, body, client_as):
    meeting = make_meeting(body, "Herbstsitzung", starts=AHEAD, actor=people["coordinator"])
    meetings.update_meeting(meeting, meeting.version, {"place": ""}, actor=people["coordinator"])
    client = client_as("member")
    page = client.get("/benachrichtigungen/").get_data(as_text=True)
    assert "Sitzung verlegt: Herbstsitzung" in page and "Bisheriger Ort: Kreishaus" in page
    assert "Ort: nicht angegeben" in page, "a place removed by the move is said to be gone"
    start = client.get("/").get_data(as_text=True)
    assert "Bisheriger Ort: Kreishaus" in start
