"""Benchmark inclusion proofs from tiles and a full audit of a tile log, against peers.

Builds an N-entry (default 1M) C2SP tlog-tiles log in memory (hash tiles and entry bundles
keyed by their tlog-tiles path), then measures, each side in its own process so that peak
RSS is its own:

* ours: append_leaves per 100k batch; inclusion proofs from tiles per second through
  TileHashReader (root-authenticated, cold and warm cache; and prove + check); a full
  audit (parse every entry bundle, re-hash every entry, rebuild every tile and the root,
  compare); peak RSS.
* tlog-scales (independent C2SP tlog-tiles reader) over the same in-memory tiles:
  inclusion proofs per second (it is cross-checked against ours on a few indexes).
* pymerkle 7 InmemoryTree (RFC 6962 hashing): build + root (its "audit"), inclusion proofs
  per second, peak RSS. It is run on a smaller N (default 100k) and the audit time is
  scaled linearly to N; the figures say so.

Usage: python bench/tlog_proofs.py [--n 1000000] [--proofs 20000] [--peer-n 100000]
Prints figures, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from terbuka.tlog import tiles, tree
from terbuka.tlog.hashing import leaf_hash

BATCH = 100_000


def entry(i: int) -> bytes:
    """Return a log entry of about 100 bytes, like a small canonical JSON event."""
    return b'{"kind":"bench.event","seq":%d,"agency":"dinas-%03d","amount":%d}' % (
        i,
        i % 997,
        i * 7919 % 1_000_000_007,
    )


class Clock:
    """Measure wall time and this process's CPU time (the machine may be shared)."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = -time.perf_counter(), -time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall += time.perf_counter()
        self.cpu += time.process_time()


