"""The search documents: one row per searchable object, what a hit shows and who may see it.

The word index itself lives beside it, built for each database (see index.py): an FTS5 table
`search_index` on SQLite, a table `search_index` with a tsvector and a GIN index on PostgreSQL.
"""
import json

import peewee

from ..db import BaseModel, DateTimeField, utcnow


class SearchDocument(BaseModel):
    kind = peewee.CharField(max_length=30)
    object_id = peewee.IntegerField()
    title = peewee.CharField(max_length=300)
    context = peewee.CharField(max_length=300, default="")
    body = peewee.TextField(default="")
    endpoint = peewee.CharField(max_length=80)
    url_values = peewee.TextField(default="{}")
    # The roles the document's permission rule lets read it, as " coordinator member ".
    readers = peewee.CharField(max_length=80, default="")
    recheck_at = DateTimeField(null=True)
    owners = peewee.TextField(default="")  # " Meeting:3 AgendaItem:7 "
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "search_document"
        indexes = ((("kind", "object_id"), True),)

    @property
    def url_args(self) -> dict:
        return json.loads(self.url_values or "{}")
