"""Run one side of the crash test in its own process: `write N PER_TX ACK_FILE` or `dump OUT`.

write: publish entries e<k> (k continuing from what is already committed), PER_TX per
transaction (the first with entry_append, the rest with entry_append_many), until N are
committed; after each commit append the last k to ACK_FILE, so the test knows which entries
were certainly committed before a kill -9.
dump: write every entry, tile, entry bundle and the latest checkpoint as JSON to OUT.
The database comes from DATABASE_URL, the settings from the environment.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path


def write(total: int, per_tx: int, ack: Path) -> None:
    """Publish entries until total are committed, acknowledging each commit in ack."""
    from django.db import transaction

    from terbuka.canonical import canonical_json
    from terbuka_web.transparency.models import LogEntry
    from terbuka_web.transparency.services import entry_append, entry_append_many

    done = LogEntry.objects.filter(kind="crash").count()
    with ack.open("a", encoding="utf-8") as out:
        while done < total:
            last = min(done + per_tx, total)
            payloads = [(f"e{k}", {"k": k, "pad": "x" * 200}) for k in range(done, last)]
            with transaction.atomic():  # one entry_append, the rest in bulk, as importers do
                entry_append(kind="crash", ref=payloads[0][0], payload=payloads[0][1])
                entry_append_many(
                    kind="crash",
                    entries=[(r, canonical_json({"kind": "crash", **p})) for r, p in payloads[1:]],
                )
            out.write(f"{last - 1}\n")
            out.flush()
            done = last


def dump(out: Path) -> None:
    """Write the log's rows as JSON (bytes in base64) to out."""
    from terbuka.tlog.tiles import bundles_for_size
    from terbuka_web.transparency.models import Checkpoint, LogEntry, Tile
    from terbuka_web.transparency.selectors import entry_index_of, tile_read

    def b64(data: bytes | memoryview) -> str:
        return base64.b64encode(bytes(data)).decode()

    result = {
        "entries": [
            [ref, entry_index_of(entry_id), b64(data)]
            for entry_id, ref, data in LogEntry.objects.order_by("id")
            .values_list("id", "ref", "data")
            .iterator()
        ],
        "tiles": {
            f"{level}/{index}": b64(data)
            for level, index, data in Tile.objects.values_list("level", "index", "data")
        },
        "bundles": {
            str(ref.index): b64(tile_read(ref) or b"")
            for ref in bundles_for_size(Checkpoint.objects.latest().size)
        },
        "checkpoint": Checkpoint.objects.latest().note,
    }
    out.write_text(json.dumps(result), encoding="utf-8")


def main(argv: list[str]) -> None:
    """Set Django up and run the role named by argv[0]."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terbuka_web.config.settings")
    import django

    django.setup()
    if argv[0] == "write":
        write(int(argv[1]), int(argv[2]), Path(argv[3]))
    else:
        dump(Path(argv[1]))


if __name__ == "__main__":
    main(sys.argv[1:])
