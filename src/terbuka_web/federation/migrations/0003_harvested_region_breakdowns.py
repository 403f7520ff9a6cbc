"""Add HarvestedRegionBreakdown (each remote's spending by urusan, bidang and account group per
region, for the charts) and fill it from the current harvested batches of every remote and year,
with the rule harvesting now follows (terbuka_web.federation.budgets). The reverse drops it.
"""

import django.db.models.deletion
from django.db import migrations, models

from terbuka_web.federation.budgets import harvested_breakdowns_rebuild


def breakdowns_fill(apps, schema_editor):
    """Rebuild the breakdowns of every remote and year holding harvested batches."""
    budget = apps.get_model("federation", "HarvestedBudget")
    for remote_id, year in sorted(set(budget.objects.values_list("remote_id", "year"))):
        harvested_breakdowns_rebuild(
            remote_id=remote_id,
            year=year,
            budget_model=budget,
            breakdown_model=apps.get_model("federation", "HarvestedRegionBreakdown"),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0002_harvested_budgets"),
    ]

    operations = [
        migrations.CreateModel(
            name="HarvestedRegionBreakdown",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("region", models.CharField(max_length=40)),
                ("year", models.PositiveSmallIntegerField()),
                ("by", models.CharField(max_length=8)),
                ("key", models.CharField(max_length=16)),
                ("phase", models.CharField(max_length=10)),
                ("amount", models.BigIntegerField(default=0)),
                ("lines", models.IntegerField(default=0)),
                (
                    "remote",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="region_breakdowns",
                        to="federation.remote",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["region", "year"], name="harvested_breakdown_year")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("remote", "region", "year", "by", "key", "phase"),
                        name="harvested_region_breakdown_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(breakdowns_fill, migrations.RunPython.noop),
    ]
