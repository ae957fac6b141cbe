"""Demo agreements for the invented network in Landkreis Auental (all text made up)."""
from datetime import date, timedelta

from .agreements import workflow
from .agreements.models import ADOPTED, CONSULTATION, AgreementVersion
from .demo_time import back, moment

COOPERATION_2024 = """Diese Vereinbarung beschreibt, wie die Partner im Netzwerk Frühe Hilfen Landkreis Auental zusammenarbeiten.

# § 1 Ziele

Werdende Eltern und Familien mit Kindern bis drei Jahre sollen passende Unterstützung früh und ohne Umwege finden. Die Partner stimmen ihre Angebote aufeinander ab und lernen voneinander.

# § 2 Zielgruppe

Die Vereinbarung richtet sich an Fachkräfte, die mit Schwangeren und Familien mit Säuglingen und Kleinkindern arbeiten.

# § 3 Aufgaben der Partner

- Die Partner benennen je eine Ansprechperson für das Netzwerk.
- Sie nehmen an mindestens zwei Netzwerkkonferenzen im Jahr teil.
- Sie informieren Familien über die Angebote der anderen Partner.

# § 4 Netzwerkkoordination

Das Jugendamt koordiniert das Netzwerk, lädt zu den Sitzungen ein und führt die Protokolle.

# § 5 Datenschutz

Im Netzwerk werden keine Daten über einzelne Familien ausgetauscht. Die Zusammenarbeit ist fallübergreifend.
"""

RULES_OF_PROCEDURE = """# § 1 Zusammensetzung

Die Steuerungsgruppe besteht aus bis zu zwölf Fachkräften der Partnerorganisationen und der Netzwerkkoordination.

# § 2 Sitzungen

Die Steuerungsgruppe tagt mindestens viermal im Jahr. Die Einladung mit Tagesordnung geht spätestens zwei Wochen vorher hinaus.

# § 3 Beschlüsse

Beschlüsse werden mit einfacher Mehrheit der Anwesenden gefasst. Die Steuerungsgruppe ist beschlussfähig, wenn mindestens die Hälfte der Mitglieder anwesend ist.

# § 4 Protokoll

Die Netzwerkkoordination schreibt das Protokoll und veröffentlicht es nach der Sitzung im Intranet.
"""

COOPERATION_2027_V1 = """Entwurf der fortgeschriebenen Kooperationsvereinbarung für 2027 bis 2030.

# § 1 Ziele

Familien sollen vom Beginn der Schwangerschaft an wissen, wo sie Unterstützung finden.

# § 2 Zielgruppe

Schwangere und Familien mit Kindern bis drei Jahre sowie die Fachkräfte, die mit ihnen arbeiten.

# § 3 Aufgaben der Partner

- Jede Partnerorganisation benennt eine Ansprechperson.
- Die Partner nehmen an den Netzwerkkonferenzen teil.

# § 4 Lotsendienst in der Geburtsklinik

Die Kreisklinik bietet einen Lotsendienst an, der Eltern nach der Geburt auf Angebote hinweist.
"""

COOPERATION_2027_V2 = COOPERATION_2027_V1.replace(
    "- Die Partner nehmen an den Netzwerkkonferenzen teil.",
    "- Die Partner nehmen an den Netzwerkkonferenzen teil.\n"
    "- Die Partner geben neue Angebote innerhalb eines Monats an die Netzwerkkoordination weiter.",
).replace("wissen, wo sie Unterstützung finden.", "wissen, wo sie Unterstützung finden, auch in einfacher Sprache.")

COOPERATION_2027_V3 = COOPERATION_2027_V2 + """
# § 5 Überprüfung

Die Steuerungsgruppe prüft diese Vereinbarung jährlich und berichtet der Netzwerkkonferenz.
"""


