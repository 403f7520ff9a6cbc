"""Services of the federation app: harvest a remote Terbuka, or stop and alert on a fork.

One harvest is: (outside any transaction) fetch and verify the remote's checkpoint and pull
the new items proved in its log (terbuka.federation.harvest), then ONE transaction storing
the items with their remote, the new checkpoint and cursor, and a local "federation.harvest"
log entry recording the remote checkpoint seen (never the remote's items as our own). A
verification failure writes only a RemoteAlert and the remote's "stopped" status: nothing of
that harvest is merged and what was harvested before stays.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from terbuka.errors import VerificationError
from terbuka.federation.errors import HarvestInputError
from terbuka.federation.feed import Fetch, fetch_default, kind_get
from terbuka.federation.harvest import Harvest, harvest_plan
from terbuka.federation.remote import POLICY_PATH, Seen, base_url_check, policy_pin
from terbuka.tlog.errors import UnavailableError
from terbuka_web.accounts.services import audit_record
from terbuka_web.federation.models import HarvestedRelease, Remote, RemoteAlert, RemoteStatus
from terbuka_web.transparency.services import entry_append

HARVEST_KIND = "federation.harvest"


@dataclass(frozen=True)
class HarvestOutcome:
    """Report one harvest: the remote, its checkpoint size, items stored and held back."""

    remote: Remote
    size: int
    stored: int
    held_back: int
    cosigners: tuple[str, ...]


def _remote_new(base: str, key: str | None, fetch: Fetch) -> Remote:
    """Return an unsaved Remote pinning base's policy (or --key); raise on an untrusted one."""
    answer = fetch(base + POLICY_PATH)
    if answer.status != 200:
        raise UnavailableError(
            f"kebijakan {base + POLICY_PATH} menjawab HTTP {answer.status}",
            f"policy {base + POLICY_PATH} answered HTTP {answer.status}",
            where=base + POLICY_PATH,
        )
    policy, vkey, origin = policy_pin(answer.body, key)
    return Remote(url=base, origin=origin, vkey=vkey, policy=policy)


def remote_harvest(
    *, url: str, key: str | None = None, kind: str = "ocds", fetch: Fetch = fetch_default
) -> HarvestOutcome:
    """Harvest the dataset kind of the Terbuka at url, verifying its log first.

    At the first harvest the remote's policy is pinned (with key, its log line must be that
    key). Raises HarvestInputError for a bad URL, key or kind (or a key differing from the
    pinned one); VerificationError subclasses (RemoteForkError, RemoteTrustError,
    RemoteFeedError, ProofError) after recording a RemoteAlert and stopping the remote;
    UnavailableError when the remote cannot be reached (nothing written).
    """
    base, dataset = base_url_check(url), kind_get(kind)
    remote = Remote.objects.filter(url=base).first()
    if remote is None:
        remote = _remote_new(base, key, fetch)
    elif key is not None and key.strip() != remote.vkey:
        raise HarvestInputError(
            f"--key berbeda dengan kunci yang disematkan untuk {remote.origin}: {remote.vkey}",
            f"--key differs from the key pinned for {remote.origin}: {remote.vkey}",
            where="--key",
        )
    seen = Seen(remote.last_size, bytes(remote.last_root) if remote.last_root else None)
    try:
        plan = harvest_plan(
            base,
            policy_text=remote.policy,
            seen=seen,
            cursor=str(remote.cursors.get(kind, "")),
            kind=dataset,
            fetch=fetch,
        )
    except VerificationError as exc:
        if remote.pk is not None:
            remote_stop(remote=remote, error=exc)
        raise
    stored = _harvest_store(remote, kind, plan)
    return HarvestOutcome(
        remote, plan.verified.checkpoint.size, stored, plan.held_back, plan.verified.cosigners
    )


@transaction.atomic
def remote_stop(*, remote: Remote, error: VerificationError) -> RemoteAlert:
    """Mark remote stopped and record error as an alert for admins (nothing else changes)."""
    Remote.objects.filter(pk=remote.pk).update(status=RemoteStatus.STOPPED)
    remote.status = RemoteStatus.STOPPED
    alert = RemoteAlert.objects.create(
        remote=remote, code=error.code, message_id=error.message_id, message_en=error.message_en
    )
    audit_record(
        actor=None,
        action="federation:remote:stop",
        target=remote.origin,
        data={"code": error.code, "url": remote.url},
    )
    return alert


def _release_row(remote: Remote, release: dict[str, Any], index: int) -> HarvestedRelease:
    """Return the row keeping one harvested release with its remote."""
    tender = release.get("tender") if isinstance(release.get("tender"), dict) else {}
    buyer = release.get("buyer") if isinstance(release.get("buyer"), dict) else {}
    return HarvestedRelease(
        remote=remote,
        ocid=str(release["ocid"])[:200],
        release_id=str(release.get("id", ""))[:200],
        release=release,
        log_index=index,
        title=str((tender or {}).get("title") or "")[:500],
        buyer=str((buyer or {}).get("name") or "")[:300],
        date=str(release.get("date") or "")[:40],
    )


@transaction.atomic
def _harvest_store(remote: Remote, kind: str, plan: Harvest) -> int:
    """Store plan's items, checkpoint and cursor, and log the remote checkpoint seen."""
    checkpoint = plan.verified.checkpoint
    if remote.pk is not None:  # a harvest running at the same time may have stored a newer tree
        remote = Remote.objects.select_for_update().get(pk=remote.pk)
    grew = remote.pk is None or checkpoint.size != remote.last_size or bool(plan.items)
    if remote.pk is None or checkpoint.size >= remote.last_size:
        remote.last_size, remote.last_root = checkpoint.size, checkpoint.root
        remote.last_note = plan.verified.note.decode("utf-8", "replace")
        remote.cursors = {**remote.cursors, kind: plan.cursor}
    remote.status, remote.harvested_at = RemoteStatus.OK, timezone.now()
    remote.save()
    rows = [_release_row(remote, item, index) for item, index in plan.items]
    before = HarvestedRelease.objects.filter(remote=remote).count()
    HarvestedRelease.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    stored = HarvestedRelease.objects.filter(remote=remote).count() - before
    if grew:
        entry_append(
            kind=HARVEST_KIND,
            ref=remote.origin,
            payload={
                "harvest": {
                    "origin": checkpoint.origin,
                    "url": remote.url,
                    "size": checkpoint.size,
                    "root": base64.b64encode(checkpoint.root).decode("ascii"),
                    "items": stored,
                    "dataset": kind,
                }
            },
        )
    return stored
