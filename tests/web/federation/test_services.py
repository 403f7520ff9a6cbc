"""Harvest verification on the database (SQLite and PostgreSQL), against a core-built remote."""

from __future__ import annotations

import pytest
from django.test import Client

from terbuka.canonical import canonical_json
from terbuka.errors import VerificationError
from terbuka.federation.errors import (
    HarvestInputError,
    RemoteFeedError,
    RemoteForkError,
    RemoteTrustError,
)
from terbuka.tlog.note import generate_key
from terbuka_web.accounts.models import Role, User
from terbuka_web.federation.models import HarvestedRelease, Remote, RemoteAlert
from terbuka_web.federation.services import remote_harvest
from terbuka_web.transparency.models import LogEntry
from tests.web.federation.fake_remote import BASE, FakeRemote, release

pytestmark = pytest.mark.django_db


def harvest(remote: FakeRemote, **kw: str) -> tuple[int, int]:
    done = remote_harvest(url=BASE, fetch=remote.fetch, **kw)
    return sum(done.stored.values()), done.held_back


def test_first_harvest_pins_the_policy_and_keeps_the_origin() -> None:
    remote = FakeRemote()
    remote.publish([release(n) for n in range(3)])
    assert harvest(remote) == (3, 0)
    pinned = Remote.objects.get()
    assert (pinned.origin, pinned.vkey, pinned.last_size) == ("kab.example/log", remote.vkey, 3)
    assert pinned.policy == remote.policy and pinned.cursors == {"ocds": "3", "budget": ""}
    rows = list(HarvestedRelease.objects.order_by("log_index"))
    assert [r.log_index for r in rows] == [0, 1, 2] and {r.remote_id for r in rows} == {pinned.pk}
    assert rows[0].release == release(0) and rows[0].title == "Jalan desa 0"
    # this instance logs that it saw the remote checkpoint, never the remote's releases
    kinds = list(LogEntry.objects.values_list("kind", flat=True))
    assert kinds == ["federation.harvest"]


def test_harvest_again_takes_only_what_is_new_since_the_cursor() -> None:
    remote = FakeRemote()
    remote.publish([release(n) for n in range(2)])
    harvest(remote)
    remote.publish([release(n) for n in range(2, 300)])  # over one tile and one page
    assert harvest(remote) == (298, 0)
    assert harvest(remote) == (0, 0)
    assert HarvestedRelease.objects.count() == 300
    assert Remote.objects.get().last_size == 300
    assert LogEntry.objects.count() == 2  # nothing new: no third harvest entry


def test_a_release_not_yet_in_the_log_waits_for_the_next_harvest() -> None:
    remote = FakeRemote()
    remote.publish([release(0)])
    remote.publish([release(1)], logged=False)
    assert harvest(remote) == (1, 1)
    assert Remote.objects.get().cursors["ocds"] == ""  # the page is read again next time
    remote.log([canonical_json({"kind": "ocds.release", "release": release(1)})])
    assert harvest(remote) == (1, 0)
    assert Remote.objects.get().cursors["ocds"] == "2"
    assert HarvestedRelease.objects.count() == 2


def test_the_key_given_must_be_the_one_the_remote_names() -> None:
    remote = FakeRemote()
    remote.publish([release(0)])
    _, other = generate_key("kab.example/log")
    with pytest.raises(RemoteTrustError):
        harvest(remote, key=other)
    with pytest.raises(HarvestInputError):
        harvest(remote, key="not a key")
    assert not Remote.objects.exists()
    assert harvest(remote, key=remote.vkey) == (1, 0)


def test_a_checkpoint_without_the_witness_quorum_is_refused_with_an_alert() -> None:
    remote = FakeRemote()
    remote.publish([release(0)])
    harvest(remote)
    remote.cosign = False
    remote.publish([release(1)])
    with pytest.raises(RemoteTrustError):
        harvest(remote)
    assert HarvestedRelease.objects.count() == 1
    alert = RemoteAlert.objects.get()
    assert alert.code == "federation_trust" and Remote.objects.get().status == "stopped"


