"""Demo bodies and a year of meetings for the invented network in Landkreis Auental."""
from datetime import date, datetime, timedelta

from .demo_time import back
from .meetings import workflow
from .meetings.models import Body
from .timezones import berlin_to_utc


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return berlin_to_utc(datetime(day.year, day.month, day.day, hour, minute))


def seed(people: dict) -> None:
    coordinator = people["koordination@fh-auental.example"]
    today = date.today()
    with back(700):
        bodies = _bodies(people, coordinator)
    steering, conference, ag_clinic = bodies

    member = people["hebamme.brandt@fh-auental.example"]
    doctor = people["s.arslan@fh-auental.example"]
    lehmann = people["a.lehmann@fh-auental.example"]
    krueger = people["t.krueger@fh-auental.example"]
    partner = people["kita.sonnenhof@fh-auental.example"]

    def meeting(body, title, day, kind="session", place="Kreishaus Auental, Raum 2.14", hours=(14, 16)):
        return workflow.create_meeting(body, title=title, kind=kind, starts_at=_at(day, hours[0]),
                                       ends_at=_at(day, hours[1]), place=place, actor=coordinator)

    def attend(m, excused=()):
        workflow.set_attendance(m, {row.person_id: ("excused" if row.person_id in excused else "present")
                                    for row in m.attendance}, actor=coordinator)

    _last_year(people, steering, conference, meeting, attend)

    # Winter session: published, with a decision on the agreement and a done and an overdue item.
    with back(320):
        winter = meeting(steering, "1. Sitzung der Steuerungsgruppe", today - timedelta(days=300))
    with back(300, 16, 30):
        attend(winter, excused={doctor.id})
        workflow.add_guest(winter, "Dr. Jana Wolff", "Landesfachstelle Frühe Hilfen", actor=coordinator)
        top = agenda_item(winter, "Begrüßung und Protokoll der letzten Sitzung", coordinator, notes="Das Protokoll der letzten Sitzung wird ohne Änderungen angenommen.")
        top = agenda_item(winter, "Fortschreibung der Kooperationsvereinbarung", coordinator, notes=(
            "Die Vereinbarung läuft Ende des Jahres aus. Die Gruppe sammelt Themen für die Fortschreibung:\n\n"
            "- Lotsendienst in der Geburtsklinik\n- Informationen in einfacher Sprache\n- Meldung neuer Angebote"))
        workflow.add_decision(top, "Die Netzwerkkoordination legt bis zum Sommer einen Entwurf der fortgeschriebenen Vereinbarung vor.", actor=coordinator)
        done = workflow.add_action(top, "Themenliste an alle Partner versenden", coordinator, today - timedelta(days=280), actor=coordinator)
        workflow.add_action(top, "Rückmeldungen der Kinderarztpraxen einholen", doctor, today - timedelta(days=200), actor=coordinator)
        workflow.add_agenda_item(winter, "Verschiedenes", actor=coordinator)
    with back(296, 9):
        workflow.publish(winter, coordinator)
    with back(284, 15):
        workflow.set_done(done, True, coordinator)

    # Spring session: published, corrected lately.
    with back(215):
        spring = meeting(steering, "2. Sitzung der Steuerungsgruppe", today - timedelta(days=200))
    with back(200, 16, 15):
        attend(spring)
        top = agenda_item(spring, "Bericht der AG Übergang Klinik – Zuhause", coordinator, notes="Der Lotsendienst hat im ersten Quartal 46 Familien auf Angebote hingewiesen.")
        workflow.add_decision(top, "Der Lotsendienst wird bis Ende 2027 fortgeführt.", actor=coordinator)
        workflow.add_action(top, "Finanzierung ab 2028 mit dem Kreis klären", coordinator, today + timedelta(days=60), actor=coordinator)
        top = workflow.add_agenda_item(spring, "Planung der Netzwerkkonferenz", actor=coordinator)
        workflow.add_decision(top, "Die Netzwerkkonferenz im Herbst findet als Fachtag statt.", actor=coordinator)
        rooms = workflow.add_action(top, "Räume für den Fachtag anfragen", lehmann, today - timedelta(days=120),
                                    actor=coordinator)
    with back(197, 11):
        workflow.publish(spring, coordinator)
    with back(126, 9, 15):
        workflow.set_done(rooms, True, lehmann)
    first = workflow.agenda(spring)[0]
    with back(10, 14):
        workflow.correct(spring, coordinator, "Zahl der Familien im Bericht berichtigt (Schreibfehler).",
                         {first.id: "Der Lotsendienst hat im ersten Quartal 64 Familien auf Angebote hingewiesen."}, {})

    # Network conference: published.
    with back(180):
        conference_meeting = meeting(conference, "Netzwerkkonferenz Sommer", today - timedelta(days=150),
                                     kind="conference", place="Familienzentrum Regenbogen, Gartenweg 21", hours=(9, 13))
    with back(150, 13, 30):
        attend(conference_meeting)
        top = agenda_item(conference_meeting, "Neues aus den Einrichtungen", coordinator, notes="Die Kita Sonnenhof bietet ab Herbst ein offenes Elterncafé an.")
        workflow.add_action(top, "Elterncafé in den Netzwerkverteiler aufnehmen", partner, today - timedelta(days=30), actor=coordinator)
    with back(146, 10):
        workflow.publish(conference_meeting, coordinator)

    # Autumn session: minutes still a draft.
    with back(35):
        autumn = meeting(steering, "3. Sitzung der Steuerungsgruppe", today - timedelta(days=14))
    with back(14, 16, 20):
        attend(autumn, excused={krueger.id})
        top = agenda_item(autumn, "Stand der Kommentierung der Kooperationsvereinbarung", coordinator, notes="Bisher liegen Kommentare zu § 1, § 3 und § 4 vor.")
        workflow.add_decision(top, "Die Kommentierungsfrist wird nicht verlängert.", actor=coordinator)
        workflow.add_action(top, "Kommentare zu § 3 zusammenfassen", member, today + timedelta(days=10), actor=coordinator)
        workflow.add_agenda_item(autumn, "Schwerpunktthemen für das kommende Jahr", actor=coordinator)
    with back(3, 8, 45):
        workflow.add_minutes_comment(autumn, "Bitte bei TOP 1 ergänzen, dass die AG Klinik ihre Stellungnahme nachreicht.",
                                     doctor)

    # Upcoming.
    with back(20):
        meeting(steering, "4. Sitzung der Steuerungsgruppe", today + timedelta(days=21))
        meeting(conference, "Fachtag Frühe Hilfen: Gut ankommen nach der Geburt", today + timedelta(days=45),
                kind="fachtag", place="Bürgerhaus Auental", hours=(9, 16))
    with back(5):
        meeting(ag_clinic, "Treffen der AG Übergang Klinik – Zuhause", today + timedelta(days=9),
                place="Kreisklinik Auental, Besprechungsraum 1", hours=(15, 16))


