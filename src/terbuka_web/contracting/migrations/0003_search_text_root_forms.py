"""Add the Indonesian root forms of its words to every process's search_text.

Publishing now derives search_text with terbuka.words.with_root_forms, so that a search for
"aspal" finds "pengaspalan" (PostgreSQL matches word prefixes only); this brings the processes
published before up to date, in chunks. The reverse keeps the added words (harmless).
"""

from django.db import migrations

from terbuka.ocds.summary import SEARCH_TEXT_LIMIT
from terbuka.words import with_root_forms

CHUNK = 2000


def add_root_forms(apps, schema_editor):
    Process = apps.get_model("contracting", "Process")
    last = 0
    while True:
        rows = list(
            Process.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "search_text")[:CHUNK]
        )
        if not rows:
            return
        changed = []
        for pk, text in rows:
            new = with_root_forms(text)[:SEARCH_TEXT_LIMIT]
            if new != text:
                changed.append(Process(pk=pk, search_text=new))
        Process.objects.bulk_update(changed, ["search_text"], batch_size=500)
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("contracting", "0002_release_immutable")]

    operations = [migrations.RunPython(add_root_forms, migrations.RunPython.noop)]
