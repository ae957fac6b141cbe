"""An invented network for demonstration: Netzwerk Frühe Hilfen im Landkreis Auental.

All names, organisations and addresses are made up. No family or case data, ever.
"""
from datetime import date, timedelta

from . import audit, demo_agreements, demo_meetings, demo_offerings, demo_topics, demo_workshops
from .auth.passwords import hash_password
from .db import write_transaction
from .demo_time import back, moment
from .notifications import outbox
from .notifications.models import Notification, StartPageVisit
from .people.models import COORDINATOR, MEMBER, PARTNER, Organisation, Person
from .search import index as search_index

PASSWORD = "auental-demo-2026"

LOGINS = {
    COORDINATOR: "koordination@fh-auental.example",
    MEMBER: "hebamme.brandt@fh-auental.example",
    PARTNER: "kita.sonnenhof@fh-auental.example",
}

NORDSTADT, ALTSTADT, SUEDVIERTEL = "Nordstadt", "Altstadt", "Südviertel"

# name, sector, address, contact, e-mail, phone, district (Sozialraum), joined the network,
# left it (days ago, or None). The first eight are referred to by index below and in demo_agreements.
# Police, family court and the paediatric practice in the Südviertel are missing on purpose (the
# coverage view shows gaps); early intervention and schools have one partner each (weakly present).
ORGANISATIONS = [
    ("Jugendamt Landkreis Auental", "youth_public", "Kreishaus, Am Markt 4\n35999 Auental",
     "Netzwerkkoordination Frühe Hilfen", "fruehe-hilfen@fh-auental.example", "06401 100-240",
     ALTSTADT, date(2012, 3, 1), None),
    ("Gesundheitsamt Landkreis Auental", "health_office", "Bahnhofstraße 12\n35999 Auental",
     "Kinder- und Jugendgesundheitsdienst", "gesundheitsamt@fh-auental.example", "06401 100-310",
     ALTSTADT, date(2012, 3, 1), None),
    ("Kreisklinik Auental, Geburtshilfe", "maternity_clinic", "Klinikweg 1\n35999 Auental",
     "Stationsleitung Wochenbett", "geburtshilfe@fh-auental.example", "06401 55-0",
     NORDSTADT, date(2013, 1, 15), None),
    ("Hebammenpraxis Lindenhof", "midwives", "Lindenstraße 8\n35999 Auental", "", "", "",
     SUEDVIERTEL, date(2014, 5, 1), None),
    ("Kinder- und Jugendarztpraxis am Wall", "paediatric_practice", "Am Wall 3\n35999 Auental", "", "", "",
     ALTSTADT, date(2013, 9, 1), None),
    ("Familienzentrum Regenbogen", "family_education", "Gartenweg 21\n35999 Auental",
     "Leitung", "familienzentrum@fh-auental.example", "06401 7733", NORDSTADT, date(2015, 2, 1), None),
    ("Schwangerschaftsberatung Auental e. V.", "pregnancy_counselling", "Kirchplatz 2\n35999 Auental",
     "", "beratung@fh-auental.example", "", ALTSTADT, date(2012, 3, 1), None),
    ("Kita Sonnenhof", "day_care", "Wiesenstraße 40\n35999 Auental", "", "", "",
     SUEDVIERTEL, date(2025, 9, 1), None),
    ("Familienhebammen-Team Nordstadt", "midwives", "Nordring 17\n35999 Auental",
     "Teamleitung Familienhebammen", "familienhebammen@fh-auental.example", "06401 100-330",
     NORDSTADT, date(2016, 4, 1), None),
    ("Hebammenpraxis Mühlental", "midwives", "Mühlgasse 5\n35999 Auental", "", "", "",
     ALTSTADT, date(2014, 10, 1), 100),
    ("Kinder- und Jugendarztpraxis Nordstadt", "paediatric_practice", "Nordring 40\n35999 Auental",
     "Praxismanagement", "", "06401 4410", NORDSTADT, date(2018, 6, 1), None),
    ("Frühförderstelle Auental", "early_intervention", "Am Hang 9\n35999 Auental",
     "Leitung Frühförderung", "fruehfoerderung@fh-auental.example", "06401 3390", NORDSTADT,
     date(2017, 1, 10), None),
    ("Kita Pusteblume", "day_care", "Birkenweg 2\n35999 Auental", "Kitaleitung", "", "06401 2211",
     NORDSTADT, date(2019, 8, 1), None),
    ("Kita Am Stadtgarten", "day_care", "Stadtgarten 1\n35999 Auental", "Kitaleitung", "", "06401 2290",
     ALTSTADT, date(2016, 9, 1), None),
    ("Familienbildungsstätte Auental", "family_education", "Schulstraße 6\n35999 Auental",
     "Programmplanung", "fbs@fh-auental.example", "06401 5120", ALTSTADT, date(2012, 3, 1), None),
    ("Erziehungs- und Familienberatung Auental", "counselling", "Marktgasse 11\n35999 Auental",
     "Sekretariat", "efb@fh-auental.example", "06401 6060", ALTSTADT, date(2013, 5, 1), None),
    ("Sozial- und Schuldnerberatung Südviertel", "counselling", "Südring 23\n35999 Auental", "", "", "",
     SUEDVIERTEL, date(2020, 2, 1), None),
    ("Jobcenter Landkreis Auental", "social_services", "Industriestraße 30\n35999 Auental",
     "Beauftragte für Chancengleichheit", "", "06401 8000", NORDSTADT, date(2019, 1, 1), None),
    ("Frauenhaus Auental e. V.", "violence_protection", "", "Beratungsstelle", "frauenhaus@fh-auental.example",
     "06401 9090", ALTSTADT, date(2015, 11, 1), None),
    ("Integrationszentrum Auental", "migration", "Südring 2\n35999 Auental", "Migrationsberatung", "",
     "06401 7001", SUEDVIERTEL, date(2021, 3, 1), None),
    ("Mehrgenerationenhaus Südviertel", "multigenerational_house", "Am Brunnen 4\n35999 Auental", "", "", "",
     SUEDVIERTEL, date(2022, 5, 1), None),
    ("Kinder- und Jugendhilfe Auental gGmbH", "youth_free", "Lindenallee 12\n35999 Auental",
     "Bereichsleitung Ambulante Hilfen", "", "06401 3030", SUEDVIERTEL, date(2014, 1, 1), None),
    ("Diakonie Auental, Ambulante Familienhilfe", "youth_free", "Kirchweg 3\n35999 Auental", "", "", "",
     NORDSTADT, date(2016, 2, 1), None),
    ("Familientreff Altstadt", "family_education", "Kleine Gasse 7\n35999 Auental", "", "", "",
     ALTSTADT, date(2016, 3, 1), 880),
    ("Grundschule am Südpark", "school", "Südpark 1\n35999 Auental", "Schulsozialarbeit", "", "06401 4545",
     SUEDVIERTEL, date(2022, 8, 1), None),
]

