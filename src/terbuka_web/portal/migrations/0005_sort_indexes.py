"""Add partial indexes in the portal's other orders: value high/low and title.

Sorting the public processes by value or title (selectors.ORDERS) then reads the first page
from an index instead of sorting every public process (100k) per search: on PostgreSQL 100k,
value high first 327 → 6 ms, title 195 → 11 ms. SQLite indexes cannot say NULLS LAST; its
DESC order puts NULL last anyway, so only the value-low index is PostgreSQL's alone.
"""

from django.db import migrations

ORDERS = {
    "portal_process_value_desc_order": "value_idr DESC NULLS LAST, id DESC",
    "portal_process_value_asc_order": "value_idr ASC NULLS LAST, id DESC",
    "portal_process_title_order": "title, id DESC",
}


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, columns in ORDERS.items():
        if not postgres:
            if "ASC NULLS LAST" in columns:
                continue
            columns = columns.replace(" NULLS LAST", "")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON contracting_process ({columns}) "
            "WHERE first_published_at IS NOT NULL"
        )


def drop(apps, schema_editor):
    for name in ORDERS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_search_rank")]
    operations = [migrations.RunPython(create, drop)]
