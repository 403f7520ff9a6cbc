"""Add a partial index in the portal's order per (stage reached, method).

Counting the matches of stage + method (up to the search's cap) then reads the index alone
instead of scanning ~25k rows, and the page query reads 20 entries instead of filtering the
public order; stage alone uses the index's prefix.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS portal_process_stage_method_order ON contracting_process "
    "(stage_reached, method, last_published_at DESC, id DESC) WHERE first_published_at IS NOT NULL"
)
DROP = "DROP INDEX IF EXISTS portal_process_stage_method_order"


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_search_fts")]
    operations = [migrations.RunSQL(CREATE, DROP)]