# name, e-mail, organisation index, function, role, has set a password
PEOPLE = [
    ("Katrin Albers", LOGINS[COORDINATOR], 0, "Netzwerkkoordination Frühe Hilfen", COORDINATOR, True),
    ("Jonas Weber", "j.weber@fh-auental.example", 0, "Sachgebietsleitung Frühe Hilfen", COORDINATOR, True),
    ("Miriam Brandt", LOGINS[MEMBER], 3, "Familienhebamme", MEMBER, True),
    ("Dr. Selin Arslan", "s.arslan@fh-auental.example", 4, "Kinder- und Jugendärztin", MEMBER, True),
    ("Thomas Krüger", "t.krueger@fh-auental.example", 1, "Kinder- und Jugendgesundheitsdienst", MEMBER, True),
    ("Anna Lehmann", "a.lehmann@fh-auental.example", 5, "Leitung Familienzentrum", MEMBER, True),
    ("Petra Schäfer", "p.schaefer@fh-auental.example", 2, "Praxisanleitung Geburtshilfe", MEMBER, True),
    ("Yusuf Demir", "y.demir@fh-auental.example", 6, "Schwangerschaftsberatung", MEMBER, True),
    ("Birgit Hoffmann", LOGINS[PARTNER], 7, "Leitung Kita Sonnenhof", PARTNER, True),
    ("Lena Vogt", "l.vogt@fh-auental.example", 5, "Elternkursleitung", PARTNER, True),
    ("Markus Roth", "m.roth@fh-auental.example", 2, "Sozialdienst der Klinik", PARTNER, False),
    ("Sabine Engel", "s.engel@fh-auental.example", 6, "Beraterin (bis 2026)", PARTNER, True),
]
DEACTIVATED = {"s.engel@fh-auental.example"}


def seed() -> dict:
    """Fill an empty database; returns the demo login per role."""
    password_hash = hash_password(PASSWORD)
    people = {}
    with back(1100), write_transaction():
        today = date.today()
        organisations = [
            Organisation.create(name=name, sector=sector, address=address, contact_name=contact,
                                contact_email=email, contact_phone=phone, district=district, joined_on=joined,
                                left_on=None if left is None else today - timedelta(days=left))
            for name, sector, address, contact, email, phone, district, joined, left in ORGANISATIONS
        ]
    for name, email, org_index, function, role, accepted in PEOPLE:
        joined = ORGANISATIONS[org_index][7]
        # invited when their organisation joined, or when the intranet began
        with back(min(1100, (date.today() - joined).days), 9), write_transaction():
            person = Person.create(
                name=name, email=email, organisation=organisations[org_index], function=function,
                role=role, password_hash=password_hash if accepted else None,
                active=email not in DEACTIVATED,
            )
            people[email] = person
            audit.record("person.created_by_demo", person, role=role)
    demo_agreements.seed(people, organisations)
    demo_meetings.seed(people)
    demo_topics.seed(people)
    demo_workshops.seed(people)
    demo_offerings.seed(people)
    with write_transaction():
        search_index.rebuild()  # some demo rows were made without a writer that records them
        _as_if_people_had_been_reading(people)
    outbox.discard_queued()  # the invented people's notification mails: their history, not news
    return dict(LOGINS)


def _as_if_people_had_been_reading(people: dict) -> None:
    """A network at work reads its notifications and looks at its start page: what is older than
    two weeks was read the day after it came, and the demo logins last opened the start page
    twelve days ago, so that it shows what happened since (not every notification of three years)."""
    read_by = moment(14)
    for note in Notification.select().where(Notification.created_at < read_by, Notification.read_at.is_null()):
        Notification.update(read_at=note.created_at + timedelta(days=1)).where(Notification.id == note.id).execute()
    for email in LOGINS.values():
        StartPageVisit.create(person=people[email].id, seen_until=moment(30, 8), last_view_at=moment(12, 8))