def rss_mib() -> float:
    """Return this process's peak resident set size in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_log(n: int) -> tuple[dict[str, bytes], bytes, list[Clock]]:
    """Return an in-memory tile log of n entries (path → bytes), its root, append times."""
    store: dict[str, bytes] = {}
    times: list[Clock] = []
    root = b""

    def read_tile(ref: tiles.TileRef) -> bytes:
        return store[tiles.tile_path(ref)]

    for size in range(0, n, BATCH):
        batch = [entry(i) for i in range(size, min(n, size + BATCH))]
        hashes = [leaf_hash(e) for e in batch]
        with Clock() as clock:
            changed, root = tiles.append_leaves(size, hashes, read_tile)
        times.append(clock)
        for ref, data in changed.items():
            store[tiles.tile_path(ref)] = data
        new, w = size + len(batch), tiles.TILE_WIDTH
        for t in range(size // w, (new + w - 1) // w):  # the first may grow a partial bundle
            bundle = [entry(i) for i in range(t * w, min(new, (t + 1) * w))]
            store[tiles.entries_path(t, len(bundle))] = tiles.format_entry_bundle(bundle)
    return store, root, times


def audit(store: dict[str, bytes], n: int, root: bytes) -> bool:
    """Re-hash every entry from its bundle, rebuild every tile and the root, compare.

    Streams BATCH entries at a time through append_leaves, so memory stays bounded; each
    rebuilt tile is compared with the served one as soon as it is final.
    """
    built: dict[tiles.TileRef, bytes] = {}
    size, rebuilt, same = 0, b"", True
    bundles = tiles.bundles_for_size(n)
    per = BATCH // tiles.TILE_WIDTH
    for start in range(0, len(bundles), per):
        hashes: list[bytes] = []
        for ref in bundles[start : start + per]:
            data = store[tiles.tile_path(ref)]
            hashes += map(leaf_hash, tiles.parse_entry_bundle(data, ref.width))
        changed, rebuilt = tiles.append_leaves(size, hashes, built.__getitem__)
        size += len(hashes)
        for ref, data in changed.items():
            built[ref] = data  # partial tiles are compared when they are final, below
            if ref.width == tiles.TILE_WIDTH:
                same = same and store[tiles.tile_path(ref)] == data
                del built[ref]  # a full tile is never read again: the right edge is partial
    final = [ref for ref in tiles.tiles_for_size(n) if ref.width < tiles.TILE_WIDTH]
    same = same and all(store[tiles.tile_path(ref)] == built[ref] for ref in final)
    return rebuilt == root and size == n and same


def rate(fn: Any, items: list[int]) -> dict[str, int]:
    """Return calls of fn per second over items, by wall time and by CPU time."""
    with Clock() as clock:
        for x in items:
            fn(x)
    return {"wall": round(len(items) / clock.wall), "cpu": round(len(items) / clock.cpu)}


def seconds(clock: Clock) -> dict[str, float]:
    return {"wall": round(clock.wall, 3), "cpu": round(clock.cpu, 3)}


def side_ours(n: int, proofs: int) -> dict[str, Any]:
    """Measure our append, proofs from tiles and full audit; then tlog-scales on the same tiles."""
    with Clock() as build:
        store, root, times = build_log(n)
    rng = random.Random(1)
    indexes = [rng.randrange(n) for _ in range(proofs)]

    def read_tile(ref: tiles.TileRef) -> bytes:
        return store[tiles.tile_path(ref)]

    reader = tiles.TileHashReader(n, read_tile, root=root)
    cold = rate(lambda i: tree.prove_inclusion(n, i, reader), indexes)
    warm = rate(lambda i: tree.prove_inclusion(n, i, reader), indexes)
    leaves = {i: leaf_hash(entry(i)) for i in indexes}

    def prove_check(i: int) -> None:
        tree.check_inclusion(tree.prove_inclusion(n, i, reader), n, root, i, leaves[i])

    checked = rate(prove_check, indexes)
    with Clock() as audit_clock:
        ok = audit(store, n, root)
    mean = Clock()
    mean.wall = sum(c.wall for c in times) / len(times)
    mean.cpu = sum(c.cpu for c in times) / len(times)
    ours = {
        "n": n,
        "build_s": seconds(build),
        "append_batch": BATCH,
        "append_batch_s_mean": seconds(mean),
        "append_batch_s_max": seconds(max(times, key=lambda c: c.wall)),
        "proofs_per_s_cold": cold,
        "proofs_per_s_warm": warm,
        "prove_and_check_per_s": checked,
        "audit_s": seconds(audit_clock),
        "audit_ok": ok,
        "peak_rss_mib": round(rss_mib(), 1),
    }
    return {"ours": ours, "tlog_scales": side_tlog_scales(store, n, root, reader, indexes)}


def side_tlog_scales(
    store: dict[str, bytes], n: int, root: bytes, ours: tiles.TileHashReader, indexes: list[int]
) -> dict[str, Any]:
    """Measure tlog-scales inclusion proofs over the same in-memory tiles; cross-check ours."""
    from tlog_scales import reader

    class Memory:
        def get(self, *path: str) -> bytes | None:
            return store.get("/".join(path))

    peer = reader.TilesReader(Memory())
    peer.set_size(n)
    agree = peer.calculate_root_hash() == root and all(
        peer.get_inclusion_proof(i, n).node_hashes == tree.prove_inclusion(n, i, ours)
        for i in indexes[:50]
    )
    sample = indexes[: max(1, len(indexes) // 10)]
    return {
        "proofs_per_s": rate(lambda i: peer.get_inclusion_proof(i, n), sample),
        "proofs_measured": len(sample),
        "agrees_with_ours": agree,
    }


def side_pymerkle(n: int, proofs: int) -> dict[str, Any]:
    """Measure pymerkle: build the tree from all entries and take its root; proofs per second."""
    from pymerkle import InmemoryTree

    entries = [entry(i) for i in range(n)]
    with Clock() as build:
        peer = InmemoryTree(algorithm="sha256")
        for e in entries:
            peer.append_entry(e)
        root = peer.get_root()
    rng = random.Random(1)
    indexes = [rng.randrange(n) for _ in range(max(1, proofs // 4))]
    ok = root == tree.root_from_leaf_hashes([leaf_hash(e) for e in entries])
    return {
        "n": n,
        "audit_s": seconds(build),
        "proofs_per_s": rate(lambda i: peer.prove_inclusion(i + 1, n), indexes),
        "root_agrees_with_ours": ok,
        "peak_rss_mib": round(rss_mib(), 1),
    }


def run_side(side: str, n: int, proofs: int) -> dict[str, Any]:
    """Run one side in a fresh process and return its JSON result."""
    cmd = [sys.executable, __file__, "--side", side, "--n", str(n), "--proofs", str(proofs)]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--proofs", type=int, default=20_000)
    parser.add_argument("--peer-n", type=int, default=100_000)
    parser.add_argument("--side", choices=["ours", "pymerkle"])
    args = parser.parse_args()
    if args.side == "ours":
        print(json.dumps(side_ours(args.n, args.proofs)))
        return
    if args.side == "pymerkle":
        print(json.dumps(side_pymerkle(args.n, args.proofs)))
        return
    result = run_side("ours", args.n, args.proofs)
    ours, scales = result["ours"], result["tlog_scales"]
    pym = run_side("pymerkle", args.peer_n, args.proofs)
    scale = args.n / args.peer_n
    pym["audit_s_scaled_to_n"] = {k: round(v * scale, 3) for k, v in pym["audit_s"].items()}
    load = [round(x, 1) for x in os.getloadavg()]
    o, sc, pm = ours, scales, pym

    def ws(fig: dict[str, Any], unit: str = "s") -> str:
        return f"{fig['wall']:,} {unit} wall / {fig['cpu']:,} {unit} CPU"

    lines = [
        f"machine load average {load} (2 shared cores: CPU figures are the steadier ones)",
        f"ours, N={o['n']:,} entries (in-memory tile log):",
        f"  append_leaves per {BATCH:,}-leaf batch: mean {ws(o['append_batch_s_mean'])},"
        f" max {ws(o['append_batch_s_max'])}",
        f"  inclusion proofs from tiles (target >= 20,000/s):"
        f" cold {ws(o['proofs_per_s_cold'], '/s')}; warm {ws(o['proofs_per_s_warm'], '/s')}",
        f"  prove + check: {ws(o['prove_and_check_per_s'], '/s')}",
        f"  full audit (parse bundles, re-hash, rebuild tiles + root; target < 5 s):"
        f" {ws(o['audit_s'])}, ok={o['audit_ok']}",
        f"  peak RSS {o['peak_rss_mib']} MiB",
        f"peer tlog-scales 0.0.3 on the same tiles ({sc['proofs_measured']} proofs):"
        f" {ws(sc['proofs_per_s'], '/s')}, agrees={sc['agrees_with_ours']}",
        f"peer pymerkle 7 InmemoryTree at N={pm['n']:,} (a node object per hash, so a smaller N):",
        f"  build + root (its audit): {ws(pm['audit_s'])}; scaled linearly to N={args.n:,}:"
        f" {ws(pm['audit_s_scaled_to_n'])}; root agrees={pm['root_agrees_with_ours']}",
        f"  inclusion proofs (in memory, not from tiles): {ws(pm['proofs_per_s'], '/s')};"
        f" peak RSS {pm['peak_rss_mib']} MiB",
    ]
    print("\n".join(lines))
    print(
        json.dumps(
            {
                "bench": "tlog_proofs",
                "load_average": load,
                "ours": ours,
                "tlog_scales": scales,
                "pymerkle": pym,
            }
        )
    )


if __name__ == "__main__":
    main()
