"""The full-text structures each database needs beside ``search_document``.

SQLite: an FTS5 table with the trigram tokenizer (rowid = product id). PostgreSQL: ``pg_trgm``,
a generated weighted ``tsvector`` (english + simple configs) with a GIN index, and trigram GIN
indexes for substring (Chinese) and similarity (typo) matching. Other vendors get neither and
are not supported by the search backends.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, keywords, body, stems, tokenize='trigram')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts"]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE search_document ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title_text), 'A')
        || setweight(to_tsvector('simple', title_text), 'A')
        || setweight(to_tsvector('english', keyword_text), 'B')
        || setweight(to_tsvector('simple', keyword_text), 'B')
        || setweight(to_tsvector('english', body_text), 'C')
    ) STORED""",
    "CREATE INDEX search_document_tsv_idx ON search_document USING GIN (search_tsv)",
    "CREATE INDEX search_document_title_trgm_idx ON search_document "
    "USING GIN (title_text gin_trgm_ops)",
    "CREATE INDEX search_document_short_trgm_idx ON search_document "
    "USING GIN (short_text gin_trgm_ops)",
    "CREATE INDEX search_document_body_trgm_idx ON search_document "
    "USING GIN (body_text gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_body_trgm_idx",
    "DROP INDEX IF EXISTS search_document_short_trgm_idx",
    "DROP INDEX IF EXISTS search_document_title_trgm_idx",
    "DROP INDEX IF EXISTS search_document_tsv_idx",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS search_tsv",
]  # pg_trgm stays: other tables may use it.


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
