"""Add the Indonesian root forms of its words to every process's search_text.

Publishing now derives search_text with terbuka.words.with_root_forms, so that a search for
"aspal" finds "pengaspalan" (PostgreSQL matches word prefixes only); this brings the processes
published before up to date, in chunks. The reverse keeps the added words (harmless).
search_text_rewrite is also the loop of migration 0004.
"""

from django.db import migrations

from terbuka.ocds.summary import SEARCH_TEXT_LIMIT
from terbuka.words import with_root_forms

CHUNK = 2000


def search_text_rewrite(Process, derive, chunk=CHUNK, **where):
    """Set search_text = derive(search_text, compiled_release) on the processes matching where.

    Reads chunk rows at a time in primary-key order and writes only the rows that change, so
    that running it again changes nothing.
    """
    last = 0
    while True:
        rows = list(
            Process.objects.filter(pk__gt=last, **where)
            .order_by("pk")
            .values_list("pk", "search_text", "compiled_release")[:chunk]
        )
        if not rows:
            return
        changed = []
        for pk, text, compiled in rows:
            new = derive(text, compiled or {})
            if new != text:
                changed.append(Process(pk=pk, search_text=new))
        Process.objects.bulk_update(changed, ["search_text"], batch_size=500)
        last = rows[-1][0]


def add_root_forms(apps, schema_editor):
    search_text_rewrite(
        apps.get_model("contracting", "Process"),
        lambda text, compiled: with_root_forms(text)[:SEARCH_TEXT_LIMIT],
        chunk=CHUNK,
    )


class Migration(migrations.Migration):
    dependencies = [("contracting", "0002_release_immutable")]

    operations = [migrations.RunPython(add_root_forms, migrations.RunPython.noop)]