def forked(remote: FakeRemote, count: int) -> FakeRemote:
    """Return a remote with the same keys and origin but another history of count releases."""
    fork = FakeRemote()
    fork.signer, fork.vkey = remote.signer, remote.vkey
    fork.witness, fork.witness_vkey = remote.witness, remote.witness_vkey
    fork.publish([release(n, "-fork") for n in range(count)])
    return fork


@pytest.mark.parametrize("count", [2, 3, 5], ids=["rollback", "same-size", "longer"])
def test_a_forked_or_rolled_back_log_stops_the_harvest_and_merges_nothing(count: int) -> None:
    remote = FakeRemote()
    remote.publish([release(n) for n in range(3)])
    harvest(remote)
    before = list(HarvestedRelease.objects.values_list("release_id", flat=True))
    with pytest.raises(RemoteForkError) as caught:
        harvest(forked(remote, count))
    assert "FORK" in caught.value.message_en or "ROLLED BACK" in caught.value.message_en
    assert list(HarvestedRelease.objects.values_list("release_id", flat=True)) == before
    pinned = Remote.objects.get()
    assert (pinned.status, pinned.last_size) == ("stopped", 3)
    assert RemoteAlert.objects.get().code == "federation_fork"
    assert LogEntry.objects.count() == 1
    with pytest.raises(RemoteForkError):  # still stopped: the fork is refused every time
        harvest(forked(remote, count))
    assert harvest(remote) == (0, 0)  # the honest log again: harvesting resumes


def test_a_feed_release_that_differs_from_the_logged_one_is_never_stored() -> None:
    remote = FakeRemote()
    remote.publish([release(0)])
    remote.releases[0] = {**release(0), "tender": {"id": "0", "title": "Diubah"}}
    assert harvest(remote) == (0, 1)  # not in the log: held back, never stored
    assert not HarvestedRelease.objects.exists()


def test_a_malformed_feed_is_an_alert() -> None:
    remote = FakeRemote()
    remote.publish([release(0)])
    harvest(remote)
    remote.publish([release(1)])
    remote.releases[1] = {"no": "ocid"}
    with pytest.raises(RemoteFeedError):
        harvest(remote)
    assert RemoteAlert.objects.get().code == "federation_feed"


def test_a_bad_url_or_kind_is_a_clear_input_error() -> None:
    remote = FakeRemote()
    with pytest.raises(HarvestInputError, match="http"):
        remote_harvest(url="ftp://kab.example/", fetch=remote.fetch)
    with pytest.raises(HarvestInputError) as caught:
        remote_harvest(url=BASE, kind="anggaran", fetch=remote.fetch)
    assert "tidak dikenal" in caught.value.message_id and "unknown" in caught.value.message_en
    assert issubclass(RemoteForkError, VerificationError)


def test_pages_show_harvested_processes_with_their_origin(client: Client) -> None:
    remote = FakeRemote()
    remote.publish([release(n) for n in range(2)])
    harvest(remote)
    page = client.get("/federasi/?q=desa 1").content.decode()
    assert "Jalan desa 1" in page and "dari kab.example/log" in page
    assert "Jalan desa 0" not in page
    nul = client.get("/federasi/?q=desa%00")  # a NUL was a 500 on PostgreSQL
    assert nul.status_code == 200 and "Jalan desa 1" in nul.content.decode()
    search = client.get("/?q=Jalan").content.decode()
    assert "dari kab.example/log" in search
    assert client.get("/federasi/instansi/").status_code in (302, 403)


def test_admins_see_remotes_and_the_alert_of_a_stopped_harvest(client: Client) -> None:
    remote = FakeRemote()
    remote.publish([release(n) for n in range(2)])
    harvest(remote)
    with pytest.raises(RemoteForkError):
        harvest(forked(remote, 1))
    auditor = User.objects.create_user("auditor", password="Sandi-panjang-42", role=Role.AUDITOR)
    client.force_login(auditor)
    assert client.get("/federasi/instansi/").status_code == 403
    admin = User.objects.create_user("admin", password="Sandi-panjang-42", role=Role.ADMIN)
    client.force_login(admin)
    page = client.get("/federasi/instansi/").content.decode()
    assert "kab.example/log" in page and remote.vkey in page
    assert "MUNDUR" in page and "ROLLED BACK" in page and 'role="alert"' in page
