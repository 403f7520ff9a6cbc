"""A remote Terbuka built with the real tlog core, answered through a fetch function (no HTTP).

It holds OCDS releases as log entries, its tiles and entry bundles (C2SP tlog-tiles), a
checkpoint signed by its log key and cosigned by one witness, its tlog-policy and the
/api/ocds/releases and /api/budget/batches feeds (cursor = number of items already read).
"""

from __future__ import annotations

import hashlib
import json
import time
import urllib.parse
from typing import Any

from terbuka.canonical import canonical_json
from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.cosignature import CosignatureSigner, generate_cosigner_key
from terbuka.tlog.hashing import leaf_hash
from terbuka.tlog.note import Signer, generate_key, sign_note
from terbuka.tlog.tiles import (
    TILE_WIDTH,
    TileRef,
    append_leaves,
    bundles_for_size,
    format_entry_bundle,
    tile_path,
)
from terbuka.tlog.verify_source import HttpAnswer

BASE = "http://kab.example/"
FEEDS = {"api/ocds/releases": "releases", "api/budget/batches": "batches"}


def release(n: int, tag: str = "") -> dict[str, Any]:
    """Return a small OCDS release number n (tag makes a different history)."""
    return {
        "ocid": f"ocds-kab-{n:04d}",
        "id": f"ocds-kab-{n:04d}-tender{tag}",
        "date": f"2026-01-{n % 28 + 1:02d}T00:00:00Z",
        "tag": ["tender"],
        "buyer": {"id": "DPU", "name": "Dinas PU Kabupaten"},
        "tender": {"id": str(n), "title": f"Jalan desa {n}{tag}"},
    }


def batch(
    n: int, region: str, phase: str = "dpa", amounts: tuple[int, ...] = (100, 50)
) -> dict[str, Any]:
    """Return budget batch number n of region: one belanja line per amount, one pendapatan."""
    lines = [
        {"programme": "", "account": f"5.{i + 1}", "fungsi": "", "name": "", "amount": amount}
        for i, amount in enumerate(amounts)
    ]
    lines.append({"programme": "", "account": "4.1", "fungsi": "", "name": "", "amount": 7})
    entry = {
        "kind": "budget.batch",
        "batch": n,
        "type": "apbdes",
        "region": region,
        "agency": None,
        "year": 2026,
        "phase": phase,
        "semester": 0,
        "rows": len(lines),
        "total": sum(line["amount"] for line in lines),
        "sha256": hashlib.sha256(canonical_json(lines)).hexdigest(),
        "supersedes": [],
    }
    return {"entry": entry, "lines": lines}


class FakeRemote:
    """Hold one remote log and feed; `fetch` answers like `terbuka serve` would."""

    def __init__(self, origin: str = "kab.example/log") -> None:
        skey, self.vkey = generate_key(origin)
        self.signer = Signer.from_skey(skey)
        wskey, self.witness_vkey = generate_cosigner_key("saksi-warga")
        self.witness = CosignatureSigner.from_skey(wskey)
        self.origin = origin
        self.entries: list[bytes] = []
        self.releases: list[dict[str, Any]] = []
        self.batches: list[dict[str, Any]] = []
        self.tiles: dict[TileRef, bytes] = {}
        self.note = b""
        self.cosign = True
        self.files: dict[str, bytes] = {}
        self.sign()

    @property
    def policy(self) -> str:
        """Return the remote's policy file: its log key and one witness required."""
        return (
            f"log {self.vkey}\nwitness saksi-warga {self.witness_vkey}\n"
            "group warga 1 saksi-warga\nquorum warga\n"
        )

    def publish(self, releases: list[dict[str, Any]], *, logged: bool = True) -> None:
        """Publish releases on the feed; with logged, also append them to the log and sign."""
        self.releases += releases
        if logged:
            self.log([canonical_json({"kind": "ocds.release", "release": r}) for r in releases])

    def publish_budget(self, batches: list[dict[str, Any]], *, logged: bool = True) -> None:
        """Publish budget batches ({entry, lines}); with logged, also log their entries."""
        self.batches += batches
        if logged:
            self.log([canonical_json(b["entry"]) for b in batches])

    def log(self, entries: list[bytes]) -> None:
        """Append entries to the log, rewrite tiles and bundles, sign a new checkpoint."""
        new, _ = append_leaves(
            len(self.entries), [leaf_hash(e) for e in entries], lambda ref: self.tiles[ref]
        )
        self.tiles.update(new)
        self.entries += entries
        self.sign()

    def sign(self) -> None:
        """Sign (and cosign) a checkpoint of the current tree; refresh the served files."""
        _, root = append_leaves(0, [leaf_hash(e) for e in self.entries], lambda ref: b"")
        text = Checkpoint(self.origin, len(self.entries), root).format()
        note = sign_note(text, [self.signer])
        if self.cosign:
            note += self.witness.cosign(text, int(time.time())).line().encode()
        self.note = note
        self.files = {"log/checkpoint": note, "log/saksi/kebijakan.txt": self.policy.encode()}
        for ref, data in self.tiles.items():
            self.files["log/" + tile_path(ref)] = data
        for ref in bundles_for_size(len(self.entries)):
            start = ref.index * TILE_WIDTH
            bundle = format_entry_bundle(self.entries[start : start + ref.width])
            self.files["log/" + tile_path(ref)] = bundle

    def fetch(self, url: str) -> HttpAnswer:
        """Answer GET url as a Terbuka instance would."""
        assert url.startswith(BASE), url
        path = url.removeprefix(BASE)
        feed, _, query = path.partition("?")
        if feed in FEEDS:
            items = self.releases if feed == "api/ocds/releases" else self.batches
            return self._feed(items, feed, urllib.parse.parse_qs(query))
        body = self.files.get(path)
        if body is None:
            return HttpAnswer(404, "text/plain", b"not found")
        return HttpAnswer(200, "application/octet-stream", body)

    def _feed(self, items: list[Any], feed: str, query: dict[str, list[str]]) -> HttpAnswer:
        start = int(query.get("after", ["0"])[0])
        limit = int(query["limit"][0])
        page = items[start : start + limit]
        if not page:
            return HttpAnswer(204, "", b"")
        after = start + len(page)
        package = {
            FEEDS[feed]: page,
            "links": {"next": f"{BASE}{feed}?limit={limit}&after={after}"},
        }
        return HttpAnswer(200, "application/json", json.dumps(package).encode())
