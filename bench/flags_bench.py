"""Benchmark `terbuka flags compute`: every indicator over N generated compiled processes.

Generates N compiled releases of a Kabupaten's procurement (tenders with 1–6 bids, some
disqualified or late, Pengadaan/Penunjukan Langsung direct awards, contracts with
amendments, item classifications), writes them as JSON lines to a temporary file, then runs
the computation in a child process (reading and parsing included, all 14 indicators, as
`terbuka flags compute FILE` does without --settings) and reports processes per second (wall
clock, and per CPU-second, which a shared, loaded host disturbs less) and the child's peak
memory (max RSS).

Anchor: Cardinal (Rust) publishes no throughput figure in its documentation, README or
changelog, its PyPI wheel (ocdscardinal 0.0.8) exposes only `coverage`, and crates cannot be
fetched on this machine to build it, so the figures are Terbuka's alone.
Usage: python bench/flags_bench.py [--n 100000] [--seed 15]; ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

METHODS = [
    ("open", "Tender", 0.45),
    ("open", "Seleksi", 0.1),
    ("limited", "Pengadaan Langsung", 0.3),
    ("direct", "Penunjukan Langsung", 0.1),
    ("selective", "E-Purchasing", 0.05),
]
BUYERS = [f"ID-PEMDA-3522-{n:02d}" for n in range(40)]
SUPPLIERS = [f"ID-DJP-{n:09d}" for n in range(3000)]
SEGMENTS = ["45", "72", "30", "39", "43", "44", "50", "80", "85", "90"]


def _iso(day: int, hour: int = 10) -> str:
    return f"2026-{1 + day // 28:02d}-{1 + day % 28:02d}T{hour:02d}:00:00+07:00"


def _money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "IDR"}


def process(rng: random.Random, n: int) -> dict[str, Any]:
    """Return one compiled release with bids, an award and a contract."""
    method, details, _ = rng.choices(METHODS, weights=[m[2] for m in METHODS])[0]
    buyer = rng.choice(BUYERS)
    hps = rng.randrange(50, 5000) * 1_000_000
    start = rng.randrange(0, 300)
    tenderers = rng.sample(SUPPLIERS, 1 if method != "open" else rng.randint(1, 6))
    bids = []
    for tenderer in tenderers:
        status = rng.choices(["valid", "disqualified", "withdrawn"], weights=[75, 20, 5])[0]
        late = rng.random() < 0.03
        bids.append(
            {
                "id": f"{n}-{tenderer}",
                "date": _iso(start + (20 if late else rng.randrange(1, 14))),
                "status": status,
                "tenderers": [{"id": tenderer, "name": "CV Karya"}],
                "value": _money(int(hps * rng.uniform(0.8, 1.0))),
            }
        )
    valid = [b for b in bids if b["status"] == "valid"] or bids
    winner = min(valid, key=lambda b: b["value"]["amount"])
    award_value = winner["value"]["amount"]
    items = [
        {"id": "1", "classification": {"scheme": "UNSPSC", "id": rng.choice(SEGMENTS) + "000000"}}
    ]
    contract: dict[str, Any] = {"id": f"{n}-c", "awardID": f"{n}-a", "status": "active"}
    contract["value"] = _money(award_value)
    if rng.random() < 0.1:
        contract["amendments"] = [{"id": "1", "rationale": "Adendum pekerjaan tambah"}]
        contract["value"] = _money(int(award_value * rng.uniform(1.0, 1.2)))
    return {
        "ocid": f"ocds-213czf-3522-{n:07d}",
        "id": f"{n}-1",
        "date": _iso(start + 30),
        "buyer": {"id": buyer, "name": "Dinas"},
        "tender": {
            "id": str(n),
            "status": "complete" if rng.random() > 0.02 else "cancelled",
            "procurementMethod": method,
            "procurementMethodDetails": details,
            "procuringEntity": {"id": buyer},
            "numberOfTenderers": len(tenderers),
            "tenderPeriod": {"startDate": _iso(start), "endDate": _iso(start + rng.randint(3, 21))},
            "value": _money(hps),
        },
        "bids": {"details": bids},
        "awards": [
            {
                "id": f"{n}-a",
                "status": "active",
                "value": _money(award_value),
                "suppliers": winner["tenderers"],
                "items": items,
            }
        ],
        "contracts": [contract],
    }


def generate(path: Path, n: int, seed: int) -> float:
    """Write n processes to path, one JSON line each; return the file size in MB."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(json.dumps(process(rng, i), separators=(",", ":")) + "\n")
    return path.stat().st_size / 2**20


def child(path: str) -> None:
    """Compute every indicator over path; print seconds, counts and peak RSS as JSON."""
    from terbuka.flags.compute import flags_compute_lines
    from terbuka.flags.registry import settings_default

    started, cpu = time.perf_counter(), time.process_time()
    with open(path, "rb") as lines:
        results = flags_compute_lines(lines, settings_default(), source=path)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    flagged = {group: len(found) for group, found in results.items()}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "flagged": flagged,
                "peak_rss_mb": peak,
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "releases.jsonl"
        t0 = time.perf_counter()
        size = generate(path, args.n, args.seed)
        print(f"generated {args.n} processes ({size:.0f} MB) in {time.perf_counter() - t0:.1f} s")
        run = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            env={**os.environ, "PYTHONPATH": str(REPO / "src")},
            capture_output=True,
            text=True,
            check=True,
        )
    measured = json.loads(run.stdout)
    rate, cpu_rate = args.n / measured["seconds"], args.n / measured["cpu_seconds"]
    print(f"all 14 indicators: {measured['seconds']:.1f} s wall, {rate:,.0f} processes/s")
    print(f"  CPU {measured['cpu_seconds']:.1f} s, {cpu_rate:,.0f} processes per CPU-second")
    print(
        f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall time is shared)"
    )
    print(f"peak memory (child max RSS): {measured['peak_rss_mb']:.0f} MB")
    print(f"flagged identifiers per group: {measured['flagged']}")
    summary = {
        "bench": "flags_compute",
        "processes": args.n,
        "input_mb": round(size, 1),
        "seconds": round(measured["seconds"], 2),
        "processes_per_s": round(rate),
        "cpu_seconds": round(measured["cpu_seconds"], 2),
        "processes_per_cpu_s": round(cpu_rate),
        "load_average": round(os.getloadavg()[0], 1),
        "peak_rss_mb": round(measured["peak_rss_mb"], 1),
        "flagged": measured["flagged"],
        "cardinal_published_processes_per_s": None,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
