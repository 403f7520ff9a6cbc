"""Serve free-text search from PostgreSQL full-text search and add the per-year order index.

Both databases: a partial index in the portal's order per fiscal year (the common year filter
then reads 20 index entries instead of sorting thousands of rows). PostgreSQL only: a stored
generated column search_tsv = to_tsvector('simple', search_text) ('simple' because PostgreSQL
has no Indonesian stemmer) and a partial GIN index on it; PostgreSQL keeps the column current
on every write, so the Django model does not declare it (selectors.process_search queries it
with raw SQL). Adding the column rewrites the table once (about 2 s per 100k processes).
"""

from django.db import migrations

YEAR_ORDER = (
    "CREATE INDEX IF NOT EXISTS portal_process_year_order ON contracting_process "
    "(fiscal_year, last_published_at DESC, id DESC) WHERE first_published_at IS NOT NULL"
)
POSTGRES_FTS = [
    "ALTER TABLE contracting_process ADD COLUMN IF NOT EXISTS search_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS portal_process_search_fts ON contracting_process "
    "USING gin (search_tsv) WHERE first_published_at IS NOT NULL",
]
POSTGRES_DROPS = [
    "DROP INDEX IF EXISTS portal_process_search_fts",
    "ALTER TABLE contracting_process DROP COLUMN IF EXISTS search_tsv",
]


def create(apps, schema_editor):
    statements = [YEAR_ORDER]
    if schema_editor.connection.vendor == "postgresql":
        statements += POSTGRES_FTS
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    statements = ["DROP INDEX IF EXISTS portal_process_year_order"]
    if schema_editor.connection.vendor == "postgresql":
        statements += POSTGRES_DROPS
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_search_indexes")]
    operations = [migrations.RunPython(create, drop)]
