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
    total: int = 0  # every match the person may read
    listed: int = 0  # of them in the ranked list (the best MAX_CANDIDATES)
    counts: dict = field(default_factory=dict)  # kind name → matches the person may read
    hits: list = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.listed // PAGE_SIZE))

    def groups(self) -> list[tuple]:
        """The page's hits grouped by kind, groups in the order of their best hit."""
        grouped: dict[str, list] = {}
        for hit in self.hits:
            grouped.setdefault(hit.kind.name, []).append(hit)
        return [(KINDS[name], hits) for name, hits in grouped.items()]


def _matching(words: list[str]) -> tuple[str, str, list, list]:
    """The FROM … WHERE … of the documents matching `words` (every word, the last also as a prefix
    where text.typed_prefix says so), the expressions title_hit and score, and the parameters of
    each part, for this database."""
    typing = text.typed_prefix(words) is not None
    if is_sqlite():
        terms = [f'"{text.stem(word)}"' for word in words]
        if typing:
            terms[-1] += "*"
        match = " ".join(terms)
        return (f"FROM {INDEX_TABLE} JOIN search_document d ON d.id = {INDEX_TABLE}.rowid WHERE {INDEX_TABLE} MATCH ?",
                f"d.id IN (SELECT rowid FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH ?) AS title_hit, "
                f"bm25({INDEX_TABLE}, 10.0, 1.0) AS score", [match], [f"title : ({match})"])
    terms = [f"'{text.fold(word)}'" for word in words]
    query = " & ".join(terms[:-1] + [terms[-1] + (":*" if typing else "")])
    title_query = " & ".join([term + ":A" for term in terms[:-1]] + [terms[-1] + (":*A" if typing else ":A")])
    return (f"FROM {INDEX_TABLE} i JOIN search_document d ON d.id = i.document_id "
            f"WHERE i.vector @@ to_tsquery('german', {database.param})",
            f"i.vector @@ to_tsquery('german', {database.param}) AS title_hit, "
            f"-ts_rank(i.vector, to_tsquery('german', {database.param})) AS score", [query], [title_query, query])


def _candidates(words: list[str], role: str, kind: str | None):
    """The best MAX_CANDIDATES matches the role may read (or whose rule is to be asked again), of
    one kind when `kind` is given: filtered before the limit, so a kind's list is its own best."""
    matching, ranking, match_params, rank_params = _matching(words)
    p = database.param
    sql = (f"SELECT d.id, d.kind, d.object_id, d.readers, d.recheck_at, {ranking} {matching} "
           f"AND (d.readers LIKE {p} OR d.recheck_at <= {p})")
    params = rank_params + match_params + [f"% {role} %", utcnow()]
    if kind:
        sql += f" AND d.kind = {p}"
        params.append(kind)
    sql += f" ORDER BY title_hit DESC, score ASC, d.id LIMIT {p}"
    return database.execute_sql(sql, params + [MAX_CANDIDATES]).fetchall()


def _counts(words: list[str], person) -> dict[str, int]:
    """Matches per kind that the person may read, all of them: the role's documents counted by the
    database, those whose rule is to be asked again (few) asked here."""
    matching, _ranking, match_params, _rank_params = _matching(words)
    p = database.param
    readable = f"% {person.role} %"
    counts = dict(database.execute_sql(
        f"SELECT d.kind, COUNT(*) {matching} AND d.readers LIKE {p} GROUP BY d.kind",
        match_params + [readable]).fetchall())
    # Found by their recheck time (indexed, m0027; few or none are due), then matched: joined the
    # other way round, every match of a common word was read to find none. The unary + keeps
    # SQLite from looking the documents up by the matches' ids instead.
    again = database.execute_sql(
        f"SELECT due.id, due.kind, due.object_id, due.readers, due.recheck_at FROM search_document due "
        f"WHERE due.recheck_at <= {p} AND due.readers NOT LIKE {p} AND +due.id IN (SELECT d.id {matching})",
        [utcnow(), readable] + match_params).fetchall()
    for row in _rechecked(again, person):
        counts[row[1]] = counts.get(row[1], 0) + 1
    return counts


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
    results.counts = _counts(words, person)
    results.total = results.counts.get(kind, 0) if kind else sum(results.counts.values())
    rows = _rechecked(_candidates(words, person.role, kind), person)
    results.listed = len(rows)  # the best MAX_CANDIDATES at most: a longer list wants a narrower search
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
