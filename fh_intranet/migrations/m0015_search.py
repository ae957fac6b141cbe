"""Full-text search: the documents table and the word index of each database.

SQLite: an FTS5 table (unicode61 tokenizer without diacritics; the app stores Snowball stems).
PostgreSQL: a tsvector per document (german configuration) with a GIN index.
The index of the data that exists already is built by `db upgrade` after the migrations ran
(fh_intranet.search.index.rebuild), with today's code.
"""
import peewee


def upgrade(db):
    class SearchDocument(peewee.Model):
        kind = peewee.CharField(max_length=30)
        object_id = peewee.IntegerField()
        title = peewee.CharField(max_length=300)
        context = peewee.CharField(max_length=300, default="")
        body = peewee.TextField(default="")
        endpoint = peewee.CharField(max_length=80)
        url_values = peewee.TextField(default="{}")
        readers = peewee.CharField(max_length=80, default="")
        recheck_at = peewee.DateTimeField(null=True)
        owners = peewee.TextField(default="")
        updated_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "search_document"
            indexes = ((("kind", "object_id"), True),)

    db.create_tables([SearchDocument])
    if isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql("CREATE TABLE search_index ("
                       "document_id INTEGER PRIMARY KEY REFERENCES search_document (id) ON DELETE CASCADE, "
                       "vector TSVECTOR NOT NULL)")
        db.execute_sql("CREATE INDEX search_index_vector ON search_index USING GIN (vector)")
    else:
        db.execute_sql("CREATE VIRTUAL TABLE search_index USING fts5("
                       "title, body, tokenize = 'unicode61 remove_diacritics 2')")
