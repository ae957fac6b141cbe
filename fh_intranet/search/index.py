"""Keeping the index in step: reindex what a write transaction touched, before it commits.

`db.write_transaction()` hands the (object_type, object_id) keys that `audit.record()` noted to
`reindex_touched`, inside the transaction: the change and its index entry are committed together
or not at all. Each touched key reindexes the object itself (if it is of a searchable kind) and
every document that names it as an owner (decisions follow their meeting, people their
organisation); an object that is gone takes its document with it.
"""
import json

from flask_babel import force_locale
from peewee import fn

from .. import permissions
from ..db import database, is_sqlite, utcnow
from ..people.models import ROLES
from . import text
from .models import SearchDocument
from .registry import KINDS, Document, key, kinds_for_type

INDEX_TABLE = "search_index"


def is_index_table(name: str) -> bool:
    """Tables that hold only what `rebuild()` derives from the data (SQLite's FTS5 shadow tables
    included): an installation with rows only there holds no data of its own."""
    return name in ("search_document", INDEX_TABLE) or name.startswith(f"{INDEX_TABLE}_")


class _RoleStandIn:
    """Asks a named rule "may a <role> read this?": reading rules depend on role and object only."""
    is_authenticated = True
    is_active = True
    id = None
    organisation_id = None

    def __init__(self, role: str):
        self.role = role


STAND_INS = [_RoleStandIn(role) for role in ROLES]


def readers_of(document: Document) -> str:
    allowed = [person.role for person in STAND_INS if permissions.can(document.permission, document.subject, person)]
    return f" {' '.join(allowed)} " if allowed else ""


# --- the word index, per database ------------------------------------------------------------

def _write_words(document_id: int, title: str, body: str) -> None:
    if is_sqlite():
        database.execute_sql(f"DELETE FROM {INDEX_TABLE} WHERE rowid = ?", (document_id,))
        database.execute_sql(f"INSERT INTO {INDEX_TABLE} (rowid, title, body) VALUES (?, ?, ?)",
                             (document_id, text.stemmed_text(title), text.stemmed_text(body)))
    else:
        database.execute_sql(
            f"INSERT INTO {INDEX_TABLE} (document_id, vector) VALUES (%s, "
            "setweight(to_tsvector('german', %s), 'A') || setweight(to_tsvector('german', %s), 'B')) "
            "ON CONFLICT (document_id) DO UPDATE SET vector = EXCLUDED.vector",
            (document_id, text.folded_text(title), text.folded_text(body)))


def _drop_words(document_ids: list[int]) -> None:
    if not document_ids:
        return
    column = "rowid" if is_sqlite() else "document_id"
    marks = ", ".join(["%s" if not is_sqlite() else "?"] * len(document_ids))
    database.execute_sql(f"DELETE FROM {INDEX_TABLE} WHERE {column} IN ({marks})", document_ids)


# --- documents -------------------------------------------------------------------------------

def _store(kind_name: str, object_id: int, document: Document | None) -> None:
    existing = SearchDocument.get_or_none(SearchDocument.kind == kind_name, SearchDocument.object_id == object_id)
    if document is None:
        if existing is not None:
            _drop_words([existing.id])
            existing.delete_instance()
        return
    values = {
        "title": document.title[:300],
        "context": document.context[:300],
        "body": document.body,
        "endpoint": document.endpoint,
        "url_values": json.dumps(document.url_values, sort_keys=True),
        "readers": readers_of(document),
        "recheck_at": document.recheck_at,
        "owners": f" {' '.join(key(owner) for owner in document.owners if owner is not None)} ",
        "updated_at": utcnow(),
    }
    if existing is None:
        existing = SearchDocument.create(kind=kind_name, object_id=object_id, **values)
    else:
        SearchDocument.update(values).where(SearchDocument.id == existing.id).execute()
    _write_words(existing.id, document.title, f"{document.context}\n{document.body}")


def _document(kind, obj) -> Document | None:
    # German: sector and kind labels in the index are the network's working language.
    with force_locale("de"):
        return kind.document(obj)


def reindex(kind_name: str, object_ids) -> None:
    """Bring the documents of these objects up to date (gone objects: documents removed)."""
    kind = KINDS[kind_name]
    object_ids = sorted(set(object_ids))
    for start in range(0, len(object_ids), 500):
        chunk = object_ids[start:start + 500]
        found = {obj.id: obj for obj in kind.model.select().where(kind.model.id.in_(chunk))}
        for object_id in chunk:
            obj = found.get(object_id)
            _store(kind.name, object_id, _document(kind, obj) if obj is not None else None)


def _owned_by(keys: list[tuple[str, int]]) -> dict[str, set[int]]:
    """The documents that name one of `keys` as an owner, by kind."""
    owned: dict[str, set[int]] = {}
    for start in range(0, len(keys), 50):
        chunk = keys[start:start + 50]
        condition = None
        for object_type, object_id in chunk:
            term = SearchDocument.owners.contains(f" {object_type}:{object_id} ")
            condition = term if condition is None else condition | term
        for row in SearchDocument.select(SearchDocument.kind, SearchDocument.object_id).where(condition):
            owned.setdefault(row.kind, set()).add(row.object_id)
    return owned


def reindex_touched(keys: list[tuple[str, int]]) -> None:
    """The BEFORE_COMMIT hook: every document the touched objects make or change."""
    todo: dict[str, set[int]] = {}
    for object_type, object_id in keys:
        for kind in kinds_for_type(object_type):
            todo.setdefault(kind.name, set()).add(object_id)
    for kind_name, ids in _owned_by(keys).items():
        todo.setdefault(kind_name, set()).update(ids)
    if not todo:
        return
    for kind_name, ids in todo.items():
        reindex(kind_name, ids)


def index_missing() -> dict[str, int]:
    """Objects of a searchable kind that have no document: a kind that came to search after the
    index was built (offerings did), also where a writer indexed a few of them before `db upgrade`
    ran. Found per kind by the documents' unique index; returns the documents added per kind."""
    added = {}
    for kind in KINDS.values():
        model = kind.model
        documented = SearchDocument.select(SearchDocument.id).where(
            SearchDocument.kind == kind.name, SearchDocument.object_id == model.id)
        ids = [row.id for row in model.select(model.id).where(~fn.EXISTS(documented))]
        if not ids:
            continue
        before = SearchDocument.select().where(SearchDocument.kind == kind.name).count()
        reindex(kind.name, ids)
        # objects without a document of their own (an anonymised person) stay so, and are asked again next time
        if count := SearchDocument.select().where(SearchDocument.kind == kind.name).count() - before:
            added[kind.name] = count
    return added


def rebuild() -> dict[str, int]:
    """Index everything anew (the CLI's search-reindex, seed-demo, the upgrade to m0015)."""
    counts = {}
    SearchDocument.delete().execute()
    database.execute_sql(f"DELETE FROM {INDEX_TABLE}")
    for kind in KINDS.values():
        reindex(kind.name, [row.id for row in kind.model.select(kind.model.id)])
        counts[kind.name] = SearchDocument.select().where(SearchDocument.kind == kind.name).count()
    return counts
