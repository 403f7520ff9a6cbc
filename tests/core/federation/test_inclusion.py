"""Inclusion of harvested entries: the remote's log is read once per harvest, proofs checked."""

from __future__ import annotations

import pytest
from tests.web.federation.fake_remote import BASE, FakeRemote, release

from terbuka.canonical import canonical_json
from terbuka.errors import VerificationError
from terbuka.federation.inclusion import LogIndex
from terbuka.federation.remote import Seen, checkpoint_verify, log_source
from terbuka.tlog.verify_source import HttpAnswer


def entry(n: int) -> bytes:
    return canonical_json({"kind": "ocds.release", "release": release(n)})


def test_pages_of_a_log_of_several_bundles_read_each_bundle_once() -> None:
    remote = FakeRemote()
    remote.publish([release(n) for n in range(1000)])  # four entry bundles (256 each)
    bundles: list[str] = []

    def fetch(url: str) -> HttpAnswer:
        bundles.extend([url] if "/entries/" in url else [])
        return remote.fetch(url)

    source = log_source(BASE, fetch)
    index = LogIndex(
        checkpoint_verify(remote.note, source, remote.policy, Seen()).checkpoint, source
    )
    for start in range(0, 1000, 100):  # ten pages, as a harvest reads them
        wanted = [entry(n) for n in range(start, start + 100)]
        assert index.indices_of(wanted) == list(range(start, start + 100))
    assert len(bundles) == len(set(bundles)) == 4
    assert index.indices_of([entry(5), entry(2000)]) == [5, None]  # the missing one: no re-read
    assert len(bundles) == 4


def test_a_tile_that_does_not_lead_to_the_root_is_refused() -> None:
    remote = FakeRemote()
    remote.publish([release(n) for n in range(300)])
    source = log_source(BASE, remote.fetch)
    checkpoint = checkpoint_verify(remote.note, source, remote.policy, Seen()).checkpoint
    remote.files["log/tile/0/000"] = bytes(32) * 256  # a forged full hash tile
    with pytest.raises(VerificationError):
        LogIndex(checkpoint, source).indices_of([entry(3)])
