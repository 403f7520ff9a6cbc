"""Drop the clear name and contact of cases, sealed by 0004 (its own transaction on PostgreSQL,
after the rows it updated)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0004_case_identity_sealed"),
    ]

    operations = [
        migrations.RemoveField(model_name="case", name="contact"),
        migrations.RemoveField(model_name="case", name="reporter_name"),
    ]
