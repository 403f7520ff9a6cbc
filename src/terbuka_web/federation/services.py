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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from terbuka.errors import TerbukaError, VerificationError
from terbuka.federation.errors import HarvestInputError, RemoteKeyChangedError, RemoteTrustError
from terbuka.federation.feed import Fetch, fetch_default, kind_get
from terbuka.federation.harvest import Harvest, harvest_plan
from terbuka.federation.remote import POLICY_PATH, Seen, base_url_check, policy_pin
from terbuka.tlog.verify_source import answer_body
from terbuka_web.accounts.services import audit_record
from terbuka_web.federation.budgets import budgets_store
from terbuka_web.federation.models import HarvestedRelease, Remote, RemoteAlert, RemoteStatus
from terbuka_web.transparency.services import entry_append

HARVEST_KIND = "federation.harvest"


@dataclass(frozen=True)
class HarvestOutcome:
    """Report one harvest: the remote, its checkpoint size, items stored per kind, held back."""

    remote: Remote
    size: int
    stored: dict[str, int]
    held_back: int
    cosigners: tuple[str, ...]


def _policy_fetch(base: str, fetch: Fetch) -> bytes:
    """Return the remote's tlog-policy file; raise UnavailableError when it is not served."""
    return answer_body(fetch(base + POLICY_PATH), base + POLICY_PATH)


def _pinned(base: str, key: str | None, pin: bool, fetch: Fetch) -> Remote:
    """Return the Remote of base with the policy to verify against (unsaved when new or re-pinned).

    New: pin the remote's policy (with key, its log line must be that key). pin: take the
    remote's current policy for a known remote, its log line being key (or the pinned key
    when no key is given). Otherwise a key other than the pinned one is refused.
    """
    remote = Remote.objects.filter(url=base).first()
    if remote is None:
        policy, vkey, origin = policy_pin(_policy_fetch(base, fetch), key)
        return Remote(url=base, origin=origin, vkey=vkey, policy=policy)
    if pin:
        policy, vkey, origin = policy_pin(_policy_fetch(base, fetch), key or remote.vkey)
        if origin != remote.origin:
            raise HarvestInputError(
                f"log {base} kini bernama {origin}, bukan {remote.origin}: log lain, bukan "
                "kunci yang diganti; panen sebagai instansi baru",
                f"the log at {base} is now named {origin}, not {remote.origin}: another log, "
                "not a rotated key; harvest it as a new instance",
                where="--pin",
            )
        remote.policy, remote.vkey = policy, vkey
    elif key is not None and key.strip() != remote.vkey:
        raise HarvestInputError(
            f"--key berbeda dengan kunci yang disematkan untuk {remote.origin}: {remote.vkey}; "
            "bila kunci itu diganti, periksa di luar jalur lalu tambahkan --pin",
            f"--key differs from the key pinned for {remote.origin}: {remote.vkey}; if it "
            "was rotated, check it out of band and add --pin",
            where="--key",
        )
    return remote


def _untrusted_why(remote: Remote, fetch: Fetch, error: RemoteTrustError) -> RemoteTrustError:
    """Return error, or a clearer one when the remote now serves another key or policy."""
    try:
        served = _policy_fetch(remote.url, fetch).decode("utf-8", "replace")
        _text, vkey, _origin = policy_pin(served.encode(), None)
    except TerbukaError:
        return error
    if vkey != remote.vkey:
        return RemoteKeyChangedError(
            f"kunci log {remote.origin} berganti menjadi {vkey}; tidak diterima diam-diam: "
            f"periksa di luar jalur lalu jalankan terbuka harvest {remote.url} --pin --key KUNCI",
            f"the log key of {remote.origin} changed to {vkey}; not accepted silently: check "
            f"it out of band, then run terbuka harvest {remote.url} --pin --key KEY",
            where=POLICY_PATH,
        )
    if served != remote.policy:
        return RemoteKeyChangedError(
            f"kebijakan saksi {remote.origin} berubah; tidak diterima diam-diam: periksa "
            f"keputusan konsorsium lalu jalankan terbuka harvest {remote.url} --pin",
            f"the witness policy of {remote.origin} changed; not accepted silently: check "
            f"the consortium's decision, then run terbuka harvest {remote.url} --pin",
            where=POLICY_PATH,
        )
    return error


