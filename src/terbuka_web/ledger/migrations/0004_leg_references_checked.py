"""Check legs' references to their posting and account once per statement on PostgreSQL.

The foreign keys' per-row checks, each locking the referenced row, took half of a benefit
cycle's time in PostgreSQL (common.references). PostgreSQL gets statement-level triggers in
their place; SQLite keeps its foreign keys, so there only Django's state changes.
"""

import django.db.models.deletion
from django.db import migrations, models

from terbuka_web.common.references import Reference, references_check

REFERENCES = [
    Reference("ledger_leg", "posting_id", "ledger_posting"),
    Reference("ledger_leg", "account_id", "ledger_account"),
]


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_leg_posting_index_dropped")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="leg",
                    name="account",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="legs",
                        to="ledger.account",
                    ),
                ),
                migrations.AlterField(
                    model_name="leg",
                    name="posting",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="legs",
                        to="ledger.posting",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(*references_check(REFERENCES))],
        )
    ]
