"""The word diff: exact on every input, the same as before on short texts, never quadratic."""
import random
import re
import time
from difflib import SequenceMatcher

import pytest

from fh_intranet import textdiff

# --- texts to compare ------------------------------------------------------------------------

WORDS = ("die der das und in zu den mit von für ist auf nicht sich dem des eine ein als auch es an "
         "werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum "
         "Familie Familien Eltern Kinder Kind Säugling Säuglingen Mütter Väter Hebamme Familienhebamme "
         "Netzwerk Frühe Hilfen Jugendamt Gesundheitsamt Beratung Beratungsstelle Angebot Angebote "
         "Unterstützung Kooperation Vereinbarung Partner Partnerinnen Koordination Koordinierungsstelle "
         "begleitet berät unterstützt informiert vermittelt vereinbaren verpflichten beteiligen "
         "regelmäßig frühzeitig verlässlich gemeinsam schriftlich vertraulich zuständig örtlichen "
         "Schwangerschaft Geburt Ernährung Schlaf Entwicklung Gesundheit Schutz Datenschutz Einwilligung "
         "Sitzung Protokoll Beschluss Aufgabe Fassung Frist Monate Jahre drei zwei vier sechs zwölf").split()


def _zipf_word(rng: random.Random) -> str:
    # Common words common, rare words rare, and now and then a word of its own (names, numbers).
    if rng.random() < 0.08:
        return rng.choice(["Auental", "Kita", "Lotsin", "Elterncafé", str(rng.randint(1, 2030))]) + str(rng.randint(0, 99))
    return WORDS[min(int(rng.paretovariate(0.9)) - 1, len(WORDS) - 1) if rng.random() < 0.5 else rng.randrange(len(WORDS))]


def sentence(rng: random.Random) -> str:
    words = [_zipf_word(rng) for _ in range(rng.randint(5, 18))]
    words[0] = words[0][:1].upper() + words[0][1:]
    if rng.random() < 0.3:
        words.insert(rng.randint(1, len(words) - 1), words.pop(rng.randrange(len(words))) + ",")
    return " ".join(words) + rng.choice(".....?:")


def document(rng: random.Random, words: int) -> str:
    """Markdown like an agreement: headings, paragraphs, lists; about `words` words."""
    blocks, count, section = [], 0, 1
    while count < words:
        if rng.random() < 0.12:
            block = f"# § {section} {sentence(rng).rstrip('.?:')}"
            section += 1
        elif rng.random() < 0.15:
            block = "\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(2, 5)))
        else:
            block = " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))
        blocks.append(block)
        count += len(block.split())
    return "\n\n".join(blocks) + "\n"


def revise(rng: random.Random, text: str, edits: int) -> str:
    """What an editor does between two versions: words changed, sentences added, dropped and
    reworded, a paragraph moved, spacing changed."""
    blocks = text.split("\n\n")
    for _ in range(edits):
        b = rng.randrange(len(blocks))
        words = blocks[b].split(" ")
        kind = rng.random()
        if kind < 0.35 and len(words) > 1:
            words[rng.randrange(len(words))] = _zipf_word(rng)
            blocks[b] = " ".join(words)
        elif kind < 0.55:
            position = rng.randint(0, len(words))
            blocks[b] = " ".join(words[:position] + sentence(rng).split(" ") + words[position:])
        elif kind < 0.7 and len(words) > 12:
            start = rng.randrange(len(words) - 10)
            blocks[b] = " ".join(words[:start] + words[start + rng.randint(3, 10):])
        elif kind < 0.8:
            blocks.insert(rng.randrange(len(blocks) + 1), " ".join(sentence(rng) for _ in range(3)))
        elif kind < 0.88 and len(blocks) > 2:
            blocks.insert(rng.randrange(len(blocks)), blocks.pop(b))
        elif kind < 0.94:
            blocks[b] = blocks[b].replace(" ", "  ", 1).replace(". ", ".\n", 1)
        elif len(blocks) > 2:
            del blocks[b]
    return "\n\n".join(blocks)


