"""Check /log/: the checkpoint and tiles as C2SP tlog-tiles lays them out, with cache headers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from terbuka.tlog.checkpoint import Checkpoint as CheckpointBody
from terbuka.tlog.cosignature import CosignatureSigner, generate_cosigner_key
from terbuka.tlog.errors import ProofError, SignatureError
from terbuka.tlog.note import Verifier
from terbuka.tlog.policy import Policy
from terbuka.tlog.proof import Receipt, check_receipt
from terbuka.tlog.tiles import format_entry_bundle
from terbuka_web.transparency.models import LogEntry, Tile, WitnessCosignature
from terbuka_web.transparency.selectors import entry_index_for, entry_index_of
from terbuka_web.transparency.services import log_sequence

pytestmark = pytest.mark.django_db
IMMUTABLE = "public, max-age=31536000, immutable"


def test_checkpoint_is_plain_text_never_cached(
    client: Client, log_verifier: Verifier, publish: Callable[[int], list[LogEntry]]
) -> None:
    assert client.get("/log/checkpoint").status_code == 404
    publish(3)
    checkpoint = log_sequence()
    response = client.get("/log/checkpoint")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response.content.decode() == checkpoint.note
    assert response.content.startswith(f"{log_verifier.name}\n3\n".encode())
    assert client.post("/log/checkpoint").status_code == 405


def test_tiles_full_immutable_partial_short_beyond_tree_404(
    client: Client, log_verifier: Verifier, publish: Callable[[int], list[LogEntry]]
) -> None:
    entries = publish(300)
    log_sequence()
    full = client.get("/log/tile/0/000")
    assert full.status_code == 200
    assert full["Cache-Control"] == IMMUTABLE
    assert full.content == bytes(Tile.objects.get(level=0, index=0).data)
    partial = client.get("/log/tile/0/001.p/44")
    assert partial.status_code == 200
    assert partial["Cache-Control"] == "public, max-age=60"
    assert len(partial.content) == 44 * 32
    narrower = client.get("/log/tile/0/001.p/10")  # an older reader's width: a prefix
    assert narrower.content == partial.content[: 10 * 32]
    level1 = client.get("/log/tile/1/000.p/1")
    assert level1.content == bytes(Tile.objects.get(level=1, index=0).data)
    for beyond in (
        "tile/0/001",
        "tile/0/001.p/45",
        "tile/0/002.p/1",
        "tile/1/000",
        "tile/2/000.p/1",
    ):
        assert client.get(f"/log/{beyond}").status_code == 404, beyond
    for bad in ("tile/0/1", "tile/0/001.p/0", "tile/0/001.p/256", "tile/x/000", "tile/0/x000/001"):
        assert client.get(f"/log/{bad}").status_code == 404, bad
    bundle = client.get("/log/tile/entries/001.p/44")
    assert bundle.content == format_entry_bundle([bytes(e.data) for e in entries[256:300]])
    assert client.get("/log/tile/entries/001.p/2").content == format_entry_bundle(
        [bytes(e.data) for e in entries[256:258]]
    )
    full_bundle = client.get("/log/tile/entries/000")
    assert full_bundle["Cache-Control"] == IMMUTABLE
    assert full_bundle.content == format_entry_bundle([bytes(e.data) for e in entries[:256]])
    assert client.get("/log/tile/entries/001").status_code == 404


def test_bundles_never_show_pending_entries(
    client: Client, log_verifier: Verifier, publish: Callable[[int], list[LogEntry]]
) -> None:
    """Bundles are assembled from sequenced rows only: pending entries are beyond the log."""
    entries = publish(260)
    log_sequence(batch_size=258)
    assert [entry_index_of(e.pk) for e in entries[257:]] == [257, None, None]
    assert client.get("/log/tile/entries/001.p/3").status_code == 404
    assert client.get("/log/tile/entries/001.p/2").content == format_entry_bundle(
        [bytes(e.data) for e in entries[256:258]]
    )
    log_sequence()
    assert client.get("/log/tile/entries/001.p/4").content == format_entry_bundle(
        [bytes(e.data) for e in entries[256:260]]
    )
    assert client.get("/log/tile/entries/001.p/5").status_code == 404


def test_receipt_proves_the_entry_under_the_log_policy(
    client: Client, log_verifier: Verifier, publish: Callable[[int], list[LogEntry]]
) -> None:
    entries = publish(700)
    log_sequence()
    assert client.get("/log/receipt/700").status_code == 404
    assert client.post("/log/receipt/0").status_code == 405
    policy = Policy.parse(f"log {log_verifier.vkey}\nquorum none\n")
    for entry in (entries[0], entries[300], entries[699]):
        index = entry_index_for(entry.ref)
        assert index is not None
        response = client.get(f"/log/receipt/{index}")
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-cache"
        receipt = Receipt.parse(response.content)
        checkpoint = check_receipt(receipt, bytes(entry.data), policy)
        assert (receipt.index, checkpoint.size) == (index, 700)
        with pytest.raises(ProofError):
            check_receipt(receipt, bytes(entries[1].data), policy)


def test_checkpoint_and_receipt_carry_witness_cosignatures(
    client: Client, log_verifier: Verifier, publish: Callable[[int], list[LogEntry]]
) -> None:
    entries = publish(3)
    checkpoint = log_sequence()
    skey, vkey = generate_cosigner_key("saksi.example")
    cosignature = CosignatureSigner.from_skey(skey).cosign(
        CheckpointBody(log_verifier.name, 3, bytes(checkpoint.root)).format(), 1_700_000_000
    )
    WitnessCosignature.objects.create(
        checkpoint=checkpoint,
        witness="W1",
        group="auditor",
        line=cosignature.line(),
        cosigned_at=timezone.now(),
    )
    publish(1)
    log_sequence()  # newer, not yet cosigned: receipts keep using the cosigned one
    policy = Policy.parse(f"log {log_verifier.vkey}\nwitness W1 {vkey}\nquorum W1\n")
    receipt = Receipt.parse(client.get("/log/receipt/2").content)
    assert check_receipt(receipt, bytes(entries[2].data), policy).size == 3
    latest = client.get("/log/checkpoint").content
    with pytest.raises(SignatureError):
        policy.verify_checkpoint(latest)  # size 4 has no cosignature yet
    assert Receipt.parse(client.get("/log/receipt/3").content).index == 3
