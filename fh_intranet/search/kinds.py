"""What is searchable: one registration per kind of content.

Each `document` function turns one object into what the index holds, naming the permission rule
(from permissions.py) that decides who may find it, and the objects it depends on.
"""
from flask_babel import lazy_gettext as _l

from ..agreements.models import Agreement, AgreementVersion, Comment
from ..meetings.models import ActionItem, AgendaItem, Body, Decision, Meeting
from ..offerings.models import Offering
from ..people.models import Organisation, Person
from ..timezones import utc_to_berlin
from ..topics.models import Topic
from ..workshops.models import Output, Workshop
from .registry import ASK_EACH_PERSON, Document, Kind, register
from .text import plain_text


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _meeting_line(meeting: Meeting) -> str:
    return f"{meeting.title} · {_date(utc_to_berlin(meeting.starts_at))}"


def agreement_document(agreement: Agreement) -> Document:
    latest = (AgreementVersion.select().where(AgreementVersion.agreement == agreement)
              .order_by(AgreementVersion.number.desc()).first())
    return Document(
        title=agreement.title, body=plain_text(latest.text if latest else ""),
        context=f"{agreement.kind_label} · {agreement.state_label}",
        endpoint="agreements.detail", url_values={"agreement_id": agreement.id},
        permission="agreement.read", subject=agreement)


def comment_document(comment: Comment) -> Document:
    agreement = Agreement.get_by_id(comment.agreement_id)
    author = Person.get_or_none(Person.id == comment.author_id)
    return Document(
        # The agreement's title as context, not title: a search for it should not rank every comment first.
        title=comment.section_heading or str(_l("Einleitung")), body=plain_text(comment.body),
        context=" · ".join(part for part in (agreement.title, author.name if author else "", _date(comment.created_at))
                           if part),
        endpoint="agreements.detail", url_values={"agreement_id": agreement.id, "_anchor": f"comment-{comment.id}"},
        permission="agreement.read_consultation", subject=agreement, owners=(agreement, author))


def meeting_document(meeting: Meeting) -> Document:
    body = Body.get_by_id(meeting.body_id)
    return Document(
        title=meeting.title, body=f"{meeting.kind_label}\n{body.name}\n{meeting.place}",
        context=f"{body.name} · {_date(utc_to_berlin(meeting.starts_at))}",
        endpoint="meetings.detail", url_values={"meeting_id": meeting.id},
        permission="meetings.view", subject=meeting, owners=(body,))


def agenda_item_document(item: AgendaItem) -> Document:
    meeting = Meeting.get_by_id(item.meeting_id)
    return Document(
        title=item.title, body=plain_text(item.notes), context=_meeting_line(meeting),
        endpoint="meetings.detail", url_values={"meeting_id": meeting.id, "_anchor": f"top-{item.id}"},
        permission="meeting.read_minutes", subject=meeting, owners=(meeting,))


def decision_document(decision: Decision) -> Document:
    meeting = Meeting.get_by_id(decision.meeting_id)
    text = plain_text(decision.text)
    return Document(
        title=" ".join(text.split())[:120], body=text,
        context=" · ".join(part for part in (decision.label, _meeting_line(meeting)) if part),
        endpoint="meetings.detail", url_values={"meeting_id": meeting.id, "_anchor": f"top-{decision.agenda_item_id}"},
        permission="meeting.read_minutes", subject=meeting,
        owners=(meeting, AgendaItem(id=decision.agenda_item_id)))


def action_item_document(action: ActionItem) -> Document:
    meeting = Meeting.get_by_id(action.meeting_id)
    person = Person.get_or_none(Person.id == action.person_id)
    who = person.name if person else ""
    return Document(
        title=" ".join(plain_text(action.what).split())[:120], body=f"{action.what}\n{who}",
        context=" · ".join(part for part in (who, _date(action.due_on), _meeting_line(meeting)) if part),
        endpoint="meetings.detail", url_values={"meeting_id": meeting.id, "_anchor": f"top-{action.agenda_item_id}"},
        permission="meeting.read_minutes", subject=meeting,
        owners=(meeting, AgendaItem(id=action.agenda_item_id), person))


