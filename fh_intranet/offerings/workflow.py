"""Every change to offerings and update rounds. Views parse, call one function here, render."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from .. import audit, dates
from ..changes import Refused, create_once, locked, reason, update_versioned
from ..db import serialize, utcnow, write_transaction
from ..notifications.workflow import notify
from ..people.models import Organisation, Person
from ..register.queries import active_condition
from ..timezones import berlin_today
from .models import Offering, RoundConfirmation, UpdateRound

# A reminder at most once a day: organisations reminded less than this ago are not reminded again.
REMINDER_GAP = timedelta(hours=20)

ROUND_OPEN = reason("offerings.round_open", _l(
    "Es läuft schon eine Aktualisierungsrunde (bis %(deadline)s). Eine neue kann erst danach beginnen."))
DEADLINE_PAST = reason("offerings.deadline_past", _l("Die Frist muss heute oder später enden."))
NO_ORGANISATIONS = reason("offerings.no_organisations", _l(
    "Noch keine Organisation hat Angebote eingetragen: Es gibt niemanden, der bestätigen könnte."))
ROUND_OVER = reason("offerings.round_over", _l("Die Frist dieser Aktualisierungsrunde ist abgelaufen."))
NOBODY_TO_REMIND = reason("offerings.nobody_to_remind", _l(
    "Alle Organisationen haben bestätigt, oder sie wurden in den letzten 20 Stunden schon erinnert."))


def create_offering(organisation: Organisation, values: dict, *, actor, token: str | None) -> Offering:
    def create():
        now = utcnow()
        offering = Offering.create(organisation=organisation.id, created_at=now, updated_at=now,
                                   confirmed_at=now, confirmed_by=actor.id, **values)
        audit.record("offering.created", offering, actor=actor, title=offering.title,
                     organisation=organisation.id)
        return offering

    return create_once(token, Offering, create)


def update_offering(offering: Offering, expected_version, values: dict, *, actor) -> Offering:
    """Saving confirms the entry too: the person who saved it just looked at all of it."""
    with write_transaction():
        current = locked(Offering.select().where(Offering.id == offering.id)).get()
        now = utcnow()
        changed = update_versioned(current, expected_version,
                                   {**values, "updated_at": now, "confirmed_at": now, "confirmed_by": actor.id})
        shown = {name: change for name, change in changed.items()
                 if name not in ("updated_at", "confirmed_at", "confirmed_by")}
        audit.record("offering.updated", current, actor=actor, changes=shown)
        _confirm_in_open_round(current.organisation_id, actor, now)
        return current


def delete_offering(offering: Offering, *, actor) -> None:
    with write_transaction():
        audit.record("offering.deleted", offering, actor=actor, title=offering.title,
                     organisation=offering.organisation_id)
        Offering.delete().where(Offering.id == offering.id).execute()


def confirm_organisation(organisation: Organisation, *, actor) -> int:
    """"Angaben sind aktuell": every offering of the organisation is confirmed now, and so is the
    organisation's part of a running update round. Returns the number of offerings confirmed."""
    with write_transaction():
        now = utcnow()
        count = (Offering.update(confirmed_at=now, confirmed_by=actor.id)
                 .where(Offering.organisation == organisation.id).execute())
        _confirm_in_open_round(organisation.id, actor, now)
        audit.record("offering.confirmed", organisation, actor=actor, offerings=count)
        return count


def _confirm_in_open_round(organisation_id: int, actor, now) -> None:
    open_rounds = [r.id for r in UpdateRound.select(UpdateRound.id).where(UpdateRound.deadline >= now.date())]
    if open_rounds:
        (RoundConfirmation.update(confirmed_at=now, confirmed_by=actor.id)
         .where(RoundConfirmation.round.in_(open_rounds), RoundConfirmation.organisation == organisation_id,
                RoundConfirmation.confirmed_at.is_null()).execute())


def organisations_with_offerings() -> list[Organisation]:
    """Those an update round asks: with offerings, and still in the network."""
    return list(Organisation.select().where(Organisation.id.in_(Offering.select(Offering.organisation)),
                                            active_condition()).order_by(Organisation.name))


def _people_of(organisation_id: int) -> list[int]:
    return [p.id for p in Person.select(Person.id).where(Person.organisation == organisation_id, Person.active)]


def _notice_title(organisation: Organisation, round_: UpdateRound) -> str:
    # The deadline is added where the notice is shown, in the reader's language (kinds.with_details).
    return organisation.name


def open_round(*, title: str, deadline, actor, token: str | None) -> UpdateRound:
    """Open an update round: each organisation with offerings is asked, its people told."""
    if deadline < berlin_today():
        raise Refused(DEADLINE_PAST)

    def create():
        serialize("offerings.update_round")
        running = UpdateRound.select().where(UpdateRound.deadline >= berlin_today()).first()
        if running is not None:
            raise Refused(ROUND_OPEN, deadline=dates.day(running.deadline))
        organisations = organisations_with_offerings()
        if not organisations:
            raise Refused(NO_ORGANISATIONS)
        round_ = UpdateRound.create(title=title, deadline=deadline, opened_by=actor.id)
        for organisation in organisations:
            asked = RoundConfirmation.create(round=round_.id, organisation=organisation.id)
            notify("offerings.round_opened", object_type="RoundConfirmation", object_id=asked.id,
                   title=_notice_title(organisation, round_), people=_people_of(organisation.id), actor=actor,
                   may_read=("offering.edit", organisation))
        audit.record("update_round.opened", round_, actor=actor, title=title, deadline=deadline.isoformat(),
                     organisations=len(organisations))
        return round_

    return create_once(token, UpdateRound, create)


def remind(round_: UpdateRound, *, actor) -> list[RoundConfirmation]:
    """Remind the organisations that have not confirmed (and were not reminded within REMINDER_GAP)."""
    with write_transaction():
        current = locked(UpdateRound.select().where(UpdateRound.id == round_.id)).get()
        if not current.is_open:
            raise Refused(ROUND_OVER)
        now = utcnow()
        # not those that left the network since the round was opened
        still_in = Organisation.select(Organisation.id).where(active_condition())
        due = list(locked(RoundConfirmation.select().where(
            RoundConfirmation.round == current.id, RoundConfirmation.confirmed_at.is_null(),
            RoundConfirmation.reminded_at.is_null() | (RoundConfirmation.reminded_at < now - REMINDER_GAP),
            RoundConfirmation.organisation.in_(still_in)))
            .order_by(RoundConfirmation.id))
        if not due:
            raise Refused(NOBODY_TO_REMIND)
        for asked in due:
            organisation = Organisation.get_by_id(asked.organisation_id)
            notify("offerings.round_reminder", object_type="RoundConfirmation", object_id=asked.id,
                   title=_notice_title(organisation, current), people=_people_of(organisation.id), actor=actor,
                   may_read=("offering.edit", organisation))
        (RoundConfirmation.update(reminded_at=now)
         .where(RoundConfirmation.id.in_([asked.id for asked in due])).execute())
        UpdateRound.update(reminded_at=now).where(UpdateRound.id == current.id).execute()
        audit.record("update_round.reminded", current, actor=actor, organisations=len(due))
        return due
