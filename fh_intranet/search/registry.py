"""The kinds of content search knows: one `register(Kind(...))` per kind, nothing else to change.

A kind says which model it indexes, how one object becomes a `Document` (its text, where it is
shown, which named permission rule decides who may read it) and under which heading its hits are
grouped. Writers need not know about search: `audit.record()` notes what a transaction touched,
and the index follows before the commit (see `index.reindex_touched`).
"""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

import peewee


@dataclass
class Document:
    """What the index holds about one object. `None` instead of a Document: not searchable."""
    title: str
    body: str = ""  # plain text (see text.plain_text for Markdown)
    context: str = ""  # a short line under the title: where it belongs, when
    endpoint: str = ""  # where a hit links to: url_for(endpoint, **url_values)
    url_values: dict = field(default_factory=dict)
    permission: str = ""  # a named rule of permissions.py, asked with `subject`
    subject: object = None
    # Objects whose change changes this document (its meeting, its agreement …): a change to them
    # reindexes it, and their deletion removes it.
    owners: tuple = ()
    # When the rule's answer may change by time alone (a meeting that will have taken place): the
    # index asks the rule again from then on, at search time. ASK_EACH_PERSON: the answer depends on
    # more than the role (a draft offering: its own organisation's people), so the rule is asked for
    # everyone whose role alone does not let them read it.
    recheck_at: datetime | None = None


ASK_EACH_PERSON = datetime(2000, 1, 1)  # a recheck time long past: asked at every search


@dataclass(frozen=True)
class Kind:
    name: str  # stored in the index and used in URLs (?art=agreement)
    model: type[peewee.Model]
    label: object  # a lazy string: the heading of its group of hits
    document: Callable[[peewee.Model], Document | None]
    order: int = 100  # order of the groups when ranks tie

    @property
    def object_type(self) -> str:
        return self.model.__name__  # what audit.record() notes for its objects


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.name in KINDS:
        raise ValueError(f"search kind {kind.name!r} is registered twice")
    KINDS[kind.name] = kind
    return kind


def kinds_for_type(object_type: str) -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.object_type == object_type]


def key(obj) -> str:
    """How an owner is named in the index: "Meeting:12"."""
    return f"{type(obj).__name__}:{obj.id}"
