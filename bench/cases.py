"""What the benchmark and the query-count test open: the pages of a seed-bench data set.

The URLs are found in the data (the agreement with the most comments, its two longest versions,
the largest minutes, an open round with budget left, a closed one), so the same list fits one
year or ten.
"""
from dataclasses import dataclass

import peewee

from fh_intranet.agreements.models import Agreement, AgreementVersion, Comment
from fh_intranet.db import utcnow
from fh_intranet.meetings.models import AgendaItem, CalendarFeed, Meeting
from fh_intranet.people.models import COORDINATOR, Person
from fh_intranet.timezones import berlin_today
from fh_intranet.topics.models import Topic, VotingRound
from fh_intranet.workshops.models import Workshop


@dataclass(frozen=True)
class Case:
    name: str
    url: str
    kind: str = "page"  # page, export (CSV, PDF, iCal)


def _largest(model, parent_field, where=None):
    query = (model.select(parent_field).group_by(parent_field)
             .order_by(peewee.fn.COUNT(model.id).desc(), parent_field))
    if where is not None:
        query = query.where(where)
    row = query.first()
    return getattr(row, parent_field.name + "_id") if row else None


def pages(person: Person) -> list[Case]:
    agreement = _largest(Comment, Comment.agreement)
    versions = (AgreementVersion.select(AgreementVersion.number).where(AgreementVersion.agreement == agreement)
                .order_by(peewee.fn.LENGTH(AgreementVersion.text).desc(), AgreementVersion.number).limit(2))
    old, new = sorted(v.number for v in versions)
    meeting = _largest(AgendaItem, AgendaItem.meeting, AgendaItem.meeting.in_(
        Meeting.select(Meeting.id).where(Meeting.state == "published")))
    now = utcnow()
    open_round = (VotingRound.select().where(VotingRound.opens_at <= now, VotingRound.closes_at > now)
                  .order_by(VotingRound.id).first())
    closed_round = (VotingRound.select().where(VotingRound.closes_at <= now)
                    .order_by(VotingRound.closes_at.desc()).first())
    topic = Topic.select().order_by(Topic.id).first()
    meeting_row = Meeting.get_by_id(meeting)
    workshop_meeting = Workshop.select(Workshop.meeting).order_by(Workshop.id.desc()).first().meeting_id
    adopted = Agreement.select().where(Agreement.state == "adopted").order_by(Agreement.id.desc()).first()
    last_year = berlin_today().year - 1  # the annual report the network writes now
    cases = [
        Case("start page", "/"),
        # the smallest answer to a signed-in person: login session, permission, one count
        Case("unread count (htmx poll)", "/benachrichtigungen/anzahl"),
        Case("agreements", "/vereinbarungen/"),
        Case("agreement, most comments", f"/vereinbarungen/{agreement}"),
        Case("compare longest versions", f"/vereinbarungen/{agreement}/vergleich?von={old}&bis={new}"),
        Case("meetings", "/sitzungen/"),
        Case("largest minutes", f"/sitzungen/{meeting}"),
        Case("action items", "/aufgaben/"),
        Case("decisions", "/beschluesse/"),
        Case("topics", "/themen/"),
        Case("topic", f"/themen/{topic.id}"),
        Case("rounds", "/abstimmungen/"),
        Case("ballot", f"/abstimmungen/{open_round.id}"),
        Case("closed results", f"/abstimmungen/{closed_round.id}"),
        Case("workshops", f"/sitzungen/{workshop_meeting}/thementische"),
        Case("gallery", f"/sitzungen/{workshop_meeting}/fotos"),
        Case("people", "/personen/"),
        Case("organisations", "/organisationen/"),
        Case("search", "/suche/?q=Beratung"),  # a common word: thousands of matches at ten years
        Case("bodies", "/gremien/"),
        Case("body", f"/gremien/{meeting_row.body_id}"),
        Case("minutes revision 1", f"/sitzungen/{meeting}/fassungen/1"),
        Case("minutes print", f"/sitzungen/{meeting}/druck"),
        Case("agreement print", f"/vereinbarungen/{adopted.id}/druck"),
        Case("account", "/konto/"),
        Case("calendar", "/kalender/"),
        Case("action items CSV", "/aufgaben.csv", "export"),
        Case("decisions CSV", "/beschluesse.csv", "export"),
        Case("results CSV", f"/abstimmungen/{closed_round.id}/ergebnis.csv", "export"),
        Case("minutes PDF", f"/sitzungen/{meeting}/pdf", "export"),
        Case("agreement PDF", f"/vereinbarungen/{adopted.id}/pdf", "export"),
        Case("notifications", "/benachrichtigungen/"),
        Case("offerings", "/angebote/"),
        Case("partner register", "/netzwerk/partner"),
        Case("coverage", "/netzwerk/abdeckung"),
        Case("annual report", f"/netzwerk/bericht/{last_year}"),
        Case("partner register CSV", "/netzwerk/partner.csv", "export"),
        Case("annual report CSV", f"/netzwerk/bericht/{last_year}.csv", "export"),
        Case("annual report PDF", f"/netzwerk/bericht/{last_year}.pdf", "export"),
        Case("offerings directory PDF", "/verzeichnis/angebote.pdf", "export"),
    ]
    if person.role == COORDINATOR:  # the change log is the coordinator's alone
        cases += [Case("change log", "/protokoll/"), Case("change log CSV", "/protokoll/export.csv", "export")]
    feed = CalendarFeed.get_or_none(CalendarFeed.person == person)
    if feed is not None:
        cases.append(Case("iCal feed", f"/kalender/{feed.token}.ics", "export"))
    return cases