def seed(people: dict, organisations: list) -> None:
    """`people` by e-mail, `organisations` in the order of demo.ORGANISATIONS."""
    coordinator = people["koordination@fh-auental.example"]
    member = people["hebamme.brandt@fh-auental.example"]
    doctor = people["s.arslan@fh-auental.example"]
    today = date.today()
    deadline = moment(-21, 18)  # three weeks from the real today: the consultation is running

    with back(1090):  # written in the autumn before it came into force
        adopted = workflow.create_agreement(title="Kooperationsvereinbarung Frühe Hilfen 2024–2026", kind="cooperation",
                                            review_by=today + timedelta(days=120), text=COOPERATION_2024,
                                            author=coordinator)
    _adopt(adopted, coordinator, consulted=1075, adopted=1040)
    for organisation, signer, function, days_ago, accession in [
        (organisations[0], "Dr. Heike Brunner", "Amtsleitung Jugendamt", 1035, False),
        (organisations[1], "Frank Lorenz", "Leitung Gesundheitsamt", 1030, False),
        (organisations[2], "Dr. Ines Wagner", "Chefärztin Geburtshilfe", 1025, False),
        (organisations[5], "Anna Lehmann", "Leitung Familienzentrum", 1025, False),
        (organisations[3], "Miriam Brandt", "Hebamme", 1020, False),
        (organisations[4], "Dr. Selin Arslan", "Praxisinhaberin", 1015, False),
        (organisations[6], "Yusuf Demir", "Geschäftsführung", 1025, False),
        (organisations[8], "Carola Wendt", "Teamleitung Familienhebammen", 1005, False),
        (organisations[9], "Ute Sommer", "Hebamme", 1010, False),
        (organisations[10], "Dr. Jan Pohl", "Praxisinhaber", 200, True),
        (organisations[11], "Renate Kowalski", "Leitung Frühförderung", 995, False),
        (organisations[13], "Sandra Beck", "Kitaleitung", 150, True),
        (organisations[14], "Michael Franke", "Leitung Familienbildungsstätte", 1030, False),
        (organisations[17], "Elif Yıldız", "Bereichsleitung", 120, True),
        (organisations[21], "Georg Hahn", "Geschäftsführung", 985, False),
        (organisations[7], "Birgit Hoffmann", "Leitung Kita Sonnenhof", 60, True),
    ]:
        with back(days_ago - 2, 11):  # recorded by the coordination when the signed copy arrived
            workflow.record_signature(adopted, organisation, signer_name=signer, signer_function=function,
                                      signed_on=today - timedelta(days=days_ago), accession=accession,
                                      recorded_by=coordinator)

    with back(330):
        rules = workflow.create_agreement(title="Geschäftsordnung der Steuerungsgruppe", kind="rules_of_procedure",
                                          review_by=None, text=RULES_OF_PROCEDURE, author=coordinator)
    _adopt(rules, coordinator, consulted=320, adopted=300)

    with back(40, 9):
        draft = workflow.create_agreement(title="Kooperationsvereinbarung Frühe Hilfen 2027–2030", kind="cooperation",
                                          review_by=today + timedelta(days=3 * 365), text=COOPERATION_2027_V1,
                                          author=coordinator)
    with back(25, 9):
        workflow.save_version(draft, base_number=1, text=COOPERATION_2027_V2, author=coordinator,
                              change_note="Einfache Sprache ergänzt; Meldung neuer Angebote in § 3")
        workflow.change_state(draft, CONSULTATION, coordinator, deadline=deadline)
    v2 = AgreementVersion.get(AgreementVersion.agreement == draft, AgreementVersion.number == 2)
    with back(20, 16):
        thread = workflow.add_comment(draft, v2, anchor="s-3-aufgaben-der-partner",
                                      heading="§ 3 Aufgaben der Partner",
                                      body="Ein Monat ist für kleine Praxen knapp. Wären sechs Wochen möglich?",
                                      author=doctor)
    with back(19, 8, 30):
        workflow.add_comment(draft, v2, anchor="s-3-aufgaben-der-partner", heading="§ 3 Aufgaben der Partner",
                             body="Aus Sicht der Hebammen passen sechs Wochen gut.", author=member, parent=thread)
    with back(17, 13):
        done = workflow.add_comment(draft, v2, anchor="s-1-ziele", heading="§ 1 Ziele",
                                    body="Bitte auch mehrsprachige Informationen erwähnen.", author=member)
    with back(9, 10):
        workflow.set_resolved(done, True, coordinator)
    with back(6, 18):
        workflow.add_comment(draft, v2, anchor="s-4-lotsendienst-in-der-geburtsklinik",
                             heading="§ 4 Lotsendienst in der Geburtsklinik",
                             body="Der Lotsendienst ist bis Ende 2027 finanziert; danach offen.", author=doctor)
    with back(2, 11):
        workflow.save_version(draft, base_number=2, text=COOPERATION_2027_V3, author=coordinator,
                              change_note="§ 5 Überprüfung ergänzt")


def _adopt(agreement, coordinator, consulted: int, adopted: int) -> None:
    """Consulted `consulted` days ago for three weeks, adopted `adopted` days ago."""
    with back(consulted):
        workflow.change_state(agreement, CONSULTATION, coordinator, deadline=moment(consulted - 21, 23, 59))
    with back(adopted, 15):
        workflow.change_state(agreement, ADOPTED, coordinator, adopted_on=date.today() - timedelta(days=adopted))