def rebuilt(pieces):
    old = "".join(p.text for p in pieces if p.kind != "insert")
    new = "".join(p.text for p in pieces if p.kind != "delete")
    return old, new


def difflib_pieces(old: str, new: str) -> list:
    """The comparison as this module made it before it had to handle long texts."""
    a, b = textdiff.tokens(old), textdiff.tokens(new)
    pieces = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(textdiff.Piece("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(textdiff.Piece("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(textdiff.Piece("insert", "".join(b[j1:j2])))
    return pieces


def well_formed(pieces) -> bool:
    """No empty pieces, no two neighbours of one kind, changes as delete-then-insert."""
    kinds = [p.kind for p in pieces]
    return (all(p.text for p in pieces)
            and all(x != y for x, y in zip(kinds, kinds[1:], strict=False))
            and all(not (x == "insert" and y == "delete") for x, y in zip(kinds, kinds[1:], strict=False)))


# --- exactness -------------------------------------------------------------------------------

SMALL_EXAMPLES = [
    ("Die Familienhebamme berät Mütter über Ernährung und Schlaf.",
     "Die Familienhebamme begleitet Väter und Mütter über Ernährung."),
    ("Familien mit Säuglingen finden früh Unterstützung.", "Familien mit Neugeborenen finden früh Unterstützung."),
    ("a", "<script>alert(1)</script>"),
    ("", "Neuer Text."),
    ("Alter Text.", ""),
    ("Zeile eins\nZeile zwei\n", "Zeile eins\n\nZeile zwei und drei\n"),
    ("Frist: 14 Tage.", "Frist: 21 Tage!"),
    ("# § 1 Ziele\n\nText", "# § 2 Ziele\n\nText"),
]


@pytest.mark.parametrize(("old", "new"), SMALL_EXAMPLES)
def test_short_texts_compare_as_before(old, new):
    pieces = textdiff.compare(old, new)
    assert pieces == difflib_pieces(old, new)
    assert rebuilt(pieces) == (old, new)
    assert textdiff.inline_html(pieces) == textdiff.inline_html(difflib_pieces(old, new))


def test_small_generated_texts_compare_as_before():
    rng = random.Random(7)
    for _ in range(200):
        old = " ".join(sentence(rng) for _ in range(rng.randint(0, 3)))
        new = revise(rng, old, rng.randint(0, 3)) if old else sentence(rng)
        if len(textdiff.tokens(old)) * len(textdiff.tokens(new)) <= textdiff.EXACT_PAIRS:
            assert textdiff.compare(old, new) == difflib_pieces(old, new)


@pytest.mark.parametrize("seed", range(12))
def test_long_texts_rebuild_exactly(seed):
    rng = random.Random(seed)
    words = rng.choice([300, 1500, 4000])
    old = document(rng, words)
    new = revise(rng, old, rng.randint(1, words // 50))
    pieces = textdiff.compare(old, new)
    assert rebuilt(pieces) == (old, new)
    assert well_formed(pieces)
    # Realistic edits leave most of the text as it was.
    same = sum(len(p.text) for p in pieces if p.kind == "same")
    assert same > 0.6 * min(len(old), len(new))


def test_random_token_soup_rebuilds_exactly():
    """Small alphabets make many equal tokens: every path through the algorithm gets used."""
    rng = random.Random(3)
    for _ in range(300):
        alphabet = rng.choice(["ab", "abc ", "ab \n.", "abcdefgh  ,."])
        size = rng.choice([5, 40, 150, 600])
        old = "".join(rng.choice(alphabet) + rng.choice(["", " "]) for _ in range(size))
        new = "".join(rng.choice(alphabet) + rng.choice(["", " "]) for _ in range(rng.randint(0, size * 2)))
        if rng.random() < 0.5:  # or an edit of the old one
            cut = rng.randint(0, len(old))
            new = old[:cut] + new[: rng.randint(0, 20)] + old[cut + rng.randint(0, 20):]
        pieces = textdiff.compare(old, new)
        assert rebuilt(pieces) == (old, new), (old, new)
        assert well_formed(pieces)


def test_myers_finds_a_shortest_edit_script():
    def lcs(a, b):
        row = [0] * (len(b) + 1)
        for x in a:
            previous, row = row, [0]
            for j, y in enumerate(b):
                row.append(previous[j] + 1 if x == y else max(previous[j + 1], row[j]))
        return row[-1]

    rng = random.Random(11)
    for _ in range(200):
        a = [rng.randrange(4) for _ in range(rng.randint(1, 30))]
        b = [rng.randrange(4) for _ in range(rng.randint(1, 30))]
        steps, _ = textdiff._myers(a, 0, len(a), b, 0, len(b), 10**9)
        same = sum(i2 - i1 for equal, i1, i2, _, _ in steps if equal)
        assert same == lcs(a, b)
        assert [a[i] for equal, i1, i2, _, _ in steps if equal for i in range(i1, i2)] == \
               [b[j] for equal, _, _, j1, j2 in steps if equal for j in range(j1, j2)]


def test_word_changes_in_a_long_text_are_marked_as_words():
    rng = random.Random(5)
    old = document(rng, 3000)
    new = old.replace("Familienhebamme", "Familien-Gesundheits-Kinderkrankenpflegerin", 1)
    pieces = [p for p in textdiff.compare(old, new) if p.kind != "same"]
    assert [(p.kind, p.text) for p in pieces] == [
        ("delete", "Familienhebamme"), ("insert", "Familien-Gesundheits-Kinderkrankenpflegerin")]


# --- no input makes it slow ------------------------------------------------------------------

def _adversarial_cases():
    rng = random.Random(2024)
    three = document(rng, 3000)
    fifty = document(rng, 50_000)
    repeated = [rng.choice(WORDS[:20]) for _ in range(20_000)]
    shuffled = repeated[:]
    rng.shuffle(shuffled)
    line = "Die Familienhebamme begleitet Familien im ersten Lebensjahr.\n"
    return {
        "3000 words, realistic edits": (three, revise(rng, three, 40)),
        "3000 words, heavily rewritten": (three, revise(rng, three, 400)),
        "3000 words, one paragraph": (three.replace("\n", " "), revise(rng, three, 40).replace("\n", " ")),
        "3000 words vs unrelated text": (three, document(rng, 3000)),
        "20000 repeated words vs shuffled": (" ".join(repeated), " ".join(shuffled)),
        "3000 identical lines vs edited": (line * 3000, (line * 1500 + "Neu.\n" + line * 1499).replace("im", "ab", 300)),
        "3000 words reversed": (three, " ".join(reversed(three.split(" ")))),
        "50000 words, realistic edits": (fifty, revise(rng, fifty, 200)),
        "50000 words vs unrelated text": (fifty, document(rng, 50_000)),
        # Made to cost the most per word: a gap between every two anchors, or no order to keep.
        "50000 words, a change between every two": (" ".join(f"w{i} x" for i in range(25_000)),
                                                    " ".join(f"w{i} y" for i in range(25_000))),
        "50000 words, neighbours swapped": (" ".join(f"w{i}" for i in range(50_000)),
                                            " ".join(f"w{i ^ 1}" for i in range(50_000))),
    }


ADVERSARIAL = _adversarial_cases()


@pytest.mark.parametrize("case", list(ADVERSARIAL))
def test_no_input_makes_the_comparison_slow(case):
    """A guard against quadratic behaviour, generous for a busy machine (CPU time, so other work on
    the machine does not count): before the rewrite the first case alone took 3–6 s, the
    50,000-word cases would have taken hours; now none takes more than half a second."""
    old, new = ADVERSARIAL[case]
    started = time.process_time()
    pieces = textdiff.compare(old, new)
    elapsed = time.process_time() - started
    assert rebuilt(pieces) == (old, new)
    assert elapsed < 2.0, f"{case}: {elapsed:.2f} s"


def test_summary_counts_words_of_long_texts():
    old, new = ADVERSARIAL["3000 words, realistic edits"]
    summary = textdiff.summary(textdiff.compare(old, new))
    assert 0 < summary["inserted"] < 2000 and 0 < summary["deleted"] < 2000
    assert re.search(r"\w", old)
