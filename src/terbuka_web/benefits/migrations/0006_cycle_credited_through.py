"""Cycles keep how far they credited (credited_through, an item id) instead of a flag per item.

Items are credited in ascending id, in whole committed chunks, so the credited items of a
cycle are always those up to the highest credited id: that id becomes credited_through and
the flag goes (a chunk then writes one cycle row, not each of its items again). The cycle's
own index on cycle items goes too: the unique (cycle, registrant) serves lookups by cycle.
"""

from django.db import migrations, models
from django.db.models import Max


def through_set(apps, schema_editor):
    """Set each cycle's credited_through to the id of its last credited item (0: none)."""
    cycle_model = apps.get_model("benefits", "Cycle")
    item_model = apps.get_model("benefits", "CycleItem")
    last = item_model.objects.filter(credited=True).values("cycle_id").annotate(m=Max("id"))
    for row in last:
        cycle_model.objects.filter(pk=row["cycle_id"]).update(credited_through=row["m"])


def flags_set(apps, schema_editor):
    """Mark credited the items up to their cycle's credited_through (the way back)."""
    item_model = apps.get_model("benefits", "CycleItem")
    item_model.objects.filter(id__lte=models.F("cycle__credited_through")).update(credited=True)


class Migration(migrations.Migration):
    dependencies = [("benefits", "0005_rule_version_totals_basis")]

    operations = [
        migrations.AddField(
            model_name="cycle",
            name="credited_through",
            field=models.BigIntegerField(
                default=0,
                help_text="id of the last item credited: the cycle's items up to it are",
            ),
        ),
        migrations.RunPython(through_set, flags_set),
        migrations.RemoveField(model_name="cycleitem", name="credited"),
        migrations.AlterField(
            model_name="cycleitem",
            name="cycle",
            field=models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.PROTECT,
                related_name="items",
                to="benefits.cycle",
            ),
        ),
    ]
