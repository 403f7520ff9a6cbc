"""Add the indexes public search needs on 100k processes.

Both databases: partial indexes in the portal's order (newest publication first), overall and
per agency. PostgreSQL only: pg_trgm and a trigram GIN index on UPPER(search_text), which
serves Django's icontains (UPPER(col) LIKE UPPER('%term%')); a no-op on SQLite.
"""

from django.db import migrations

ORDER_INDEXES = [
    "CREATE INDEX IF NOT EXISTS portal_process_public_order ON contracting_process "
    "(last_published_at DESC, id DESC) WHERE first_published_at IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS portal_process_agency_order ON contracting_process "
    "(agency_id, last_published_at DESC, id DESC) WHERE first_published_at IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS portal_release_harvest ON contracting_release (published_at, id)",
]
POSTGRES_INDEXES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS portal_process_search_trgm ON contracting_process "
    "USING gin (UPPER(search_text) gin_trgm_ops)",
]
DROPS = [
    "DROP INDEX IF EXISTS portal_process_public_order",
    "DROP INDEX IF EXISTS portal_process_agency_order",
    "DROP INDEX IF EXISTS portal_release_harvest",
]


def create(apps, schema_editor):
    statements = list(ORDER_INDEXES)
    if schema_editor.connection.vendor == "postgresql":
        statements += POSTGRES_INDEXES
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    statements = list(DROPS)
    if schema_editor.connection.vendor == "postgresql":
        statements.append("DROP INDEX IF EXISTS portal_process_search_trgm")
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("contracting", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
