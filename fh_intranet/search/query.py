"""Running a search for one person: matching, permission filter, ranking, groups, paging.

The permission filter is part of the query: each document carries the roles its named rule lets
read it (computed when it was indexed). Documents whose rule may have changed by time alone
(`recheck_at` has passed) are asked the rule again here, for the person searching, before paging.
"""
from dataclasses import dataclass, field

from .. import permissions
from ..db import database, is_sqlite, utcnow
from . import text
from .index import INDEX_TABLE
from .models import SearchDocument
from .registry import KINDS

PAGE_SIZE = 20
MAX_CANDIDATES = 2000


@dataclass
class Hit:
    document: SearchDocument
    kind: object  # registry.Kind
    title_hit: bool
    title: object = None  # highlighted Markup
    snippet: object = None


@dataclass
class Results:
    query: str
    kind: str | None
    page: int
    total: int = 0
    counts: dict = field(default_factory=dict)  # kind name → hits the person may see
    hits: list = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    def groups(self) -> list[tuple]:
        """The page's hits grouped by kind, groups in the order of their best hit."""
        grouped: dict[str, list] = {}
        for hit in self.hits:
            grouped.setdefault(hit.kind.name, []).append(hit)
        return [(KINDS[name], hits) for name, hits in grouped.items()]


def _sqlite_candidates(words: list[str], role: str):
    terms = [f'"{text.stem(word)}"' for word in words]
    terms[-1] += "*"  # the word being typed
    match = " ".join(terms)
    sql = (f"SELECT d.id, d.kind, d.object_id, d.readers, d.recheck_at, "
           f"d.id IN (SELECT rowid FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH ?) AS title_hit, "
           f"bm25({INDEX_TABLE}, 10.0, 1.0) AS score "
           f"FROM {INDEX_TABLE} JOIN search_document d ON d.id = {INDEX_TABLE}.rowid "
           f"WHERE {INDEX_TABLE} MATCH ? AND (d.readers LIKE ? OR d.recheck_at <= ?)")
    params = [f"title : ({match})", match, f"% {role} %", utcnow()]
    sql += " ORDER BY title_hit DESC, score ASC, d.id LIMIT ?"
    return database.execute_sql(sql, params + [MAX_CANDIDATES]).fetchall()


def _postgresql_candidates(words: list[str], role: str):
    terms = [f"'{text.fold(word)}'" for word in words]
    query = " & ".join(terms[:-1] + [terms[-1] + ":*"])
    title_query = " & ".join([term + ":A" for term in terms[:-1]] + [terms[-1] + ":*A"])
    sql = (f"SELECT d.id, d.kind, d.object_id, d.readers, d.recheck_at, "
           f"i.vector @@ to_tsquery('german', %s) AS title_hit, "
           f"ts_rank(i.vector, to_tsquery('german', %s)) AS score "
           f"FROM {INDEX_TABLE} i JOIN search_document d ON d.id = i.document_id "
           f"WHERE i.vector @@ to_tsquery('german', %s) AND (d.readers LIKE %s OR d.recheck_at <= %s)")
    params = [title_query, query, query, f"% {role} %", utcnow()]
    sql += " ORDER BY title_hit DESC, score DESC, d.id LIMIT %s"
    return database.execute_sql(sql, params + [MAX_CANDIDATES]).fetchall()


def _rechecked(rows, person):
    """Rows let through by `recheck_at` only: ask the document's rule for this person now."""
    kept = []
    for row in rows:
        document_id, kind_name, object_id, readers, recheck_at = row[:5]
        if f" {person.role} " in (readers or ""):
            kept.append(row)
            continue
        kind = KINDS.get(kind_name)
        obj = kind.model.get_or_none(kind.model.id == object_id) if kind else None
        document = kind.document(obj) if obj is not None else None
        if document is not None and permissions.can(document.permission, document.subject, person):
            kept.append(row)
    return kept


def search(query: str, person, *, kind: str | None = None, page: int = 1) -> Results:
    kind = kind if kind in KINDS else None
    results = Results(query=query, kind=kind, page=max(1, page))
    words = text.query_words(query)
    if not words:
        return results
    candidates = _sqlite_candidates if is_sqlite() else _postgresql_candidates
    # All kinds at once: the per-kind counts are the filter links; the chosen kind is cut out after.
    rows = _rechecked(candidates(words, person.role), person)
    for row in rows:
        results.counts[row[1]] = results.counts.get(row[1], 0) + 1
    if kind:
        rows = [row for row in rows if row[1] == kind]
    results.total = len(rows)
    results.page = min(results.page, results.pages)
    start = (results.page - 1) * PAGE_SIZE
    page_rows = rows[start:start + PAGE_SIZE]
    documents = {d.id: d for d in SearchDocument.select().where(SearchDocument.id.in_([r[0] for r in page_rows] or [0]))}
    matcher = text.Matcher(query)
    for row in page_rows:
        document = documents.get(row[0])
        if document is None or document.kind not in KINDS:
            continue
        results.hits.append(Hit(document=document, kind=KINDS[document.kind], title_hit=bool(row[5]),
                                title=text.highlight(document.title, matcher),
                                snippet=text.snippet(document.body, matcher)))
    return results
