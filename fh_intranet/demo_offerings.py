"""Demo offerings of the invented network (Landkreis Auental) in three districts, one entry
nobody has confirmed for a long time (stale), and a running update round. All invented."""
from datetime import date, timedelta

from .db import utcnow, write_transaction
from .demo_time import back
from .offerings import workflow
from .offerings.models import Offering, pack_groups
from .people.models import Organisation

ALTSTADT, NORDSTADT, SUEDVIERTEL = "Altstadt", "Nordstadt", "Südviertel"

# organisation, title, description, target groups, languages, cost note (None: free), district,
# outreach, hours, registration required
OFFERINGS = [
    ("Jugendamt Landkreis Auental", "Willkommensbesuch für Neugeborene",
     "Eine Fachkraft der Frühen Hilfen besucht Familien nach der Geburt zu Hause, bringt das "
     "Elternbegleitbuch mit und erzählt, was es im Landkreis gibt.", ["age_0_1", "parents"],
     "Deutsch, Englisch, Türkisch", None, ALTSTADT, True, "Termin nach Absprache", True),
    ("Jugendamt Landkreis Auental", "Lotsin Frühe Hilfen",
     "Beratung und Begleitung zu passenden Hilfen – vertraulich und freiwillig.",
     ["pregnancy", "age_0_1", "age_1_3", "parents"], "Deutsch, Arabisch", None, ALTSTADT, False,
     "Mo–Do 9–12 Uhr", False),
    ("Jugendamt Landkreis Auental", "Beratung für Alleinerziehende",
     "Unterhalt, Umgang, Kinderbetreuung: Antworten auf die Fragen, die Alleinerziehende oft haben.",
     ["single_parents"], "Deutsch", None, SUEDVIERTEL, False, "Di 14–17 Uhr im Stadtteilbüro Südviertel", False),
    ("Gesundheitsamt Landkreis Auental", "Familienhebammen und FGKiKP",
     "Aufsuchende gesundheitliche Begleitung im ersten Lebensjahr, auch für Familien mit "
     "besonderen Belastungen.", ["pregnancy", "age_0_1"], "Deutsch, Russisch", None, ALTSTADT, True,
     "Telefonisch Mo–Fr 8–12 Uhr", True),
    ("Gesundheitsamt Landkreis Auental", "Sprechstunde Kindergesundheit",
     "Fragen zu Impfungen, Ernährung und Entwicklung – ohne Termin.", ["age_0_1", "age_1_3", "age_3_6"],
     "Deutsch, Englisch", None, NORDSTADT, False, "Jeden 1. Mittwoch 15–17 Uhr", False),
    ("Gesundheitsamt Landkreis Auental", "Zahngesundheit von Anfang an",
     "Tipps zur Zahnpflege ab dem ersten Zahn, in Kitas und Familienzentren.", ["age_1_3", "age_3_6"],
     "Deutsch, Türkisch, Arabisch", None, SUEDVIERTEL, True, "Termine über die Kita", False),
    ("Kreisklinik Auental, Geburtshilfe", "Kreißsaalführung und Infoabend",
     "Werdende Eltern lernen Kreißsaal, Wochenbettstation und Hebammen kennen.", ["pregnancy", "fathers"],
     "Deutsch, Englisch", None, ALTSTADT, False, "Jeden 2. Dienstag 18 Uhr", True),
    ("Kreisklinik Auental, Geburtshilfe", "Babylotsin in der Geburtsklinik",
     "Gespräch auf der Wochenbettstation: Was brauchen Sie nach der Entlassung?",
     ["pregnancy", "age_0_1", "parents"], "Deutsch, Arabisch, Farsi", None, ALTSTADT, False,
     "Mo–Fr auf der Station", False),
    ("Kreisklinik Auental, Geburtshilfe", "Stillcafé",
     "Offener Treff mit Stillberatung; Geschwisterkinder sind willkommen.", ["age_0_1"], "Deutsch",
     None, ALTSTADT, False, "Do 10–11:30 Uhr", False),
    ("Hebammenpraxis Lindenhof", "Geburtsvorbereitung für Paare",
     "Kurs an sechs Abenden, auch für werdende Väter.", ["pregnancy", "fathers"], "Deutsch",
     "Kosten übernimmt die Krankenkasse für die Schwangere; Partner 60 €", NORDSTADT, False,
     "Kurse ab Januar, Mi 19 Uhr", True),
    ("Hebammenpraxis Lindenhof", "Rückbildung mit Baby",
     "Beckenboden, Bauch, Rücken – das Baby ist dabei.", ["age_0_1"], "Deutsch, Polnisch",
     "Kassenleistung bis 9 Monate nach der Geburt", NORDSTADT, False, "Fr 10 Uhr", True),
    ("Hebammenpraxis Lindenhof", "Babymassage",
     "Fünf Termine zum Kennenlernen der Babymassage.", ["age_0_1", "parents"], "Deutsch",
     "35 € für fünf Termine, Ermäßigung möglich", NORDSTADT, False, "Di 10 Uhr", True),
    ("Kinder- und Jugendarztpraxis am Wall", "Sprechstunde für Schreibabys",
     "Wenn Ihr Baby viel weint: ärztliche Abklärung und Beratung.", ["age_0_1", "parents"],
     "Deutsch, Türkisch", None, ALTSTADT, False, "Nach Vereinbarung", True),
    ("Kinder- und Jugendarztpraxis am Wall", "Elternabend „Gesund groß werden“",
     "Vorträge zu Schlaf, Ernährung und Medien im Kleinkindalter.", ["age_1_3", "age_3_6", "parents"],
     "Deutsch", None, ALTSTADT, False, "Viermal im Jahr, 19 Uhr", True),
    ("Familienzentrum Regenbogen", "Elterncafé Regenbogen",
     "Offener Treff für Eltern mit Kindern bis drei Jahre, mit Fachkraft für Fragen.",
     ["age_0_1", "age_1_3", "parents"], "Deutsch, Türkisch, Ukrainisch", None, ALTSTADT, False,
     "Mo und Mi 9:30–11:30 Uhr", False),
    ("Familienzentrum Regenbogen", "Väterfrühstück",
     "Einmal im Monat am Samstag: Frühstück, Austausch, Spiel für die Kinder.", ["fathers", "age_1_3", "age_3_6"],
     "Deutsch, Englisch", None, ALTSTADT, False, "Jeden 1. Samstag 10–12 Uhr", False),
    ("Familienzentrum Regenbogen", "Elternkurs „Starke Eltern – Starke Kinder“",
     "Acht Abende zu Erziehung ohne Gewalt, Grenzen setzen und Zeit für sich.", ["parents", "single_parents"],
     "Deutsch", "20 € für den Kurs, Ermäßigung mit Auentalpass", ALTSTADT, False, "Do 19–21 Uhr", True),
    ("Familienzentrum Regenbogen", "Deutsch lernen mit Kinderbetreuung",
     "Sprachkurs für Mütter und Väter, während die Kinder betreut werden.", ["migration", "parents"],
     "Deutsch, Arabisch, Dari, Ukrainisch", None, ALTSTADT, False, "Di und Do 9–11 Uhr", True),
    ("Familienzentrum Regenbogen", "Spielkreis für Kinder mit Behinderung",
     "Spielen, Austausch, Beratung zu Hilfen und Frühförderung.", ["disability", "age_1_3", "age_3_6"],
     "Deutsch, Gebärdensprache nach Absprache", None, SUEDVIERTEL, False, "Fr 15–16:30 Uhr", False),
    ("Familienzentrum Regenbogen", "Babytreff Südviertel",
     "Krabbeln, Singen, Fragen stellen – im Gemeindehaus Südviertel.", ["age_0_1", "young_parents"],
     "Deutsch", None, SUEDVIERTEL, False, "Mi 10–11:30 Uhr", False),
    ("Schwangerschaftsberatung Auental e. V.", "Schwangerschaftsberatung",
     "Beratung zu Fragen rund um Schwangerschaft, finanzielle Hilfen und Rechte im Beruf.",
     ["pregnancy", "young_parents"], "Deutsch, Englisch, Französisch", None, ALTSTADT, False,
     "Mo–Fr 9–13 Uhr, Do bis 18 Uhr", True),
    ("Schwangerschaftsberatung Auental e. V.", "Beratung in der Nordstadt",
     "Außensprechstunde im Familienbüro Nordstadt.", ["pregnancy", "parents"], "Deutsch, Türkisch",
     None, NORDSTADT, False, "Jeden 3. Montag 14–16 Uhr", True),
    ("Schwangerschaftsberatung Auental e. V.", "Treff für junge Schwangere",
     "Gruppe für Schwangere unter 21 Jahren: Geburt, Ausbildung, Wohnung, Geld.",
     ["pregnancy", "young_parents"], "Deutsch", None, ALTSTADT, False, "Mi 16–18 Uhr", False),
    ("Schwangerschaftsberatung Auental e. V.", "Aufsuchende Beratung für geflüchtete Familien",
     "Beratung in Gemeinschaftsunterkünften, mit Sprachmittlung.", ["pregnancy", "migration", "age_0_1"],
     "Arabisch, Dari, Farsi, Tigrinya, Deutsch", None, SUEDVIERTEL, True, "Termine nach Absprache", False),
    ("Kita Sonnenhof", "Eltern-Kind-Gruppe Sonnenhof",
     "Für Kinder ab einem Jahr mit einem Elternteil, zum Kennenlernen der Kita.", ["age_1_3", "parents"],
     "Deutsch", None, NORDSTADT, False, "Di 15–16:30 Uhr", True),
    ("Kita Sonnenhof", "Offene Sprechstunde der Kita-Sozialarbeit",
     "Fragen zu Erziehung, Anträgen und Hilfen – im Kita-Büro.", ["age_1_3", "age_3_6", "parents"],
     "Deutsch, Rumänisch", None, NORDSTADT, False, "Do 8–10 Uhr", False),
    ("Kita Sonnenhof", "Vorlesepaten",
     "Ehrenamtliche lesen nachmittags in der Kita vor, auch in anderen Sprachen.", ["age_3_6", "migration"],
     "Deutsch, Türkisch, Polnisch", None, NORDSTADT, False, "Mo 15 Uhr", False),
]

