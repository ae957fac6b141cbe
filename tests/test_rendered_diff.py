"""The compare view on the rendered text: structure as the reader sees it, changes marked for eyes
and screen readers, the Markdown source on request, and still no slow input."""
import re
import time

from fh_intranet import rendered_diff, textdiff
from fh_intranet.agreements import workflow
from tests.agreement_fixtures import TEXT

OLD = "## § 1 Ziele\n\nDas Netzwerk *stärkt* Familien.\n\n- eins\n- zwei\n\n```\nCode bleibt\n```\n"
NEW = ("## § 1 Ziele und Zweck\n\nDas Netzwerk **stärkt** junge Familien.\n\n- eins\n- zwei\n- drei\n\n"
       "```\nCode bleibt\n```\n\n## § 2 Neu\n\nGanz *neuer* Text.\n")


def visible(html: str) -> str:
    return re.sub(r'<span class="visually-hidden">[^<]*</span>', "", str(html))


def test_changes_are_marked_inside_the_rendered_structure():
    html = visible(rendered_diff.render(textdiff.compare(OLD, NEW)))
    # the text's "##" sections sit right below the comparison's <h2> (they were <h4>: a level skipped)
    assert "<h3>§ 1 Ziele <ins>und Zweck</ins></h3>" in html
    assert "<strong>stärkt</strong> <ins>junge</ins> Familien." in html  # emphasis changed, not marked
    assert "<li><ins>drei</ins></li>" in html
    assert "<h3><ins>§ 2 Neu</ins></h3>" in html and "<em>neuer</em>" in html
    left, right = (visible(side) for side in rendered_diff.side_by_side(textdiff.compare(OLD, NEW)))
    assert "<h4>§ 1 Ziele</h4>" in left and "<h4><ins>§ 2 Neu</ins></h4>" in right  # below each text's <h3>
    # each text by its own highest heading: a title only the old version has skips no level on the new side
    left, right = rendered_diff.side_by_side(textdiff.compare("# Titel\n\n## § 1\n\nText.\n", "## § 1\n\nText.\n"))
    assert "<h5>§ 1</h5>" in visible(left) and "<h4>§ 1</h4>" in visible(right)
    assert "<pre><code>Code bleibt\n</code></pre>" in html
    assert "##" not in html and "**" not in html and "\ue000" not in html


def test_deletions_read_as_deletions_and_screen_readers_hear_both():
    pieces = textdiff.compare("Erstens. Zweitens wichtig. Drittens.", "Erstens. Drittens.")
    html = str(rendered_diff.render(pieces))
    assert re.search(r'<del><span class="visually-hidden">\[gelöscht:\] </span>[^<]*Zweitens wichtig', html)
    assert "[Ende der Löschung]</span></del>" in html
    old, new = rendered_diff.side_by_side(pieces)
    assert "<del>" in str(old) and "<del>" not in str(new) and "Zweitens" not in str(new)


def test_hostile_markdown_in_a_diff_stays_inert():
    html = str(rendered_diff.render(textdiff.compare(
        "Hallo", "Hallo <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>")))
    assert "<script" not in html and "href=\"javascript" not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # shown as text


def test_the_rendered_compare_of_long_texts_stays_fast():
    old = "\n\n".join(f"## Abschnitt {n}\n\n" + "Die Familienhebamme begleitet werdende Eltern. " * 40
                      for n in range(15))
    new = old.replace("begleitet", "berät", 25) + "\n\n- neu\n" * 50
    started = time.process_time()
    rendered_diff.side_by_side(textdiff.compare(old, new))
    assert time.process_time() - started < 5  # generous: a guard against quadratic behaviour


def test_compare_page_shows_rendered_text_and_offers_the_source(client_as, people, agreements):
    agreement = agreements["draft"]
    workflow.save_version(agreement, base_number=1, text=TEXT.replace("Säuglingen", "Neugeborenen"),
                          change_note="x", author=people["coordinator"])
    client = client_as("member")
    page = client.get(f"/vereinbarungen/{agreement.id}/vergleich?von=1&bis=2").get_data(as_text=True)
    assert 'class="diff-rendered"' in page and "<h3>§ 1 Ziele</h3>" in page.split('class="diff-rendered"')[1]
    assert 'name="quelle"' in page
    source = client.get(f"/vereinbarungen/{agreement.id}/vergleich?von=1&bis=2&quelle=1").get_data(as_text=True)
    assert 'class="diff"' in source and "# § 1 Ziele" in source
