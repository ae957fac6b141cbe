"""A section's anchor is its heading's slug cut to 100 characters (agreements.sections.SLUG_MAX).

Comments kept the whole slug of a longer heading (on SQLite any length; PostgreSQL refused more than
120 characters): they would now stand under "Kommentare zu entfernten Abschnitten". Their anchors
are cut as the section's is now, with the number that tells two equal headings apart kept.
The slug is spelled out here as it was and is: a migration does not follow later code.
"""
import re

TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
SLUG_MAX = 100


def _whole_slug(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.translate(TRANSLITERATION).lower()).strip("-")


def upgrade(db):
    rows = db.execute_sql("SELECT id, section_anchor, section_heading FROM comment "
                          f"WHERE LENGTH(section_anchor) > {SLUG_MAX + 2}").fetchall()
    marker = db.param
    for comment_id, anchor, heading in rows:
        slug = _whole_slug(heading)
        whole = "s-" + (slug or "abschnitt")
        suffix = anchor[len(whole):] if anchor.startswith(whole) else ""
        cut = "s-" + (slug[:SLUG_MAX].rstrip("-") or "abschnitt")
        db.execute_sql(f"UPDATE comment SET section_anchor = {marker} WHERE id = {marker}", (cut + suffix, comment_id))
