"""The demo network reads as a network that has worked for years: its history is written through the
ordinary writers with the clock set back, not stamped with the moment of seeding."""
import re
from datetime import datetime, timedelta, timezone

from fh_intranet import clock, demo
from fh_intranet.agreements.models import ADOPTED, Agreement, AgreementVersion, Comment, Signature
from fh_intranet.audit import AuditEvent
from fh_intranet.db import utcnow
from fh_intranet.meetings.models import PUBLISHED, Meeting, MinutesRevision
from fh_intranet.people.models import Person
from fh_intranet.timezones import berlin_today
from fh_intranet.topics.models import VotingRound
from fh_intranet.workshops.models import Output


def test_the_clock_runs_on_from_a_moment_and_comes_back():
    real = datetime.now(timezone.utc).replace(tzinfo=None)
    then = datetime(2024, 1, 15, 9, 0)
    with clock.running_from(then):
        first = utcnow()
        assert then <= first < then + timedelta(minutes=5)
        assert utcnow() >= first, "what is written in order keeps its order"
        assert berlin_today() == then.date()
    assert abs(utcnow() - real) < timedelta(minutes=5)
    assert berlin_today() >= real.date() - timedelta(days=1)


def test_the_demos_history_is_dated_as_it_happened(demo_data):
    now = utcnow()
    stamps = [e.created_at for e in AuditEvent.select(AuditEvent.created_at)]
    assert max(stamps) <= now, "nothing happened in the future"
    assert min(stamps) < now - timedelta(days=2 * 365), "the network has worked for years"
    assert len({stamp.date() for stamp in stamps}) > 40, "not one day of seeding"

    adopted = Agreement.get(Agreement.kind == "cooperation", Agreement.state == ADOPTED)
    adopted_text = AgreementVersion.get(AgreementVersion.agreement == adopted)
    assert adopted_text.created_at.date() < adopted.adopted_on
    for signature in Signature.select().where(Signature.agreement == adopted):
        assert signature.signed_on >= adopted.adopted_on
        assert signature.created_at.date() >= signature.signed_on, "recorded after it was signed"

    draft = Agreement.get(Agreement.kind == "cooperation", Agreement.state != ADOPTED)
    versions = list(AgreementVersion.select().where(AgreementVersion.agreement == draft)
                    .order_by(AgreementVersion.number))
    assert [v.created_at for v in versions] == sorted(v.created_at for v in versions)
    assert versions[0].created_at < versions[-1].created_at - timedelta(days=7)
    for comment in Comment.select().where(Comment.agreement == draft):
        assert versions[0].created_at < comment.created_at <= now

    for meeting in Meeting.select().where(Meeting.state == PUBLISHED):
        first = MinutesRevision.get(MinutesRevision.meeting == meeting, MinutesRevision.number == 1)
        assert meeting.ends_at < meeting.published_at <= first.created_at + timedelta(seconds=1)
    for output in Output.select():
        assert output.workshop.meeting.ends_at < output.created_at

    # last year's report, the one the coordination opens first, has minutes and decisions to count
    from fh_intranet.meetings.models import Decision

    last_year = berlin_today().year - 1
    assert Decision.select().where(Decision.year == last_year).count() >= 3

    closed = VotingRound.get(VotingRound.finalized_at.is_null(False))
    assert closed.opens_at < closed.closes_at <= closed.finalized_at < now - timedelta(days=30)


def test_the_demo_network_has_been_reading_and_acting_by_name(demo_data):
    """Three years of notifications stood unread; the meetings' history said „System“ did it all;
    a person had an account before their organisation joined."""
    from fh_intranet.meetings.models import ActionItem
    from fh_intranet.notifications.models import Notification

    assert not Notification.select().where(Notification.read_at.is_null(),
                                           Notification.created_at < utcnow() - timedelta(days=15)).exists()
    assert Notification.select().where(Notification.read_at.is_null()).exists(), "the last days' news is unread"
    anonymous = AuditEvent.select().where(AuditEvent.actor.is_null(), AuditEvent.object_type.in_(
        ["Meeting", "AgendaItem", "Decision", "ActionItem"]))
    assert not anonymous.exists(), [event.action for event in anonymous]
    rooms = ActionItem.get(ActionItem.what == "Räume für den Fachtag anfragen")
    assert rooms.done_at is not None, "done before the Fachtag that took place"
    for person in Person.select():
        joined = person.organisation.joined_on
        assert person.created_at.date() >= min(joined, (utcnow() - timedelta(days=1101)).date()), person.name


def test_the_demo_start_page_shows_the_last_two_weeks_not_a_year(client, app, demo_data):
    member = Person.get(Person.email == demo.LOGINS["member"])
    html = app.test_client(user=member).get("/").get_data(as_text=True)
    page = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "2. Sitzung der Steuerungsgruppe – Protokoll korrigiert am" in page
    assert "1. Sitzung der Steuerungsgruppe" not in page, "minutes published ten months ago are not news"
    assert "Digitale Elternsprechstunde" in page, "a topic proposed last week is"
