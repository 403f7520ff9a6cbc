"""Add RegionBreakdown (spending by urusan, bidang and account group, maintained per region)
and fill it from the current lines of every year already published, with the rule publishing
now follows (terbuka_web.budget.breakdowns.region_breakdowns_rebuild). The reverse drops the table.
"""

import django.db.models.deletion
from django.db import migrations, models

from terbuka_web.budget.breakdowns import region_breakdowns_rebuild


def breakdowns_fill(apps, schema_editor):
    """Rebuild the breakdowns of every year holding lines, from the historical models."""
    line = apps.get_model("budget", "BudgetLine")
    batch = apps.get_model("budget", "BudgetBatch")
    for year in sorted(set(batch.objects.values_list("year", flat=True).distinct())):
        region_breakdowns_rebuild(
            year=year,
            line_model=line,
            breakdown_model=apps.get_model("budget", "RegionBreakdown"),
            region_model=apps.get_model("regions", "Region"),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0001_budget_lines_batches_totals"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegionBreakdown",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField()),
                ("by", models.CharField(max_length=8)),
                ("key", models.CharField(max_length=16)),
                (
                    "phase",
                    models.CharField(
                        choices=[
                            ("rka", "RKA"),
                            ("dpa", "DPA / APBDes"),
                            ("perubahan", "Perubahan (APBD-P)"),
                            ("realisasi", "Realisasi (LRA)"),
                        ],
                        max_length=10,
                    ),
                ),
                ("own_amount", models.BigIntegerField(default=0)),
                ("own_lines", models.IntegerField(default=0)),
                ("amount", models.BigIntegerField(default=0)),
                ("lines", models.IntegerField(default=0)),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="regions.region",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("region", "year", "by", "key", "phase"),
                        name="budget_breakdown_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(breakdowns_fill, migrations.RunPython.noop, elidable=True),
    ]
