"""An invented network for demonstration: Netzwerk Frühe Hilfen im Landkreis Auental.

All names, organisations and addresses are made up. No family or case data, ever.
"""
from . import audit, demo_agreements, demo_meetings, demo_offerings, demo_topics, demo_workshops
from .auth.passwords import hash_password
from .db import write_transaction
from .notifications import outbox
from .people.models import COORDINATOR, MEMBER, PARTNER, Organisation, Person
from .search import index as search_index

PASSWORD = "auental-demo-2026"

LOGINS = {
    COORDINATOR: "koordination@fh-auental.example",
    MEMBER: "hebamme.brandt@fh-auental.example",
    PARTNER: "kita.sonnenhof@fh-auental.example",
}

ORGANISATIONS = [
    ("Jugendamt Landkreis Auental", "youth_public", "Kreishaus, Am Markt 4\n35999 Auental",
     "Netzwerkkoordination Frühe Hilfen", "fruehe-hilfen@fh-auental.example", "06401 100-240"),
    ("Gesundheitsamt Landkreis Auental", "health_office", "Bahnhofstraße 12\n35999 Auental",
     "Kinder- und Jugendgesundheitsdienst", "gesundheitsamt@fh-auental.example", "06401 100-310"),
    ("Kreisklinik Auental, Geburtshilfe", "maternity_clinic", "Klinikweg 1\n35999 Auental",
     "Stationsleitung Wochenbett", "geburtshilfe@fh-auental.example", "06401 55-0"),
    ("Hebammenpraxis Lindenhof", "midwives", "Lindenstraße 8\n35997 Bergheim", "", "", ""),
    ("Kinder- und Jugendarztpraxis am Wall", "paediatric_practice", "Am Wall 3\n35999 Auental", "", "", ""),
    ("Familienzentrum Regenbogen", "family_education", "Gartenweg 21\n35999 Auental",
     "Leitung", "familienzentrum@fh-auental.example", "06401 7733"),
    ("Schwangerschaftsberatung Auental e. V.", "pregnancy_counselling", "Kirchplatz 2\n35999 Auental",
     "", "beratung@fh-auental.example", ""),
    ("Kita Sonnenhof", "day_care", "Wiesenstraße 40\n35997 Bergheim", "", "", ""),
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
    with write_transaction():
        organisations = [
            Organisation.create(name=name, sector=sector, address=address, contact_name=contact,
                                contact_email=email, contact_phone=phone)
            for name, sector, address, contact, email, phone in ORGANISATIONS
        ]
        for name, email, org_index, function, role, accepted in PEOPLE:
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
    outbox.discard_queued()  # the invented people's notification mails: their history, not news
    return dict(LOGINS)