# Nobody has confirmed this one for well over a year: it shows as stale and stays out of the exports.
STALE = ("Kinder- und Jugendarztpraxis am Wall", "Impfsprechstunde am Samstag",
         "Impfungen nach STIKO ohne Termin.", ["age_0_1", "age_1_3"], "Deutsch", None, ALTSTADT, False,
         "Sa 9–11 Uhr", False)


def seed(people: dict) -> None:
    coordinator = people["koordination@fh-auental.example"]
    organisations = {org.name: org for org in Organisation.select()}
    made = {}
    for (name, title, description, groups, languages, cost_note, district, outreach, hours,
         registration) in [*OFFERINGS, STALE]:
        organisation = organisations.get(name)
        if organisation is None:
            continue
        with back(300 - 3 * len(made)):  # confirmed within the year: not stale
            made[title] = workflow.create_offering(organisation, {
                "title": title, "description": description, "target_groups": pack_groups(groups),
                "languages": languages, "cost": "fee" if cost_note else "free", "cost_note": cost_note or "",
                "district": district, "outreach": outreach, "hours": hours, "registration_required": registration,
                "address": "" if outreach else organisation.address, "phone": organisation.contact_phone,
                "email": organisation.contact_email, "accessibility": _accessibility(title),
            }, actor=coordinator, token=None)
    with write_transaction():
        long_ago = utcnow() - timedelta(days=500)
        Offering.update(confirmed_at=long_ago, created_at=long_ago, updated_at=long_ago).where(
            Offering.id == made[STALE[1]].id).execute()
        Offering.update(published=False).where(Offering.id == made["Vorlesepaten"].id).execute()
    # A running update round: three weeks to go, two organisations have confirmed already.
    with back(7, 9):
        workflow.open_round(title="Familienwegweiser 2027", deadline=date.today() + timedelta(days=21),
                            actor=coordinator, token=None)
    with back(5, 14):
        workflow.confirm_organisation(organisations["Familienzentrum Regenbogen"],
                                      actor=people["a.lehmann@fh-auental.example"])
    with back(3, 10):
        workflow.confirm_organisation(organisations["Hebammenpraxis Lindenhof"],
                                      actor=people["hebamme.brandt@fh-auental.example"])


def _accessibility(title: str) -> str:
    if "aufsuchend" in title.lower() or "Willkommensbesuch" in title:
        return ""
    return "Stufenloser Zugang, Platz für Kinderwagen; barrierefreies WC."
