"""The daily run (`flask --app fh_intranet send-daily`, once a day from cron): reminders of
deadlines and due dates, then each person's summary of the day's notifications.

Exactly once per day and person: every mail written here is recorded in DailyMailing (unique per
person, day and what) in the same transaction as the mail itself. A second run on the same day,
or two runs at once, find the record and write nothing again. A reminder is sent once per person
and object, ever (an overdue action item is not re-announced every morning).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import peewee

from ..db import utcnow, write_transaction
from ..people.models import Person
from ..timezones import berlin_today
from . import audiences, mails
from .models import DailyMailing, Notification
from .workflow import notify

DEADLINE_AHEAD = timedelta(days=2)
CLOSING_AHEAD = timedelta(hours=24)
DUE_AHEAD_DAYS = 3


@dataclass
class DailyReport:
    reminders: int = 0
    digests: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Reminder:
    kind: str
    object_type: str
    object_id: int
    title: str
    people: list[int]
    may_read: tuple

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"


def due_reminders(today: date) -> list[Reminder]:
    from ..agreements.models import CONSULTATION, Agreement
    from ..meetings.models import ActionItem, Meeting
    from ..topics.models import VotingRound

    now = utcnow()
    found = []
    for agreement in Agreement.select().where(Agreement.state == CONSULTATION,
                                              Agreement.comment_deadline > now,
                                              Agreement.comment_deadline <= now + DEADLINE_AHEAD):
        found.append(Reminder("consultation.deadline", "Agreement", agreement.id, agreement.title,
                              audiences.steering_group(), ("agreement.comment", agreement)))
    announced = Notification.select(Notification.object_id).where(Notification.kind == "round.opened")
    for round_ in VotingRound.select().where(VotingRound.opens_at <= now, VotingRound.closes_at > now,
                                             VotingRound.id.not_in(announced)):
        # opened by its start time rather than by the coordinator's button: announced here
        found.append(Reminder("round.opened", "VotingRound", round_.id, round_.title,
                              audiences.body_members(round_.body_id), ("round.vote", round_)))
    for round_ in VotingRound.select().where(VotingRound.opens_at <= now, VotingRound.closes_at > now,
                                             VotingRound.closes_at <= now + CLOSING_AHEAD):
        found.append(Reminder("round.closing", "VotingRound", round_.id, round_.title,
                              audiences.body_members(round_.body_id), ("round.vote", round_)))
    open_actions = ActionItem.select(ActionItem, Meeting).join(Meeting).where(
        ActionItem.done_at.is_null(), ActionItem.due_on.is_null(False),
        ActionItem.due_on <= today + timedelta(days=DUE_AHEAD_DAYS))
    for action in open_actions:
        kind = "action.overdue" if action.due_on < today else "action.due"
        found.append(Reminder(kind, "ActionItem", action.id, action.what[:300], [action.person_id],
                              ("meeting.read_minutes", action.meeting)))
    return found


def send_reminders(today: date, report: DailyReport) -> None:
    for reminder in due_reminders(today):
        try:
            with write_transaction():
                told = {row.person_id for row in DailyMailing.select(DailyMailing.person)
                        .where(DailyMailing.what == reminder.key, DailyMailing.person.in_(reminder.people or [0]))}
                untold = [person_id for person_id in reminder.people if person_id not in told]
                if not untold:
                    continue
                DailyMailing.insert_many([{"person": person_id, "day": today, "what": reminder.key,
                                           "created_at": utcnow()} for person_id in untold]).execute()
                report.reminders += len(notify(reminder.kind, object_type=reminder.object_type,
                                               object_id=reminder.object_id, title=reminder.title,
                                               people=untold, may_read=reminder.may_read))
        except peewee.IntegrityError:  # another run at the same moment wrote them
            report.skipped.append(reminder.key)


def send_digests(today: date, report: DailyReport) -> None:
    waiting = (Person.select().join(Notification, on=(Notification.person == Person.id))
               .where(Notification.digest_pending).distinct())
    for person in waiting:
        try:
            with write_transaction():
                if DailyMailing.select().where(DailyMailing.person == person.id, DailyMailing.day == today,
                                               DailyMailing.what == "digest").exists():
                    continue  # today's summary went out already; the rest waits for tomorrow
                DailyMailing.create(person=person, day=today, what="digest")
                pending = list(Notification.select().where(Notification.person == person.id,
                                                           Notification.digest_pending)
                               .order_by(Notification.created_at, Notification.id))
                Notification.update(digest_pending=False).where(
                    Notification.id.in_([note.id for note in pending])).execute()
                if pending and person.active:
                    mails.queue_notification_mail(person, pending, digest=True)
                    report.digests += 1
        except peewee.IntegrityError:
            report.skipped.append(f"digest:{person.id}")


def run(today: date | None = None) -> DailyReport:
    today = today or berlin_today()
    report = DailyReport()
    send_reminders(today, report)
    send_digests(today, report)
    return report