def _bodies(people: dict, coordinator) -> tuple[Body, Body, Body]:
    """The steering group, the network conference and two working groups with their members."""
    steering, _ = Body.get_or_create(name="Steuerungsgruppe", defaults={"kind": "steering_group"})
    conference = Body.create(name="Netzwerkkonferenz Frühe Hilfen", kind="conference",
                             description="Alle Partner des Netzwerks, zweimal im Jahr.")
    ag_clinic = Body.create(name="AG Übergang Klinik – Zuhause", kind="working_group",
                            description="Lotsendienst und Übergänge nach der Geburt.")
    ag_education = Body.create(name="AG Familienbildung", kind="working_group",
                               description="Elternkurse und offene Treffs im Landkreis.")
    everyone = [p for p in people.values() if p.active]
    steering_members = [p for p in everyone if p.role in ("coordinator", "member")]
    for body, members, chair in [
        (steering, steering_members, people["a.lehmann@fh-auental.example"]),
        (conference, everyone, coordinator),
        (ag_clinic, [coordinator, people["p.schaefer@fh-auental.example"], people["hebamme.brandt@fh-auental.example"],
                     people["m.roth@fh-auental.example"]], people["p.schaefer@fh-auental.example"]),
        (ag_education, [coordinator, people["a.lehmann@fh-auental.example"], people["l.vogt@fh-auental.example"],
                        people["kita.sonnenhof@fh-auental.example"]], people["l.vogt@fh-auental.example"]),
    ]:
        workflow.set_members(body, {p.id for p in members}, chair.id)
    return steering, conference, ag_clinic


