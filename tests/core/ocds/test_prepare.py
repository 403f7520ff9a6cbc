"""Tests of terbuka.ocds.prepare: the same results in this process and in worker processes."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from terbuka.canonical import canonical_json
from terbuka.ocds.prepare import (
    chunks_by_ocid,
    entry_encode,
    prepare_parallel,
    releases_prepare,
    worker_pool,
)
from terbuka.ocds.validate import errors_only

FICTIONAL = (
    Path(__file__).resolve().parents[3].parent / "shared/ocds/sample-data/fictional-example/1.1"
)


def lifecycles(count: int) -> list[dict[str, Any]]:
    files = sorted(FICTIONAL.glob("ocds-213czf-000-00001-0*.json"))
    text = json.dumps([r for p in files for r in json.loads(p.read_text())["releases"]])
    return [
        r
        for k in range(1, count + 1)
        for r in json.loads(text.replace("ocds-213czf-000-00001", f"ocds-213czf-000-{k:05d}"))
    ]


def test_entry_encode_golden() -> None:
    data, digest = entry_encode({"id": "1", "date": "2025-01-01T00:00:00Z"})
    assert data == b'{"kind":"ocds.release","release":{"date":"2025-01-01T00:00:00Z","id":"1"}}'
    assert digest == hashlib.sha256(b'{"date":"2025-01-01T00:00:00Z","id":"1"}').hexdigest()
    release = lifecycles(1)[0]
    assert entry_encode(release)[1] == hashlib.sha256(canonical_json(release)).hexdigest()


def test_chunks_keep_each_ocid_together_and_every_release_once() -> None:
    a, b, c = ({"ocid": o} for o in "abc")
    assert chunks_by_ocid([a, b, a, c], 2) == [[(0, a), (2, a)], [(1, b), (3, c)]]
    releases: list[Any] = [*lifecycles(5), "not an object", {"ocid": 7}]
    chunks = chunks_by_ocid(releases, 4)
    assert sorted(i for chunk in chunks for i, _ in chunk) == list(range(len(releases)))
    owners = {
        r["ocid"]: n for n, chunk in enumerate(chunks) for _, r in chunk if isinstance(r, dict)
    }
    for n, chunk in enumerate(chunks):
        assert all(owners[r["ocid"]] == n for _, r in chunk if isinstance(r, dict))
    assert [i for i, _ in chunks[0][:2]] == [30, 31]  # releases without an ocid come first


def test_parallel_preparation_equals_serial() -> None:
    releases: list[Any] = lifecycles(6)
    del releases[7]["date"]
    releases[20]["ocid"] = "bad"
    releases.append("not an object")
    new = frozenset(f"ocds-213czf-000-{k:05d}" for k in (1, 2, 3, 5))
    serial = releases_prepare(list(enumerate(releases)), ["ocds-213czf"], new)
    parallel = prepare_parallel(releases, ["ocds-213czf"], new, workers=2)
    assert parallel == serial
    errors = errors_only(parallel.issue_list())
    assert errors[0].pointer == "/releases/7" and errors[-1].pointer == "/releases/36"
    indices = [int(i.pointer.split("/")[2]) for i in parallel.issue_list()]
    assert indices == sorted(indices)
    assert sorted(parallel.compiled) == [f"ocds-213czf-000-0000{k}" for k in (1, 3, 5)]
    assert len(parallel.encoded) == len(releases) - 3


def test_workers_are_other_processes_without_django() -> None:
    pool = worker_pool(2)
    assert pool.submit(os.getpid).result() != os.getpid()
    assert pool.submit(eval, "'django' in __import__('sys').modules").result() is False
    assert pool.submit(eval, "'terbuka.ocds.prepare' in __import__('sys').modules").result()
