"""A remote that rotates its log key or witness policy is never accepted silently: re-pin."""

from __future__ import annotations

import pytest

from terbuka.federation.errors import HarvestInputError, RemoteForkError, RemoteTrustError
from terbuka.tlog.cosignature import CosignatureSigner, generate_cosigner_key
from terbuka.tlog.note import Signer, generate_key
from terbuka_web.accounts.models import AuditEvent
from terbuka_web.federation.models import HarvestedRelease, Remote, RemoteAlert
from terbuka_web.federation.services import remote_harvest
from terbuka_web.transparency.models import LogEntry
from tests.web.federation.fake_remote import BASE, FakeRemote, release

pytestmark = pytest.mark.django_db


def harvested(remote: FakeRemote, **kw: object) -> int:
    return remote_harvest(url=BASE, fetch=remote.fetch, **kw).stored["ocds"]  # type: ignore[arg-type]


def rotated(remote: FakeRemote, origin: str = "kab.example/log") -> str:
    """Give remote a new log key (same history) and return its verifier key."""
    skey, remote.vkey = generate_key(origin)
    remote.signer, remote.origin = Signer.from_skey(skey), origin
    remote.sign()
    return remote.vkey


def test_a_rotated_key_is_refused_until_the_operator_re_pins_it() -> None:
    remote = FakeRemote()
    remote.publish([release(n) for n in range(3)])
    harvested(remote)
    old = remote.vkey
    new = rotated(remote)
    remote.publish([release(3)])
    with pytest.raises(RemoteTrustError) as caught:
        harvested(remote)
    assert caught.value.code == "federation_key"
    assert new in caught.value.message_en and "--pin --key" in caught.value.message_en
    assert "\n" not in caught.value.message_en and "\n" not in caught.value.message_id
    pinned = Remote.objects.get()
    assert (pinned.vkey, pinned.status, HarvestedRelease.objects.count()) == (old, "stopped", 3)
    assert RemoteAlert.objects.get().code == "federation_key"
    with pytest.raises(HarvestInputError, match="--pin"):
        harvested(remote, key=new)  # a new --key alone is refused
    with pytest.raises(RemoteTrustError):
        harvested(remote, pin=True)  # --pin without --key never takes another log key
    assert harvested(remote, pin=True, key=new) == 1
    pinned = Remote.objects.get()
    assert (pinned.vkey, pinned.status, pinned.last_size) == (new, "ok", 4)
    audit = AuditEvent.objects.get(action="federation:remote:repin")
    assert audit.data["old"] == old and audit.data["new"] == new
    (entry,) = LogEntry.objects.order_by("-id").values_list("data", flat=True)[:1]
    assert new.encode() in bytes(entry)  # the harvest entry records the key used
    remote.publish([release(4)])
    assert harvested(remote) == 1  # and later harvests go on with the new key


def test_a_changed_witness_policy_is_refused_until_re_pinned() -> None:
    remote = FakeRemote()
    remote.publish([release(0)])
    harvested(remote)
    skey, remote.witness_vkey = generate_cosigner_key("saksi-warga")
    remote.witness = CosignatureSigner.from_skey(skey)  # the consortium named another witness
    remote.publish([release(1)])
    with pytest.raises(RemoteTrustError) as caught:
        harvested(remote)
    assert caught.value.code == "federation_key" and "witness policy" in caught.value.message_en
    assert harvested(remote, pin=True) == 1
    assert Remote.objects.get().policy == remote.policy


def test_a_re_pinned_key_may_not_rewrite_history() -> None:
    remote = FakeRemote()
    remote.publish([release(n) for n in range(3)])
    harvested(remote)
    fork = FakeRemote()  # another history, signed with a new key
    fork.witness, fork.witness_vkey = remote.witness, remote.witness_vkey
    new = rotated(fork)
    fork.publish([release(n, "-fork") for n in range(4)])
    with pytest.raises(RemoteForkError):
        harvested(fork, pin=True, key=new)
    assert Remote.objects.get().vkey == remote.vkey  # nothing re-pinned
    assert HarvestedRelease.objects.count() == 3


def test_another_origin_is_another_log_not_a_rotation() -> None:
    remote = FakeRemote()
    remote.publish([release(0)])
    harvested(remote)
    new = rotated(remote, "kab-baru.example/log")
    with pytest.raises(HarvestInputError, match="new instance"):
        harvested(remote, pin=True, key=new)
