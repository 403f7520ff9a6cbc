"""Benchmark Terbuka's OCDS pipeline against ocdskit on the same generated data, in one run.

Generates N realistic Indonesian releases (five stages per ocid: planning, tender, award,
contract, implementation), then times:
  import   package_import into a fresh SQLite database, in batches (validation included),
           compared with `ocdskit compile` on the exported package (ratio ocdskit/ours)
  compile  every record from the exported release package: ours (streamed, grouped by ocid)
           vs `ocdskit compile` (subprocess, same bundled 1.1.5 schema), run once on the
           generated package before our import and once on our export after our compile;
           ratios use the mean of the two (this shared host's speed drifts)
  export   release package + record package from the database (no CSV/XLSX), compared with
           the same ocdskit compile (ratio ocdskit/ours)
and peak memory (this process's max RSS; ocdskit's separately). Every compiled record is
compared with ocdskit's. Everything it writes (database, log key, exports) lives in one
temporary directory, removed at the end, also on failure. Prints figures, then one JSON line.
Usage: python bench/ocds_bench.py [--n 100000] [--batch 5000]
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
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

STAGES = ("planning", "tender", "award", "contract", "implementation")
METHODS = [("open", "Tender"), ("limited", "Pengadaan Langsung"), ("open", "Seleksi")]
CATEGORIES = ["goods", "works", "services"]
WORDS = "Rehabilitasi Pembangunan Pengadaan Pemeliharaan Jalan Jembatan Gedung Puskesmas Sekolah"
AGENCIES = ["Dinas Pekerjaan Umum", "Dinas Kesehatan", "Dinas Pendidikan", "RSUD Dr. Sosodoro"]


def rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Return the max resident set size so far (MB) of this process or its children."""
    return resource.getrusage(who).ru_maxrss / 1024


def organisation(rng: random.Random, role: str, n: int) -> dict[str, Any]:
    """Return a party with an NPWP-style identifier (organisations only, no citizens)."""
    name = f"CV Karya {rng.choice(WORDS.split())} {n}" if role != "buyer" else rng.choice(AGENCIES)
    pid = f"ID-DJP-{n:09d}" if role != "buyer" else f"ID-PEMDA-3522-{AGENCIES.index(name)}"
    return {
        "id": pid,
        "name": name,
        "identifier": {"scheme": "ID-DJP" if role != "buyer" else "ID-PEMDA", "id": pid[-9:]},
        "address": {"locality": "Bojonegoro", "region": "Jawa Timur", "countryName": "Indonesia"},
        "roles": [role] if role != "buyer" else ["buyer", "procuringEntity"],
    }