def remote_harvest(
    *,
    url: str,
    key: str | None = None,
    kind: str | None = None,
    pin: bool = False,
    fetch: Fetch = fetch_default,
) -> HarvestOutcome:
    """Harvest the Terbuka at url (every dataset kind, or only kind), verifying its log first.

    At the first harvest the remote's policy is pinned (with key, its log line must be that
    key). pin re-pins a known remote's current policy after its operator checked the new log
    key (key) or witness policy out of band; the remembered tree still binds it. Raises
    HarvestInputError for a bad URL, key or kind (or a key differing from the pinned one
    without pin); VerificationError subclasses (RemoteForkError, RemoteTrustError — its
    RemoteKeyChangedError when the remote rotated its key or policy —, RemoteFeedError,
    ProofError) after recording a RemoteAlert and stopping the remote; UnavailableError when
    the remote cannot be reached (nothing written).
    """
    base = base_url_check(url)
    names = list(STORES) if kind is None else [kind_get(kind).name]
    if any(name not in STORES for name in names):
        raise HarvestInputError(
            f"jenis data {kind!r} belum dapat disimpan", f"kind {kind!r} cannot be stored yet"
        )
    remote = _pinned(base, key, pin, fetch)
    seen = Seen(remote.last_size, bytes(remote.last_root) if remote.last_root else None)
    try:
        plan = harvest_plan(
            base,
            policy_text=remote.policy,
            seen=seen,
            cursors={name: str(remote.cursors.get(name, "")) for name in names},
            kinds=[kind_get(name) for name in names],
            fetch=fetch,
        )
    except VerificationError as exc:
        error = _untrusted_why(remote, fetch, exc) if isinstance(exc, RemoteTrustError) else exc
        if remote.pk is not None:
            remote_stop(remote=remote, error=error)
        if error is exc:
            raise
        raise error from exc
    stored = _harvest_store(remote, plan, repinned=pin and remote.pk is not None)
    checkpoint = plan.verified.checkpoint
    return HarvestOutcome(remote, checkpoint.size, stored, plan.held_back, plan.verified.cosigners)


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
def _harvest_store(remote: Remote, plan: Harvest, *, repinned: bool) -> dict[str, int]:
    """Store plan's items per kind, the checkpoint and cursors; log the remote checkpoint seen.

    repinned: remote carries a re-pinned policy and key (saved, audited).
    """
    checkpoint = plan.verified.checkpoint
    if remote.pk is not None:  # a harvest running at the same time may have stored a newer tree
        pinned = (remote.policy, remote.vkey)
        remote = Remote.objects.select_for_update().get(pk=remote.pk)
        if repinned:
            audit_record(
                actor=None,
                action="federation:remote:repin",
                target=remote.origin,
                data={"url": remote.url, "old": remote.vkey, "new": pinned[1]},
            )
            remote.policy, remote.vkey = pinned
    any_items = any(pull.items for pull in plan.pulls.values())
    grew = remote.pk is None or checkpoint.size != remote.last_size or any_items or repinned
    if remote.pk is None or checkpoint.size >= remote.last_size:
        remote.last_size, remote.last_root = checkpoint.size, checkpoint.root
        remote.last_note = plan.verified.note.decode("utf-8", "replace")
        remote.cursors = {**remote.cursors, **{n: p.cursor for n, p in plan.pulls.items()}}
    remote.status, remote.harvested_at = RemoteStatus.OK, timezone.now()
    remote.save()
    stored = {name: STORES[name](remote, pull.items) for name, pull in plan.pulls.items()}
    if grew:
        entry_append(
            kind=HARVEST_KIND,
            ref=remote.origin,
            payload={
                "harvest": {
                    "origin": checkpoint.origin,
                    "url": remote.url,
                    "vkey": remote.vkey,
                    "size": checkpoint.size,
                    "root": base64.b64encode(checkpoint.root).decode("ascii"),
                    "items": stored,
                }
            },
        )
    return stored


def _releases_store(remote: Remote, items: list[tuple[dict[str, Any], int]]) -> int:
    """Store harvested releases (a release seen before is skipped); return how many are new."""
    rows = [_release_row(remote, item, index) for item, index in items]
    before = HarvestedRelease.objects.filter(remote=remote).count()
    HarvestedRelease.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return HarvestedRelease.objects.filter(remote=remote).count() - before


STORES: dict[str, Callable[[Remote, list[tuple[dict[str, Any], int]]], int]] = {
    "ocds": _releases_store,
    "budget": budgets_store,
}
