"""Make published releases immutable in the database itself: UPDATE of their content aborts.

Corrections are new releases (see contracting.services.stage_publish); this trigger makes an
accidental or malicious in-place edit fail on SQLite and PostgreSQL alike. Only the content
columns are guarded, so deleting the publishing user may still null published_by.
"""

from django.db import migrations

COLUMNS = "ocid, release_id, date, tags, stage, data, sha256, imported, process_id"

SQLITE = [
    f"""CREATE TRIGGER contracting_release_immutable BEFORE UPDATE OF {COLUMNS}
    ON contracting_release BEGIN
    SELECT RAISE(ABORT, 'rilis yang terbit tidak dapat diubah / published releases are immutable');
    END;""",
]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS contracting_release_immutable;"]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION contracting_release_immutable() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'rilis yang terbit tidak dapat diubah / published releases are immutable';
    END; $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER contracting_release_immutable BEFORE UPDATE OF {COLUMNS}
    ON contracting_release FOR EACH ROW EXECUTE FUNCTION contracting_release_immutable();""",
]
POSTGRES_UNDO = [
    "DROP TRIGGER IF EXISTS contracting_release_immutable ON contracting_release;",
    "DROP FUNCTION IF EXISTS contracting_release_immutable();",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("contracting", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO}),
        )
    ]