def _last_year(people: dict, steering: Body, conference: Body, meeting, attend) -> None:
    """The year before: published minutes with decisions and done tasks, so that last year's
    annual report (the one the coordination opens first) has something to count."""
    coordinator = people["koordination@fh-auental.example"]
    clinic = people["p.schaefer@fh-auental.example"]
    lehmann = people["a.lehmann@fh-auental.example"]
    today = date.today()

    with back(650):
        retreat = meeting(steering, "Klausurtag der Steuerungsgruppe", today - timedelta(days=630),
                          place="Familienbildungsstätte Auental, Schulstraße 6", hours=(9, 15))
    with back(630, 15, 30):
        attend(retreat)
        top = workflow.add_agenda_item(retreat, "Rückblick und Arbeitsweise", actor=coordinator)
        workflow.add_decision(top, "Die Steuerungsgruppe trifft sich künftig viermal im Jahr.", actor=coordinator)
        dates = workflow.add_action(top, "Termine für das Jahr an alle versenden", coordinator,
                                    today - timedelta(days=600), actor=coordinator)
        top = workflow.add_agenda_item(retreat, "Lotsendienst in der Geburtsklinik", actor=coordinator)
        workflow.add_decision(top, "Kreisklinik und Jugendamt entwerfen gemeinsam einen Lotsendienst.", actor=coordinator)
        concept = workflow.add_action(top, "Entwurf für den Lotsendienst vorlegen", clinic,
                                      today - timedelta(days=480), actor=coordinator)
    with back(626, 10):
        workflow.publish(retreat, coordinator)
    with back(612, 11):
        workflow.set_done(dates, True, coordinator)
    with back(490, 14):
        workflow.set_done(concept, True, clinic)

    with back(450):
        autumn = meeting(conference, "Netzwerkkonferenz Herbst", today - timedelta(days=420), kind="conference",
                         place="Familienzentrum Regenbogen, Gartenweg 21", hours=(9, 13))
    with back(420, 13, 30):
        attend(autumn)
        top = agenda_item(autumn, "Neue Partner stellen sich vor", coordinator, notes="Die Kita Sonnenhof ist dem Netzwerk beigetreten und stellt ihre Angebote für junge Familien vor.")
        top = workflow.add_agenda_item(autumn, "Bericht aus der Steuerungsgruppe", actor=coordinator)
        workflow.add_decision(top, "Die Netzwerkkonferenz unterstützt den Aufbau des Lotsendienstes.", actor=coordinator)
    with back(415, 9):
        workflow.publish(autumn, coordinator)

    with back(390):
        year_end = meeting(steering, "Sitzung der Steuerungsgruppe zum Jahresende", today - timedelta(days=370))
    with back(370, 16, 10):
        attend(year_end, excused={lehmann.id})
        top = workflow.add_agenda_item(year_end, "Sachstandsbericht für den Jugendhilfeausschuss", actor=coordinator)
        workflow.add_decision(top, "Der Sachstandsbericht wird dem Jugendhilfeausschuss im Februar vorgelegt.",
                              actor=coordinator)
        top = workflow.add_agenda_item(year_end, "Fortschreibung der Kooperationsvereinbarung", actor=coordinator)
        workflow.add_decision(top, "Die Fortschreibung der Kooperationsvereinbarung beginnt im neuen Jahr.",
                              actor=coordinator)
        themes = workflow.add_action(top, "Themen für die Fortschreibung sammeln", lehmann,
                                     today - timedelta(days=310), actor=coordinator)
    with back(366, 9):
        workflow.publish(year_end, coordinator)
    with back(318, 15):
        workflow.set_done(themes, True, lehmann)


def agenda_item(meeting, title: str, coordinator, notes: str = ""):
    """An agenda item with its minutes notes, written as the agenda's edit form writes them
    (rendered and kept, recorded)."""
    item = workflow.add_agenda_item(meeting, title, actor=coordinator)
    if notes:
        item = workflow.update_agenda_item(item, item.version, title=title, notes=notes, actor=coordinator)
    return item

