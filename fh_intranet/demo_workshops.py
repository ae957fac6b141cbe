"""A past Fachtag with four Thementische and their outputs (one photo, one PDF), all invented."""
import io
from datetime import date, datetime, timedelta

from PIL import Image, ImageDraw

from .demo_meetings import agenda_item
from .demo_time import back
from .meetings import workflow as meetings
from .meetings.models import Body
from .pdf import Document
from .timezones import berlin_to_utc
from .topics import workflow as topics
from .workshops import files
from .workshops import workflow as workshops

TABLES = [
    ("Thementisch 1: Gut ankommen nach der Geburt", "hebamme.brandt@fh-auental.example",
     "- Lotsendienst in allen Geburtskliniken des Kreises\n- Erstbesuch durch Familienhebammen früher anbieten\n"
     "- Übergabe zwischen Klinik und Hebamme verbindlich regeln"),
    ("Thementisch 2: Väter im Blick", "y.demir@fh-auental.example",
     "- Väterfrühstück im Familienzentrum am Samstag\n- Angebote auch am Abend\n- Väter gezielt ansprechen"),
    ("Thementisch 3: Einfache Sprache", "a.lehmann@fh-auental.example",
     "Die Broschüre des Netzwerks soll in einfacher Sprache und in vier Sprachen erscheinen."),
    ("Thementisch 4: Zusammenarbeit mit Kinderarztpraxen", "s.arslan@fh-auental.example",
     "Praxen wünschen sich eine Liste der Angebote, die in die Praxissoftware passt."),
]


def _flipchart() -> bytes:
    image = Image.new("RGB", (1200, 900), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 1160, 860), outline=(11, 83, 148), width=8)
    for row, colour in enumerate([(11, 83, 148), (29, 94, 32), (164, 0, 15), (122, 75, 0)]):
        draw.rectangle((100, 120 + row * 170, 1100, 220 + row * 170), outline=colour, width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _pdf() -> bytes:
    document = Document("Thementisch 2: Väter im Blick – Ergebnisse")
    document.line("Ideen der Teilnehmenden (invented demo content):")
    document.line("1. Väterfrühstück im Familienzentrum. 2. Abendtermine. 3. Väter direkt ansprechen.")
    return document.output()


def seed(people: dict) -> None:
    coordinator = people["koordination@fh-auental.example"]
    conference = Body.get(Body.name == "Netzwerkkonferenz Frühe Hilfen")
    day = date.today() - timedelta(days=60)
    with back(90):
        fachtag = meetings.create_meeting(conference, title="Fachtag Frühe Hilfen: Zusammen stark ab Geburt",
                                          kind="fachtag", place="Bürgerhaus Auental",
                                          starts_at=berlin_to_utc(datetime(day.year, day.month, day.day, 9)),
                                          ends_at=berlin_to_utc(datetime(day.year, day.month, day.day, 15)), actor=coordinator)
    uploads = {0: [("flipchart-thementisch-1.jpg", files.clean(_flipchart()))],
               1: [("ergebnisse-thementisch-2.pdf", files.clean(_pdf()))]}
    outputs = []
    for index, (title, host, text) in enumerate(TABLES):
        with back(75, 10, index):
            workshop = workshops.create_workshop(fachtag, title=title, host_id=people[host].id, actor=coordinator)
        with back(59 - index, 17):  # each table's host typed up its results in the days after
            outputs.append(workshops.add_output(workshop, text=text, uploads=uploads.get(index, []),
                                                author=people[host]))
    with back(54, 11):
        topics.propose_topic(title="Väterfrühstück und Abendangebote", description="Aus dem Thementisch 2 des Fachtags.",
                             body_id=conference.id, proposer=coordinator, source_output=outputs[1])
    with back(53, 9):
        meetings.add_agenda_item(fachtag, "Begrüßung und Impulsvortrag", actor=coordinator)
        agenda_item(fachtag, "Arbeit an vier Thementischen", coordinator,
                    notes="Die Ergebnisse stehen bei den Thementischen dieser Veranstaltung.")
    with back(52, 10):
        meetings.publish(fachtag, coordinator)
