"""Sequence by batches of id ranges instead of a per-entry index column (no row is updated).

The existing sequenced entries become one batch: they were indexed in id order, which this
migration checks (it refuses, saying why, if a pending entry sits below a sequenced one).
On PostgreSQL every insert into the outbox takes the append lock shared (statement trigger,
before any id is drawn), so the sequencer can wait out in-flight appends (services).
"""

import itertools

from django.db import migrations, models

from terbuka_web.transparency.batches import APPEND_LOCK_KEY, gaps_of

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION transparency_logentry_append_lock() RETURNS trigger AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock_shared({APPEND_LOCK_KEY});
      RETURN NULL;
    END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER transparency_logentry_append_lock BEFORE INSERT ON transparency_logentry
    FOR EACH STATEMENT EXECUTE FUNCTION transparency_logentry_append_lock();""",
]
POSTGRES_UNDO = [
    "DROP TRIGGER IF EXISTS transparency_logentry_append_lock ON transparency_logentry;",
    "DROP FUNCTION IF EXISTS transparency_logentry_append_lock();",
]


def _postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


def batches_from_indices(apps, schema_editor):
    """Turn the sequenced entries (index order = id order) into one batch; set last_id."""
    entry, batch, state = (
        apps.get_model("transparency", name) for name in ("LogEntry", "LogBatch", "LogState")
    )
    ids = list(
        entry.objects.filter(index__isnull=False).order_by("index").values_list("id", flat=True)
    )
    if not ids:
        return
    if (
        any(b <= a for a, b in itertools.pairwise(ids))
        or entry.objects.filter(index__isnull=True, id__lt=ids[-1]).exists()
    ):
        raise RuntimeError(
            "log entries were not sequenced in id order; convert this log by hand "
            "(see docs/log-sequencer.md) before migrating"
        )
    batch.objects.create(
        first_index=0, entries=len(ids), first_id=ids[0], last_id=ids[-1], gaps=gaps_of(ids)
    )
    state.objects.filter(pk=1).update(last_id=ids[-1])


class Migration(migrations.Migration):
    dependencies = [("transparency", "0007_logentry_one_ref_index")]

    operations = [
        migrations.CreateModel(
            name="LogBatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("first_index", models.BigIntegerField(unique=True)),
                ("entries", models.BigIntegerField(help_text="number of entries in the batch")),
                ("first_id", models.BigIntegerField()),
                ("last_id", models.BigIntegerField(unique=True)),
                ("gaps", models.JSONField(blank=True, default=list)),
            ],
            options={"ordering": ["first_index"]},
        ),
        migrations.AddField(
            model_name="logstate",
            name="last_id",
            field=models.BigIntegerField(default=0, help_text="id of the last sequenced entry"),
        ),
        migrations.RunPython(batches_from_indices, migrations.RunPython.noop),
        migrations.RemoveField(model_name="logentry", name="index"),
        migrations.RunPython(_postgres(POSTGRES), _postgres(POSTGRES_UNDO)),
    ]
