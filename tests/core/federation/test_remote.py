"""Core checks of federation: URLs, policy pinning, checkpoint verification (no Django)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.web.federation.fake_remote import BASE, FakeRemote, release

from terbuka.federation.errors import HarvestInputError, RemoteForkError, RemoteTrustError
from terbuka.federation.feed import OcdsReleases, kind_get
from terbuka.federation.remote import (
    Seen,
    base_url_check,
    checkpoint_verify,
    log_source,
    policy_pin,
)
from terbuka.tlog.note import generate_key


@given(st.text(max_size=60))
def test_only_http_urls_are_accepted_and_end_in_a_slash(text: str) -> None:
    try:
        base = base_url_check(text)
    except HarvestInputError as exc:
        assert "http" in exc.message_id and "http" in exc.message_en
        return
    assert base.startswith(("http://", "https://")) and base.endswith("/")
    assert base_url_check(base) == base


def test_the_policy_pins_the_log_key_and_origin() -> None:
    remote = FakeRemote()
    text, vkey, origin = policy_pin(remote.policy.encode(), None)
    assert (text, vkey, origin) == (remote.policy, remote.vkey, "kab.example/log")
    assert policy_pin(remote.policy.encode(), remote.vkey)[1] == remote.vkey
    with pytest.raises(RemoteTrustError):
        policy_pin(remote.policy.encode(), generate_key("kab.example/log")[1])
    with pytest.raises(RemoteTrustError):
        policy_pin(b"log nonsense\n", None)


def test_verification_remembers_and_catches_rollback_and_fork() -> None:
    remote = FakeRemote()
    remote.publish([release(n) for n in range(5)])
    source = log_source(BASE, remote.fetch)
    first = checkpoint_verify(remote.note, source, remote.policy, Seen())
    assert first.checkpoint.size == 5 and first.cosigners == ("saksi-warga",)
    seen = Seen(5, first.checkpoint.root)
    remote.publish([release(5)])
    assert checkpoint_verify(remote.note, source, remote.policy, seen).checkpoint.size == 6
    with pytest.raises(RemoteForkError, match="smaller"):
        checkpoint_verify(remote.note, source, remote.policy, Seen(7, first.checkpoint.root))
    with pytest.raises(RemoteForkError, match="FORK"):
        checkpoint_verify(remote.note, source, remote.policy, Seen(6, first.checkpoint.root))
    with pytest.raises(RemoteForkError, match="FORK"):
        checkpoint_verify(remote.note, source, remote.policy, Seen(3, first.checkpoint.root))


def test_the_ocds_log_entry_is_the_canonical_wrapped_release() -> None:
    entry = OcdsReleases().entry({"ocid": "ocds-1", "id": "r1"})
    assert entry == b'{"kind":"ocds.release","release":{"id":"r1","ocid":"ocds-1"}}'
    assert kind_get("ocds").name == "ocds"
