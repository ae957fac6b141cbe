"""An agreement's text, split into sections by its headings.

A section's anchor comes from its heading alone, so it stays the same while the heading stays,
whatever happens to the text of this or any other section.
"""
import re
from dataclasses import dataclass

HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
FENCE = re.compile(r"^(```|~~~)")
PREAMBLE = "s-einleitung"
TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


@dataclass(frozen=True)
class Section:
    anchor: str
    heading: str  # "" for the text before the first heading
    level: int
    body: str


SLUG_MAX = 100  # a comment keeps its section's anchor in 120 characters, with room for "-2" and the like


def slug(heading: str) -> str:
    text = heading.translate(TRANSLITERATION).lower()
    # a long heading's beginning: the whole of one with 135 characters did not fit beside its
    # comments, and on PostgreSQL nobody could comment on its section
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:SLUG_MAX].rstrip("-")
    return f"s-{text or 'abschnitt'}"


def split(text: str) -> list[Section]:
    sections, heading, level, body, in_fence = [], "", 0, [], False
    seen: dict[str, int] = {}

    def close():
        content = "\n".join(body).strip("\n")
        if heading or content.strip():
            base = slug(heading) if heading else PREAMBLE
            seen[base] = seen.get(base, 0) + 1
            anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
            sections.append(Section(anchor, heading, level, content))

    for line in (text or "").splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line)
        if match:
            close()
            heading, level, body = match.group(2).strip(), len(match.group(1)), []
        else:
            body.append(line)
    close()
    return sections
