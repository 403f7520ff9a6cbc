"""Check cycle items' references to their cycle and registrant once per statement on PostgreSQL.

The foreign keys' per-row checks, each locking the referenced row, took 7.3 s of a million
registrants' snapshot commit (common.references). PostgreSQL gets statement-level triggers in
their place, and refuses every DELETE of a registrant (the snapshot reads them without a lock);
SQLite keeps its foreign keys, so there only Django's state changes.
"""

import django.db.models.deletion
from django.db import migrations, models

from terbuka_web.common.references import Reference, references_check

REFERENCES = [
    Reference("benefits_cycleitem", "cycle_id", "benefits_cycle"),
    Reference("benefits_cycleitem", "registrant_id", "benefits_registrant"),
]


class Migration(migrations.Migration):
    dependencies = [("benefits", "0006_cycle_credited_through")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="cycleitem",
                    name="cycle",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="items",
                        to="benefits.cycle",
                    ),
                ),
                migrations.AlterField(
                    model_name="cycleitem",
                    name="registrant",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="benefits.registrant",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(
                    *references_check(REFERENCES, never_deleted=["benefits_registrant"])
                )
            ],
        )
    ]
