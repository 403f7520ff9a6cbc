"""Derive every published process's search_text again: dictionary roots and NPWPs.

Publishing now adds the roots PySastrawi finds in its dictionary (terbuka.words) instead of the
hand-made prefix stripper's candidates, whose noise ("kolah" from "sekolah") made searches for
such fragments find unrelated processes, and adds the 16-digit NPWP of every party so that a
search by NPWP finds its processes. search_text is derived from compiled_release alone
(terbuka.ocds.summary), so this recomputes it, in chunks of CHUNK by primary key, writing only
the rows that change: running it again changes nothing. The reverse keeps the new text.
"""

from django.db import migrations

from terbuka.ocds.summary import summarize

CHUNK = 2000


def derive_again(apps, schema_editor):
    Process = apps.get_model("contracting", "Process")
    last = 0
    while True:
        rows = list(
            Process.objects.filter(pk__gt=last, first_published_at__isnull=False)
            .order_by("pk")
            .values_list("pk", "search_text", "compiled_release")[:CHUNK]
        )
        if not rows:
            return
        changed = []
        for pk, text, compiled in rows:
            new = summarize(compiled or {}).search_text
            if new != text:
                changed.append(Process(pk=pk, search_text=new))
        Process.objects.bulk_update(changed, ["search_text"], batch_size=500)
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("contracting", "0003_search_text_root_forms")]

    operations = [migrations.RunPython(derive_again, migrations.RunPython.noop)]
