"""Invented German-sounding text for the benchmark data set (`bench_data`).

Sentences are put together from a small vocabulary of the field (Frühe Hilfen); nothing is
copied from real documents. A seeded `random.Random` makes every run give the same text.
"""
import random

SUBJECTS = [
    "Das Netzwerk", "Die Koordinierungsstelle", "Die Steuerungsgruppe", "Jede Partnerorganisation",
    "Das Jugendamt", "Das Gesundheitsamt", "Die Geburtsklinik", "Die Familienhebamme",
    "Die Beratungsstelle", "Das Familienzentrum", "Die Kinderarztpraxis", "Die Arbeitsgruppe",
    "Der Lotsendienst", "Die Kindertagesstätte", "Die Frühförderstelle",
]
VERBS = [
    "unterstützt", "begleitet", "informiert", "beteiligt", "stärkt", "vermittelt", "berät",
    "dokumentiert", "prüft", "plant", "bündelt", "verbessert", "benennt", "organisiert",
]
OBJECTS = [
    "werdende Eltern", "Familien mit Säuglingen", "die Übergänge zwischen den Hilfen",
    "die Zusammenarbeit im Landkreis", "die Angebote vor Ort", "die Fachkräfte der Partner",
    "den Austausch über Zuständigkeiten", "die Erreichbarkeit der Beratung", "die Elternkurse",
    "die Willkommensbesuche", "die Qualität der Angebote", "die Vermittlung in passende Hilfen",
    "die Öffentlichkeitsarbeit", "die Fortbildungen", "die Sprachmittlung",
]
ADVERBIALS = [
    "in enger Abstimmung mit den Partnern", "frühzeitig und verlässlich", "im Rahmen ihrer Möglichkeiten",
    "nach vorheriger Absprache", "mindestens einmal im Jahr", "in einfacher Sprache",
    "ohne zusätzliche Kosten für die Familien", "unter Wahrung des Datenschutzes", "auf Wunsch der Eltern",
    "gemeinsam mit der Koordinierungsstelle", "in allen Gemeinden des Kreises",
]
TOPIC_WORDS = [
    "Willkommensbesuche", "Lotsendienst Geburtsklinik", "Väterarbeit", "Elterncafé", "Einfache Sprache",
    "Familienhebammen", "Kinderschutz und Frühe Hilfen", "Netzwerkkonferenz", "Fortbildungsplan",
    "Öffentlichkeitsarbeit", "Datenschutz", "Angebotsübersicht", "Sprachmittlung", "Wohnortnahe Beratung",
    "Psychische Gesundheit der Eltern", "Übergang Kita", "Babylotsen", "Familienpaten", "Qualitätsdialog",
    "Ehrenamt", "Digitale Angebote", "Fachtag", "Evaluation", "Schreibabyambulanz", "Teenagerschwangerschaft",
]
HEADINGS = [
    "Ziele", "Geltungsbereich", "Aufgaben der Partner", "Zusammenarbeit", "Datenschutz", "Verfahren",
    "Kommunikation", "Qualität", "Fortbildung", "Finanzierung", "Dokumentation", "Beteiligung der Familien",
    "Übergänge", "Ansprechpersonen", "Evaluation", "Inkrafttreten",
]
FIRST_NAMES = [
    "Anna", "Jonas", "Miriam", "Selin", "Thomas", "Petra", "Yusuf", "Birgit", "Lena", "Markus", "Sabine",
    "Katrin", "Jan", "Fatma", "Olga", "Heike", "Stefan", "Aylin", "Maren", "Tobias", "Elif", "Uwe", "Ines",
    "Dirk", "Nadine", "Kerstin", "Mehmet", "Julia", "Frank", "Svenja",
]
LAST_NAMES = [
    "Albers", "Weber", "Brandt", "Arslan", "Krüger", "Lehmann", "Schäfer", "Demir", "Hoffmann", "Vogt",
    "Roth", "Engel", "Meyer", "Schulz", "Becker", "Wagner", "Kaya", "Wolf", "Neumann", "Schwarz",
    "Zimmermann", "Braun", "Hartmann", "Lange", "Werner", "Krause", "Köhler", "Yilmaz", "Peters", "Fuchs",
]
PLACES = ["Auental", "Bergheim", "Lindenau", "Tannroda", "Wiesenbach", "Altmühle", "Rosenfeld", "Steinach"]


def sentence(rng: random.Random) -> str:
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if rng.random() < 0.6:
        text += f" {rng.choice(ADVERBIALS)}"
    if rng.random() < 0.2:
        text += f" und {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    return text + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    words = [sentence(rng) for _ in range(sentences)]
    if rng.random() < 0.3:  # some emphasis, as people write it
        index = rng.randrange(len(words))
        words[index] = f"**{words[index][:-1]}**."
    return " ".join(words)


def bullet_list(rng: random.Random, items: int) -> str:
    return "\n".join(f"- {sentence(rng)}" for _ in range(items))


def agreement_sections(rng: random.Random, words: int) -> list[tuple[str, str]]:
    """(heading, body) pairs of about `words` words in all (a sentence is about ten words)."""
    count = min(len(HEADINGS), max(3, words // 200))
    per_section = max(1, words // count // 10)
    sections = []
    for number, heading in enumerate(HEADINGS[:count], start=1):
        parts, left = [], per_section
        while left > 0:
            size = min(left, rng.randint(3, 7))
            parts.append(bullet_list(rng, size) if rng.random() < 0.25 else paragraph(rng, size))
            left -= size
        sections.append((f"§ {number} {heading}", "\n\n".join(parts)))
    return sections


def agreement_text(sections: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"## {heading}\n\n{body}" for heading, body in sections) + "\n"


def revise(rng: random.Random, sections: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A new version: one or two sections get a paragraph changed or added."""
    sections = list(sections)
    for _ in range(rng.randint(1, 2)):
        index = rng.randrange(len(sections))
        heading, body = sections[index]
        paragraphs = body.split("\n\n")
        if rng.random() < 0.5:
            paragraphs[rng.randrange(len(paragraphs))] = paragraph(rng, rng.randint(2, 5))
        else:
            paragraphs.insert(rng.randrange(len(paragraphs) + 1), paragraph(rng, rng.randint(2, 4)))
        sections[index] = (heading, "\n\n".join(paragraphs))
    return sections


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def topic_title(rng: random.Random, number: int) -> str:
    return f"{rng.choice(TOPIC_WORDS)} ({number})"


def short(rng: random.Random) -> str:
    """A decision, an action item, a comment: one or two sentences."""
    return " ".join(sentence(rng) for _ in range(rng.randint(1, 2)))
