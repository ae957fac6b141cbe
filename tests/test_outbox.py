"""The mail outbox: requests only queue mail; the worker delivers through real SMTP, retries with
back-off when the server is down, and several workers at once send each mail once."""
import json
from datetime import timedelta
from urllib.parse import urlsplit

from fh_intranet.db import utcnow, write_transaction
from fh_intranet.notifications import outbox
from fh_intranet.notifications.models import FAILED, QUEUED, SENT, OutboxMail
from fh_intranet.people.models import Person

from .concurrency import at_once
from .conftest import free_port, smtp_sink
from .html_forms import form_posting_to
from .test_invitations import invite


def _consultation_opened(client_as, agreements):
    """The coordinator opens the draft for comments, as the page's form does."""
    coordinator, page = client_as("coordinator"), f"/vereinbarungen/{agreements['draft'].id}"
    action = f"{page}/status"
    form = form_posting_to(coordinator.get(page).get_data(as_text=True), action, page)
    return coordinator.post(action, data=form.data(deadline="2030-06-01T12:00"))


def test_a_notification_mail_has_german_text_html_working_links_and_one_click_unsubscribe(
        app, client_as, client, agreements, people, mail_sink):
    OutboxMail.delete().execute()  # the fixtures' own events
    response = _consultation_opened(client_as, agreements)
    assert response.status_code == 303
    assert OutboxMail.select().where(OutboxMail.recipient == people["member"].email).count() == 1
    mine = [m for m in mail_sink if m["To"] == people["member"].email]
    assert len(mine) == 1, [m["To"] for m in mail_sink]
    message = mine[0]
    assert message["Subject"].startswith("Die Kommentierung ist eröffnet: Vereinbarung draft")
    assert message["From"] == app.config["MAIL_FROM"]
    assert message["Auto-Submitted"] == "auto-generated"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Guten Tag Testperson member" in text and "Warum Sie diese E-Mail erhalten:" in text
    assert "Steuerungsgruppe" in text
    assert '<a href="' in html and "Benachrichtigungen einstellen" in html
    base = app.config["BASE_URL"]
    place = f"{base}/vereinbarungen/{agreements['draft'].id}"
    assert place in text and place in html
    member = client_as("member")
    assert member.get(urlsplit(place).path).status_code == 200  # the link leads to the place
    assert member.get(urlsplit(f"{base}/benachrichtigungen/einstellungen").path).status_code == 200

    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{base}/benachrichtigungen/abbestellen/") and unsubscribe.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in text
    # RFC 8058: the mail program posts without cookies or CSRF token, and it works.
    answer = client.post(urlsplit(unsubscribe[1:-1]).path, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and "keine E-Mails mehr" in answer.get_data(as_text=True)
    from fh_intranet.notifications.preferences import channel_for
    assert channel_for(people["member"], "consultation.opened") == "off"
    assert channel_for(people["member"], "comment.reply") == "immediate"  # only that kind


def test_smtp_down_the_request_succeeds_and_the_mail_goes_out_on_a_later_run(app, client_as, organisation, caplog):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens there
    response = invite(client_as("coordinator"), organisation)
    assert response.status_code == 303  # the request never talked to SMTP
    queued = OutboxMail.get(OutboxMail.recipient == "neu@example.org")
    assert queued.status == QUEUED and queued.attempts == 0

    with app.app_context():
        assert outbox.send_due() == (0, 1)
    queued = OutboxMail.get_by_id(queued.id)
    assert queued.status == QUEUED and queued.attempts == 1 and queued.last_error
    assert queued.next_attempt_at > utcnow() + timedelta(seconds=30)  # backs off
    assert "/einladung/" not in queued.last_error
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"mail {queued.id}: attempt 1 failed" in logged and "einladung" not in logged.lower()

    with smtp_sink(app) as messages:
        with app.app_context():
            assert outbox.send_due() == (0, 0)  # not due yet: nothing tried
            OutboxMail.update(next_attempt_at=utcnow()).execute()  # the back-off has passed
            assert outbox.send_due() == (1, 0)
        assert [m["To"] for m in list.__iter__(messages)] == ["neu@example.org"]
    sent = OutboxMail.get_by_id(queued.id)
    assert sent.status == SENT and sent.attempts == 2 and sent.sent_at is not None
    assert sent.text_body == "" and sent.html_body == ""  # the one-time link is not kept


def test_back_off_doubles_and_has_a_ceiling():
    assert [outbox.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert outbox.retry_delay(30) == outbox.LONGEST_RETRY


def test_a_mail_is_given_up_after_the_last_attempt(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    with app.app_context(), app.test_request_context():
        with write_transaction():
            row = outbox.enqueue("a@example.org", "Betreff", "Text")
        OutboxMail.update(attempts=outbox.MAX_ATTEMPTS - 1).execute()
        assert outbox.send_due() == (0, 1)
    assert OutboxMail.get_by_id(row.id).status == FAILED


def _queue(count):
    with write_transaction():
        for n in range(count):
            outbox.enqueue(f"person{n}@example.org", f"Mail {n}", f"Text {n}",
                           headers={"List-Unsubscribe": f"<https://example.org/x/{n}>"})


def test_several_workers_at_once_send_each_mail_once(app):
    """Real threads, each with its own database connection; on PostgreSQL the claim is SELECT …
    FOR UPDATE SKIP LOCKED, on SQLite BEGIN IMMEDIATE."""
    _queue(30)
    with smtp_sink(app, delay=0.05) as messages:
        results = at_once(app, *[outbox.send_due for _ in range(4)], raise_errors=True)
        received = sorted(m["Subject"] for m in list.__iter__(messages))
    assert sum(sent for sent, _failed in results) == 30
    assert received == sorted(f"Mail {n}" for n in range(30))  # each once
    assert OutboxMail.select().where(OutboxMail.status == SENT).count() == 30
    assert json.loads(OutboxMail.get().headers)["List-Unsubscribe"].startswith("<https://")


def test_send_mail_command_drains_the_outbox(app, mail_sink):
    _queue(3)
    result = app.test_cli_runner().invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0, result.output
    assert sorted(m["Subject"] for m in list.__iter__(mail_sink)) == ["Mail 0", "Mail 1", "Mail 2"]
    assert OutboxMail.select().where(OutboxMail.status == QUEUED).count() == 0


def test_the_old_send_interface_queues_for_the_worker(app, mail_sink):
    from fh_intranet import mail

    with app.app_context():
        assert mail.send("b@example.org", "Hinweis", "Grüße aus dem Netzwerk") is True
    assert OutboxMail.get().status == QUEUED  # nothing went out inside the call
    [message] = list(mail_sink)
    assert message["Subject"] == "Hinweis" and "Grüße" in message.get_body(("plain",)).get_content()


def test_calendar_mails_to_one_person_go_out_in_order_whichever_worker_claims_them(app):
    """Two workers: one held the invitation's update while the other sent its cancellation first."""
    with app.app_context():
        with write_transaction():
            update = outbox.enqueue("a@example.org", "Verschoben", "Text", ics="UPDATE", ics_method="REQUEST")
            cancel = outbox.enqueue("a@example.org", "Abgesagt", "Text", ics="CANCEL", ics_method="CANCEL")
            other = outbox.enqueue("b@example.org", "Abgesagt", "Text", ics="CANCEL", ics_method="CANCEL")
            plain = outbox.enqueue("a@example.org", "Neuer Kommentar", "Text")
        assert [row.id for row in outbox.claim(limit=1)] == [update.id]  # the first worker, still sending
        assert [row.id for row in outbox.claim()] == [other.id, plain.id]  # the second: not the cancellation
        OutboxMail.update(status=SENT).where(OutboxMail.id == update.id).execute()
        assert [row.id for row in outbox.claim()] == [cancel.id]
        # a mail given up for good holds nothing back
        with write_transaction():
            first = outbox.enqueue("c@example.org", "Einladung", "Text", ics="REQUEST", ics_method="REQUEST")
            second = outbox.enqueue("c@example.org", "Abgesagt", "Text", ics="CANCEL", ics_method="CANCEL")
        OutboxMail.update(status=FAILED).where(OutboxMail.id == first.id).execute()
        assert [row.id for row in outbox.claim()] == [second.id]


def test_a_persons_calendar_mails_keep_their_order_across_an_address_change(app, people):
    """An update written from the person as read before their address changed (the old address)
    was waiting for its retry; the cancellation written after it (the new address) was claimed at
    once and arrived first."""
    from fh_intranet.people import workflow as people_workflow

    member = people["member"]
    with write_transaction():
        update = outbox.enqueue(member, "Verschoben", "Text", ics="UPDATE", ics_method="REQUEST")
    OutboxMail.update(next_attempt_at=utcnow() + timedelta(minutes=5)).where(OutboxMail.id == update.id).execute()
    people_workflow.update_person(member, member.version, name=member.name, email="neu@example.org",
                                  organisation_id=member.organisation_id, function="", role="member",
                                  actor=people["coordinator"])
    with write_transaction():  # from a read before the change, again the old address
        late = outbox.enqueue(member, "Verschoben", "Text", ics="UPDATE", ics_method="REQUEST")
        cancel = outbox.enqueue(Person.get_by_id(member.id), "Abgesagt", "Text", ics="CANCEL", ics_method="CANCEL")
    assert OutboxMail.get_by_id(late.id).recipient != OutboxMail.get_by_id(cancel.id).recipient
    assert outbox.claim() == []  # each waits for the update before it, whatever address it carries
    OutboxMail.update(next_attempt_at=utcnow()).where(OutboxMail.id == update.id).execute()
    claimed = outbox.claim()
    assert [(row.id, row.recipient) for row in claimed] == [(update.id, "neu@example.org")]
    assert OutboxMail.get_by_id(update.id).recipient == "neu@example.org"  # the row says where it went


def test_a_long_german_subject_arrives_word_for_word(app, mail_sink):
    """Python's header folding cut it into encoded words with the spaces between them, which every
    reader drops: „über Übergänge, Zuständigkeiten“ arrived as „überÜbergänge,Zuständigkeiten“."""
    subjects = ["Kalendereinladung: Sitzung mit sehr langem Titel über Übergänge, Zuständigkeiten und "
                "Ärger – ein Test der Zeilenfaltung", "Neue Sitzung: Größere Runde " + "ä " * 60 + "Ende",
                "Plain ASCII subject " + "word " * 30 + "end"]
    with app.app_context(), write_transaction():
        for subject in subjects:
            outbox.enqueue("a@example.org", subject, "Text", ics="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert sorted(m["Subject"] for m in mail_sink) == sorted(subjects)


def test_a_line_break_in_a_subject_stops_neither_the_worker_nor_the_mails_behind_it(app, client, people, mail_sink):
    """A two-line message in the public accessibility form made a subject with a line break:
    Python refused the header, and the worker stopped with every mail behind it."""
    from .test_accessibility_statement import send

    assert send(client, message="Der Kontrast\r\nist zu schwach").status_code == 303
    with app.app_context(), write_transaction():
        outbox.enqueue("danach@example.org", "Danach", "Text")
    received = {m["To"]: m["Subject"] for m in mail_sink}
    assert received["danach@example.org"] == "Danach"
    subject = received[people["coordinator"].email]
    assert "Der Kontrast ist zu schwach" in subject and "\n" not in subject and "\r" not in subject


def test_a_mail_that_cannot_be_written_is_given_up_and_the_others_go(app):
    with smtp_sink(app) as messages, app.app_context(), app.test_request_context():
        with write_transaction():
            broken = outbox.enqueue("kaputt@example.org", "Kaputt", "Text")
            outbox.enqueue("heil@example.org", "Heil", "Text")
        OutboxMail.update(headers="{not json").where(OutboxMail.id == broken.id).execute()
        assert outbox.send_due() == (1, 1)
        assert [m["To"] for m in list.__iter__(messages)] == ["heil@example.org"]
    row = OutboxMail.get_by_id(broken.id)
    assert row.status == FAILED and row.attempts == 1, "not tried again: it would fail the same way"