def output_document(output: Output) -> Document:
    workshop = Workshop.get_by_id(output.workshop_id)
    meeting = Meeting.get_by_id(workshop.meeting_id)
    return Document(
        title=workshop.title, body=plain_text(output.text), context=_meeting_line(meeting),
        endpoint="workshops.index", url_values={"meeting_id": meeting.id, "_anchor": f"output-{output.id}"},
        permission="outputs.read", subject=meeting, owners=(workshop, meeting),
        # partners read outputs once the meeting took place: from then on the rule is asked again
        recheck_at=None if meeting.is_past else meeting.ends_at)


def topic_document(topic: Topic) -> Document:
    return Document(
        title=topic.title, body=plain_text(topic.description), context=str(topic.state_label),
        endpoint="topics.detail", url_values={"topic_id": topic.id}, permission="topics.view", subject=topic)


def body_document(body: Body) -> Document:
    return Document(
        title=body.name, body=f"{body.kind_label}\n{plain_text(body.description)}", context=str(body.kind_label),
        endpoint="bodies.detail", url_values={"body_id": body.id}, permission="bodies.view", subject=body)


def person_document(person: Person) -> Document | None:
    if person.is_anonymised:  # gone from search; their contributions stay, under the pseudonym
        return None
    organisation = Organisation.get_or_none(Organisation.id == person.organisation_id)
    return Document(
        title=person.name, body=f"{person.function}\n{organisation.name if organisation else ''}",
        context=" · ".join(part for part in (person.function, organisation.name if organisation else "") if part),
        endpoint="people.detail", url_values={"person_id": person.id},
        permission="person.view", subject=person, owners=(organisation,))


def organisation_document(organisation: Organisation) -> Document:
    return Document(
        title=organisation.name, body=f"{organisation.sector_label}\n{organisation.address}\n{organisation.contact_name}",
        context=str(organisation.sector_label),
        endpoint="organisations.detail", url_values={"organisation_id": organisation.id},
        permission="organisations.view", subject=organisation)


def offering_document(offering: Offering) -> Document:
    organisation = Organisation.get_by_id(offering.organisation_id)
    where = offering.district or ""
    return Document(
        title=offering.title,
        body="\n".join(part for part in (
            plain_text(offering.description), organisation.name, ", ".join(str(label) for label in offering.group_labels),
            offering.languages, offering.hours, where, offering.address, offering.accessibility) if part),
        context=" · ".join(part for part in (organisation.name, where) if part),
        endpoint="offerings.detail", url_values={"offering_id": offering.id},
        # published ones for everyone; a draft for the coordination and its own organisation's people
        permission="offering.read", subject=offering, owners=(organisation,),
        recheck_at=None if offering.published else ASK_EACH_PERSON)


register(Kind("agreement", Agreement, _l("Vereinbarungen"), agreement_document, order=10))
register(Kind("comment", Comment, _l("Kommentare zu Vereinbarungen"), comment_document, order=20))
register(Kind("meeting", Meeting, _l("Sitzungen"), meeting_document, order=30))
register(Kind("agenda_item", AgendaItem, _l("Protokolle (Tagesordnungspunkte)"), agenda_item_document, order=40))
register(Kind("decision", Decision, _l("Beschlüsse"), decision_document, order=50))
register(Kind("action_item", ActionItem, _l("Aufgaben"), action_item_document, order=60))
register(Kind("output", Output, _l("Ergebnisse der Thementische"), output_document, order=70))
register(Kind("topic", Topic, _l("Schwerpunktthemen"), topic_document, order=80))
register(Kind("body", Body, _l("Gremien"), body_document, order=90))
register(Kind("person", Person, _l("Personen"), person_document, order=100))
register(Kind("organisation", Organisation, _l("Organisationen"), organisation_document, order=110))
register(Kind("offering", Offering, _l("Angebote für Familien"), offering_document, order=120))