def process_releases(rng: random.Random, n: int) -> list[dict[str, Any]]:
    """Return the five stage releases of process n, dated in order."""
    ocid = f"ocds-tbk352-2025-{n:07d}"
    year = 2025
    begin = datetime(year, 1 + n % 6, 1 + n % 28, 8, tzinfo=timezone(timedelta(hours=7)))
    day = lambda d: (begin + timedelta(days=d)).isoformat()  # noqa: E731
    buyer = organisation(rng, "buyer", n)
    supplier = organisation(rng, "supplier", n)
    title = " ".join(rng.sample(WORDS.split(), 3)) + f" Paket {n}"
    amount = rng.randrange(50, 5000) * 1_000_000
    method, details = rng.choice(METHODS)
    value = {"amount": amount, "currency": "IDR"}
    items = [
        {
            "id": str(i),
            "description": f"{rng.choice(WORDS.split())} tahap {i}",
            "classification": {"scheme": "CPV", "id": f"4523{i:04d}", "description": "Konstruksi"},
            "quantity": rng.randrange(1, 50),
            "unit": {"name": "paket", "value": {"amount": amount // 3, "currency": "IDR"}},
        }
        for i in range(1, 4)
    ]
    doc = lambda kind, d: {  # noqa: E731
        "id": f"{ocid}-{kind}",
        "documentType": kind,
        "title": f"Dokumen {kind} {title}",
        "url": f"https://terbuka.bojonegorokab.go.id/dokumen/{ocid}/{kind}.pdf",
        "datePublished": day(d),
        "format": "application/pdf",
    }
    award = {
        "id": f"{ocid}-award-1",
        "title": title,
        "status": "active",
        "date": day(40),
        "value": value,
        "suppliers": [{"id": supplier["id"], "name": supplier["name"]}],
        "contractPeriod": {"startDate": day(45), "endDate": day(120)},
    }
    contract = {
        "id": f"{ocid}-contract-1",
        "awardID": award["id"],
        "title": title,
        "status": "active",
        "period": {"startDate": day(45), "endDate": day(120)},
        "value": value,
        "dateSigned": day(44),
        "items": items,
        "documents": [doc("contractSigned", 44)],
    }
    stage_data: list[dict[str, Any]] = [
        {
            "planning": {
                "rationale": f"Renja {year}: {title}",
                "budget": {
                    "id": f"DPA-{n}",
                    "description": "APBD Kabupaten Bojonegoro",
                    "amount": {"amount": amount * 11 // 10, "currency": "IDR"},
                    "project": title,
                    "projectID": f"RUP-{n}",
                },
                "documents": [doc("procurementPlan", 0)],
            }
        },
        {
            "tender": {
                "id": f"{ocid}-tender",
                "title": title,
                "description": f"Pekerjaan {title.lower()} di Kabupaten Bojonegoro",
                "status": "active",
                "procuringEntity": {"id": buyer["id"], "name": buyer["name"]},
                "items": items,
                "value": value,
                "procurementMethod": method,
                "procurementMethodDetails": details,
                "mainProcurementCategory": rng.choice(CATEGORIES),
                "tenderPeriod": {"startDate": day(10), "endDate": day(30)},
                "numberOfTenderers": 3,
                "documents": [doc("tenderNotice", 10)],
            }
        },
        {"awards": [award], "parties": [buyer, supplier]},
        {"contracts": [contract]},
        {
            "contracts": [
                {
                    "id": contract["id"],
                    "awardID": award["id"],
                    "implementation": {
                        "transactions": [
                            {
                                "id": f"SP2D-{n}-{t}",
                                "source": "https://sipd.kemendagri.go.id",
                                "date": day(60 + 20 * t),
                                "value": {"amount": amount // 2, "currency": "IDR"},
                                "payer": {"id": buyer["id"], "name": buyer["name"]},
                                "payee": {"id": supplier["id"], "name": supplier["name"]},
                            }
                            for t in range(2)
                        ]
                    },
                }
            ]
        },
    ]
    dates = [day(0), day(10), day(40), day(44), day(100)]
    releases = []
    for i, (stage, data) in enumerate(zip(STAGES, stage_data, strict=True)):
        release = {
            "ocid": ocid,
            "id": f"{ocid}-{i + 1:02d}-{stage}",
            "date": dates[i],
            "tag": [stage],
            "initiationType": "tender",
            "language": "id",
            "buyer": {"id": buyer["id"], "name": buyer["name"]},
            "parties": [buyer],
        }
        releases.append({**release, **data})
    return releases


def generate(n: int, seed: int = 7) -> Iterator[list[dict[str, Any]]]:
    """Yield per-process lists of releases totalling n releases."""
    rng = random.Random(seed)
    for p in range((n + 4) // 5):
        yield process_releases(rng, p)[: n - 5 * p]


def write_package(path: Path, n: int) -> None:
    """Write the n generated releases as one release package, streamed (flat memory)."""
    with open(path, "wb") as f:
        f.write(b'{"uri":"https://bench.example/p.json","version":"1.1","releases":[')
        first = True
        for releases in generate(n):
            for release in releases:
                f.write((b"" if first else b",") + json.dumps(release).encode())
                first = False
        f.write(b"]}")


def setup_django(db_path: Path) -> None:
    """Point Django at a fresh SQLite file and migrate it; its data directory (log key,
    media) is the file's directory, removed with it."""
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["TERBUKA_DATA_DIR"] = str(db_path.parent)
    os.environ.setdefault("TERBUKA_DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "terbuka_web.config.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def bench_import(n: int, batch: int) -> tuple[float, float]:
    """Import n releases in batches of ~batch; return wall and CPU seconds of the imports.

    Only package_import is timed: generating and formatting the packages is not.
    """
    from django.db import reset_queries

    from terbuka.ocds.package import PackageMeta, package_format, release_package
    from terbuka_web.accounts.models import Role, User
    from terbuka_web.contracting.imports import package_import

    admin = User.objects.create_user(username="bench-admin", role=Role.ADMIN)
    meta = PackageMeta(uri="https://bench.example/p.json", published_date="2025-12-31T00:00:00Z")
    pending: list[dict[str, Any]] = []
    elapsed = cpu = 0.0

    def flush() -> None:
        nonlocal elapsed, cpu
        data = package_format(release_package(pending, meta))
        start, cpu0 = time.perf_counter(), time.process_time()
        package_import(data=data, actor=admin, source_name="bench.json")
        elapsed += time.perf_counter() - start
        cpu += time.process_time() - cpu0
        pending.clear()
        reset_queries()  # DEBUG keeps every SQL statement otherwise

    for releases in generate(n):
        pending.extend(releases)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return elapsed, cpu


def compile_ours(path: Path, out: Path) -> tuple[float, float, int]:
    """Stream the release package at path, compile each ocid's releases, write JSON lines.

    Returns wall seconds, CPU seconds and the number of compiled releases.
    """
    import ijson

    from terbuka.ocds.merge import compile_release
    from terbuka.ocds.package import group_by_ocid

    start, cpu = time.perf_counter(), time.process_time()
    count = 0
    with open(path, "rb") as src, open(out, "w", encoding="utf-8") as dst:
        releases = ijson.items(src, "releases.item", use_float=True)
        for group in group_by_ocid(releases):
            dst.write(json.dumps(compile_release(group), ensure_ascii=False) + "\n")
            count += 1
    return time.perf_counter() - start, time.process_time() - cpu, count


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def compile_ocdskit(path: Path, out: Path) -> tuple[float, float, int, float]:
    """Run `ocdskit compile` on path with the bundled schema under /usr/bin/time.

    Returns wall seconds, CPU seconds, output lines and ocdskit's own peak RSS (MB; measured
    by time(1) so the fork of this large process does not count).
    """
    schema = REPO / "src/terbuka/ocds/schema/release-schema.json"
    ocdskit = Path(sys.executable).with_name("ocdskit")
    command = ["/usr/bin/time", "-f", "%M", str(ocdskit), "compile", "--schema", str(schema)]
    start, cpu = time.perf_counter(), _cpu_children()
    with open(path, "rb") as src, open(out, "wb") as dst:
        done = subprocess.run(command, stdin=src, stdout=dst, stderr=subprocess.PIPE, check=True)
    seconds, cpu_seconds = time.perf_counter() - start, _cpu_children() - cpu
    with open(out, "rb") as f:
        lines = sum(1 for _ in f)
    peak_kb = int(done.stderr.decode().strip().splitlines()[-1])
    return seconds, cpu_seconds, lines, peak_kb / 1024


def records_differing(ours: Path, kit: Path) -> list[str]:
    """Return the ocids whose compiled release differs between two JSON-lines files (every
    record compared; one missing on either side counts)."""
    with open(kit, encoding="utf-8") as f:
        theirs = {r["ocid"]: r for r in map(json.loads, f)}
    differ = []
    with open(ours, encoding="utf-8") as f:
        for record in map(json.loads, f):
            if theirs.pop(record["ocid"], None) != record:
                differ.append(record["ocid"])
    return differ + sorted(theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ocds-bench-") as tmp:
        work = Path(tmp)
        write_package(work / "generated.json", args.n)  # ocdskit runs before and after ours:
        before = compile_ocdskit(work / "generated.json", work / "ocdskit-before.jsonl")
        (work / "generated.json").unlink()  # a shared host's speed drifts; the mean brackets
        setup_django(work / "bench.sqlite3")
        import_s, import_cpu = bench_import(args.n, args.batch)
        rss_import = rss_mb()
        print(
            f"import   {args.n} releases: {import_s:.1f} s wall, {import_cpu:.1f} s CPU"
            f" ({args.n / import_s:.0f} releases/s wall)"
        )

        from terbuka_web.contracting.exports import ocds_export

        start, cpu = time.perf_counter(), time.process_time()
        exported = ocds_export(out_dir=work / "export", flat=False)
        export_s, export_cpu = time.perf_counter() - start, time.process_time() - cpu
        rss_export = rss_mb()
        size_mb = exported.release_package.stat().st_size / 1e6
        print(
            f"export   {exported.releases} releases + {exported.records} records: {export_s:.1f} s"
            f" wall, {export_cpu:.1f} s CPU"
            f" (release package {size_mb:.0f} MB)"
        )

        ours_s, ours_cpu, ours_n = compile_ours(exported.release_package, work / "ours.jsonl")
        rss_ours = rss_mb()
        after = compile_ocdskit(exported.release_package, work / "ocdskit.jsonl")
        kit_n, kit_mb = after[2], max(before[3], after[3])
        kit_s, kit_cpu = (before[0] + after[0]) / 2, (before[1] + after[1]) / 2
        print(
            f"ocdskit  compile before our import {before[0]:.1f} s, after our compile"
            f" {after[0]:.1f} s; ratios use the mean"
        )
        differ = records_differing(work / "ours.jsonl", work / "ocdskit.jsonl")
        agree = ours_n == kit_n and not differ
        ratio, cpu_ratio = kit_s / ours_s, kit_cpu / ours_cpu
        print(
            f"compile  {ours_n} records: ours {ours_s:.1f} s wall / {ours_cpu:.1f} s CPU,"
            f" ocdskit {kit_s:.1f} s wall / {kit_cpu:.1f} s CPU"
        )
        print(
            f"         ratio ocdskit/ours {ratio:.2f} wall, {cpu_ratio:.2f} CPU (target >= 1.0);"
            f" all {ours_n} records agree: {agree}"
            + (f" (differ: {len(differ)}, first {differ[:3]})" if differ else "")
        )
        import_ratio, import_cpu_ratio = kit_s / import_s, kit_cpu / import_cpu
        print(
            f"import   ratio ocdskit compile/our import {import_ratio:.2f} wall,"
            f" {import_cpu_ratio:.2f} CPU (target >= 1.0)"
        )
        export_ratio, export_cpu_ratio = kit_s / export_s, kit_cpu / export_cpu
        print(
            f"export   ratio ocdskit compile/our export {export_ratio:.2f} wall,"
            f" {export_cpu_ratio:.2f} CPU (target >= 1.0)"
        )
        peak = max(rss_import, rss_export, rss_ours)
        print(f"memory   peak RSS ours {peak:.0f} MB (target < 500), ocdskit {kit_mb:.0f} MB")
    print(
        json.dumps(
            {
                "bench": "ocds",
                "releases": args.n,
                "records": ours_n,
                "import_s": round(import_s, 2),
                "import_cpu_s": round(import_cpu, 2),
                "import_releases_per_s": round(args.n / import_s),
                "import_ratio": round(import_ratio, 2),
                "import_cpu_ratio": round(import_cpu_ratio, 2),
                "export_s": round(export_s, 2),
                "export_cpu_s": round(export_cpu, 2),
                "export_ratio": round(export_ratio, 2),
                "export_cpu_ratio": round(export_cpu_ratio, 2),
                "compile_s": round(ours_s, 2),
                "compile_cpu_s": round(ours_cpu, 2),
                "ocdskit_compile_s": round(kit_s, 2),
                "ocdskit_compile_runs_s": [round(before[0], 2), round(after[0], 2)],
                "ocdskit_compile_cpu_s": round(kit_cpu, 2),
                "compile_ratio": round(ratio, 2),
                "compile_cpu_ratio": round(cpu_ratio, 2),
                "compile_outputs_agree": agree,
                "compile_records_compared": ours_n,
                "compile_records_differing": len(differ),
                "peak_rss_mb": round(peak),
                "ocdskit_peak_rss_mb": round(kit_mb),
            }
        )
    )


if __name__ == "__main__":
    main()
