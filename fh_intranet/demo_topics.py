"""Demo topics and voting rounds for the invented network in Landkreis Auental."""

from .demo_time import back, moment
from .meetings.models import Body
from .topics import workflow
from .topics.models import DOTS

TOPICS = [
    ("Übergang von der Geburtsklinik nach Hause", "Familien sollen nach der Entlassung wissen, wer sie begleitet."),
    ("Angebote in einfacher und mehrsprachiger Sprache", "Faltblätter und Website des Netzwerks für alle verständlich."),
    ("Väter stärker einbeziehen", "Angebote, die Väter ansprechen, und Zeiten, die zu Berufstätigen passen."),
    ("Psychische Gesundheit rund um die Geburt", "Fortbildung für Fachkräfte zu Belastungen nach der Geburt."),
    ("Wartezeiten in der Frühförderung", "Wie überbrücken Familien die Zeit bis zum ersten Termin?"),
    ("Digitale Elternsprechstunde", "Kurze Beratung per Video für Familien auf dem Land."),
]


def seed(people: dict) -> None:
    coordinator = people["koordination@fh-auental.example"]
    proposers = [people[e] for e in ("hebamme.brandt@fh-auental.example", "s.arslan@fh-auental.example",
                                      "a.lehmann@fh-auental.example", "y.demir@fh-auental.example")]
    # The first four were proposed before last year's round; the last two lately.
    topics = []
    for i, (title, text) in enumerate(TOPICS):
        with back(230 - 7 * i if i < 4 else 11 - 5 * (i - 4), 9 + i):
            topics.append(workflow.propose_topic(title=title, description=text, proposer=proposers[i % len(proposers)]))
    steering = Body.get(Body.name == "Steuerungsgruppe")
    # Votes are cast while the round is open; after its close its results are frozen.
    with back(205):
        closed = workflow.create_round(title="Schwerpunkte für das laufende Jahr", method=DOTS, budget=5,
                                       max_per_topic=3, rank_limit=3, body_id=steering.id, opens_at=moment(200, 8),
                                       closes_at=moment(186, 18), results="after_close", anonymous=True,
                                       topic_ids=[t.id for t in topics[:4]], creator=coordinator)
    plan = {
        "koordination@fh-auental.example": [0, 0, 1, 1, 3],
        "hebamme.brandt@fh-auental.example": [0, 0, 0, 2, 2],
        "s.arslan@fh-auental.example": [3, 3, 3, 1, 0],
        "a.lehmann@fh-auental.example": [1, 1, 2, 2, 0],
        "p.schaefer@fh-auental.example": [0, 0, 1, 3, 3],
        "y.demir@fh-auental.example": [1, 1, 1, 2, 3],
    }
    for day, (email, picks) in enumerate(plan.items()):
        with back(199 - 2 * day, 12):
            for index in picks:
                workflow.change_points(closed, people[email], topics[index].id, 1)
    with back(186, 18, 5):
        workflow.finalize(closed.id)

    with back(2, 8):
        running = workflow.create_round(title="Themen für den Fachtag im Frühjahr", method=DOTS, budget=5,
                                        max_per_topic=3, rank_limit=3, body_id=steering.id, opens_at=moment(2, 8),
                                        closes_at=moment(-12, 18), results="live", anonymous=False,
                                        topic_ids=[t.id for t in topics[1:]], creator=coordinator)
    with back(1, 17):
        for email, index in [("s.arslan@fh-auental.example", 2), ("s.arslan@fh-auental.example", 4),
                             ("a.lehmann@fh-auental.example", 2), ("y.demir@fh-auental.example", 5)]:
            workflow.change_points(running, people[email], topics[index].id, 1)
