"""Derive every published process's search_text again: dictionary roots and NPWPs.

Publishing now adds the roots PySastrawi finds in its dictionary (terbuka.words) instead of the
hand-made prefix stripper's candidates, whose noise ("kolah" from "sekolah") made searches for
such fragments find unrelated processes, and adds the 16-digit NPWP of every party so that a
search by NPWP finds its processes. search_text is derived from compiled_release alone
(terbuka.ocds.summary), so this recomputes it, CHUNK rows at a time, writing only the rows that
change: running it again changes nothing. The reverse keeps the new text.
"""

from importlib import import_module

from django.db import migrations

from terbuka.ocds.summary import summarize

CHUNK = 2000
previous = import_module("terbuka_web.contracting.migrations.0003_search_text_root_forms")


def derive_again(apps, schema_editor):
    previous.search_text_rewrite(
        apps.get_model("contracting", "Process"),
        lambda text, compiled: summarize(compiled).search_text,
        chunk=CHUNK,
        first_published_at__isnull=False,
    )


class Migration(migrations.Migration):
    dependencies = [("contracting", "0004_confirmations")]

    operations = [migrations.RunPython(derive_again, migrations.RunPython.noop)]
