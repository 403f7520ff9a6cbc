"""Prepare parsed releases for import, in this process or in worker processes.

Preparing is the CPU-bound, database-free part of an import: validating each release
(schema + rules), encoding its log entry (canonical JSON, RFC 8785) with its sha256, parsing
its date, and compiling + summarizing each new ocid. Work is split into chunks that keep an
ocid's releases together; results are merged back by release index, so the issues, entries
and compiled releases are the same whatever the number of workers.
Spec: https://standard.open-contracting.org/1.1/en/schema/merging/
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import forkserver
from typing import Any

from terbuka.canonical import canonical_json
from terbuka.ocds.issues import Issue
from terbuka.ocds.merge import compile_release
from terbuka.ocds.rules import parse_datetime
from terbuka.ocds.summary import ProcessSummary, summarize
from terbuka.ocds.validate import validate_release

# A log entry holds canonical {"kind":"ocds.release","release":R}; keys sort "kind" < "release",
# so R's canonical bytes sit between this prefix and the final "}" (one encoding serves both).
ENTRY_KIND = "ocds.release"
ENTRY_PREFIX = b'{"kind":"ocds.release","release":'
PRELOAD = ["terbuka.ocds.prepare"]


@dataclass
class Encoded:
    """Hold one valid release's log entry bytes, the sha256 of its canonical JSON, its date."""

    entry: bytes
    sha256: str
    date: datetime


@dataclass
class Prepared:
    """Hold what preparing releases found: issues and encodings by index, compiled by ocid."""

    issues: dict[int, list[Issue]] = field(default_factory=dict)
    encoded: dict[int, Encoded] = field(default_factory=dict)
    compiled: dict[str, tuple[dict[str, Any], ProcessSummary]] = field(default_factory=dict)

    def update(self, other: Prepared) -> None:
        """Add other's results (a disjoint chunk) to these."""
        self.issues.update(other.issues)
        self.encoded.update(other.encoded)
        self.compiled.update(other.compiled)

    def issue_list(self) -> list[Issue]:
        """Return every release issue in release index order (as a serial validation gives)."""
        return [i for index in sorted(self.issues) for i in self.issues[index]]


def entry_encode(release: dict[str, Any]) -> tuple[bytes, str]:
    """Return release's log entry bytes and the sha256 of its canonical JSON (one encoding).

    Example: {"id":"1"} → (b'{"kind":"ocds.release","release":{"id":"1"}}', sha256(b'{"id":"1"}')).
    """
    data = canonical_json({"kind": ENTRY_KIND, "release": release})
    assert data.startswith(ENTRY_PREFIX) and data.endswith(b"}")  # RFC 8785 key order
    return data, hashlib.sha256(memoryview(data)[len(ENTRY_PREFIX) : -1]).hexdigest()


def releases_prepare(
    items: Sequence[tuple[int, Any]], prefixes: Sequence[str] | None, new_ocids: frozenset[str]
) -> Prepared:
    """Return the issues of items (index, release), encode the valid ones, compile new ocids.

    An ocid of new_ocids is compiled (with its summary) only when all its releases in items
    are valid; items must hold all of that ocid's releases. Compile failures are left to the
    caller (the ocid is just missing from compiled), so errors surface the same everywhere.
    """
    prepared = Prepared()
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    broken: set[str] = set()
    for index, release in items:
        issues = validate_release(
            release, prefixes=prefixes, base=f"/releases/{index}", links=False
        )
        ocid = release.get("ocid") if isinstance(release, dict) else None
        if issues:
            prepared.issues[index] = issues
        if any(i.severity == "error" for i in issues):
            if isinstance(ocid, str):
                broken.add(ocid)
            continue
        date = parse_datetime(release["date"])
        assert date is not None  # validate_release rejects unparseable dates
        prepared.encoded[index] = Encoded(*entry_encode(release), date)
        groups[release["ocid"]].append((index, release))
    for ocid in sorted(set(groups) & new_ocids - broken):
        try:
            compiled = compile_release([r for _, r in sorted(groups[ocid], key=lambda p: p[0])])
            prepared.compiled[ocid] = (compiled, summarize(compiled))
        except Exception:  # the caller compiles again and raises it (same error as serial)
            continue
    return prepared


def chunks_by_ocid(releases: Sequence[Any], parts: int) -> list[list[tuple[int, Any]]]:
    """Return about parts chunks of (index, release), each ocid's releases in one chunk.

    Releases without a string ocid go to the first chunk. Example: 4 releases of ocids
    a, b, a, c in 2 parts → [[(0, a), (2, a)], [(1, b), (3, c)]].
    """
    groups: dict[Any, list[tuple[int, Any]]] = defaultdict(list)
    for index, release in enumerate(releases):
        ocid = release.get("ocid") if isinstance(release, dict) else None
        groups[ocid if isinstance(ocid, str) else None].append((index, release))
    size = max(1, -(-len(releases) // max(1, parts)))
    chunks: list[list[tuple[int, Any]]] = [[]]
    for key in sorted(groups, key=lambda k: (k is not None, k or "")):
        if len(chunks[-1]) >= size:
            chunks.append([])
        chunks[-1].extend(groups[key])
    return chunks


_POOL: tuple[int, ProcessPoolExecutor] | None = None


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Return a shared pool of workers processes (forkserver: they import only terbuka).

    The pool lives as long as this process, so repeated imports pay its start-up once.
    """
    global _POOL
    if _POOL is None or _POOL[0] != workers:
        if _POOL is not None:
            _POOL[1].shutdown()
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        _forkserver_start()
        _POOL = (workers, ProcessPoolExecutor(max_workers=workers, mp_context=context))
    return _POOL[1]


def _forkserver_start() -> None:
    """Start the fork server with this process's sys.path (Python 3.11 ignores it otherwise).

    Without it a fork server could import another checkout of terbuka than the caller's.
    """
    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    try:
        forkserver.ensure_running()
    finally:
        if previous is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = previous


def prepare_parallel(
    releases: Sequence[Any],
    prefixes: Sequence[str] | None,
    new_ocids: frozenset[str],
    *,
    workers: int,
) -> Prepared:
    """Return releases_prepare over all releases, computed by workers processes.

    The result equals releases_prepare(list(enumerate(releases)), prefixes, new_ocids).
    """
    chunks = chunks_by_ocid(releases, workers * 4)
    pool = worker_pool(workers)
    futures = [pool.submit(releases_prepare, c, prefixes, new_ocids) for c in chunks]
    prepared = Prepared()
    for future in futures:
        prepared.update(future.result())
    return prepared


def default_workers() -> int:
    """Return the default worker count: the machine's CPU count (1 when unknown)."""
    return os.cpu_count() or 1
