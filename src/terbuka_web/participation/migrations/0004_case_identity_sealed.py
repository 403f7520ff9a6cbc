"""Seal reporters' names and contacts (common.sealing, purpose "case-identity")."""

from typing import Any

from django.db import migrations, models

from terbuka_web.common.sealing import text_seal

IDENTITY = "case-identity"
CHUNK = 1000


def identities_seal(apps: Any, schema_editor: Any) -> None:
    """Seal each case's name and contact into the new fields, CHUNK rows per UPDATE."""
    Case = apps.get_model("participation", "Case")
    rows = Case.objects.exclude(reporter_name="", contact="").only("reporter_name", "contact")
    batch = []
    for case in rows.order_by("pk").iterator(chunk_size=CHUNK):
        case.reporter_name_sealed = text_seal(
            case.reporter_name, purpose=IDENTITY, field="reporter_name"
        )
        case.contact_sealed = text_seal(case.contact, purpose=IDENTITY, field="contact")
        batch.append(case)
        if len(batch) == CHUNK:
            Case.objects.bulk_update(batch, ["reporter_name_sealed", "contact_sealed"])
            batch = []
    Case.objects.bulk_update(batch, ["reporter_name_sealed", "contact_sealed"])


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0003_surveys"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="contact_sealed",
            field=models.BinaryField(default=b"", editable=False),
        ),
        migrations.AddField(
            model_name="case",
            name="reporter_name_sealed",
            field=models.BinaryField(default=b"", editable=False),
        ),
        migrations.RunPython(identities_seal, migrations.RunPython.noop),
    ]
