"""Check /log/: the checkpoint and tiles as C2SP tlog-tiles lays them out, with cache headers."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings
from tests.web.transparency.cosigning import cosignature_store, witnesses_configure

from terbuka.tlog.checkpoint import Checkpoint as CheckpointBody
from terbuka.tlog.cosignature import CosignatureSigner, generate_cosigner_key
from terbuka.tlog.errors import ProofError, SignatureError
from terbuka.tlog.note import Verifier
from terbuka.tlog.policy import Policy
from terbuka.tlog.proof import Receipt, check_receipt
from terbuka.tlog.tiles import format_entry_bundle
from terbuka_web.transparency.models import Checkpoint, LogEntry, Tile, WitnessCosignature
from terbuka_web.transparency.selectors import entry_index_for, entry_index_of, log_witnessing
from terbuka_web.transparency.services import log_sequence

pytestmark = pytest.mark.django_db
IMMUTABLE = "public, max-age=31536000, immutable"
Publish = Callable[[int], list[LogEntry]]


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


def _log_history(settings: Settings, publish: Publish) -> list[Checkpoint]:
    """Sequence five checkpoints of sizes 1–5 under an auditor and a citizen witness: the 2nd
    cosigned by the auditor only, the 4th by both; 1st and 3rd intermediate, 5th waiting."""
    auditor, warga = witnesses_configure(settings, "auditor", "warga")
    checkpoints = []
    for _ in range(5):
        publish(1)
        checkpoints.append(log_sequence())
    cosignature_store(checkpoints[1], auditor, "auditor")
    cosignature_store(checkpoints[3], auditor, "auditor", at=1_780_000_100)
    cosignature_store(checkpoints[3], warga, "warga", at=1_780_000_200)
    return checkpoints


def test_log_page_explains_the_log_and_shows_the_latest_cosigned_checkpoint(
    client: Client, settings: Settings, publish: Publish
) -> None:
    checkpoints = _log_history(settings, publish)
    response = client.get("/log/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Log transparansi</h1>" in html
    latest = html.split('id="checkpoint"')[1].split("</section>")[0]
    assert "4 entri" in latest and "terpenuhi (final)" in latest
    assert "saksi-auditor.test</strong> (Auditor)" in latest
    assert "saksi-warga.test</strong> (Perwakilan warga)" in latest
    created = timezone.localtime(checkpoints[3].created_at)
    assert f'<time datetime="{created.isoformat()}">' in latest
    assert "Log kini berisi 5 entri" in latest  # the newer checkpoint, still waiting
    for link in ("/log/saksi/", "/log/saksi/kebijakan.txt", "/log/checkpoint"):
        assert f'href="{link}"' in html, link
    base = settings.TERBUKA["BASE_URL"].rstrip("/")
    assert f"terbuka verify {base}/log/ --policy kebijakan.txt" in html
    assert "terbuka verify --receipt tanda-terima.txt --file rilis.json" in html
    assert ".venv/bin/pip install ." in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/log/"})
    english = client.get("/log/").content.decode()
    assert "Latest checkpoint cosigned by the witnesses" in english
    assert "4 entries" in english and "Citizen representatives" in english


def test_log_page_before_any_cosignature_and_with_a_bad_configuration(
    client: Client, settings: Settings, publish: Publish
) -> None:
    witnesses_configure(settings)  # no witnesses: nothing waits for them, nothing is skipped
    publish(1)
    log_sequence()
    publish(1)
    log_sequence()
    for page in ("/log/", "/log/saksi/"):
        html = client.get(page).content.decode()
        assert "Belum ada saksi yang dikonfigurasi." in html, page
        assert "dimintakan tanda tangan" not in html and "checkpoint antara" not in html, page
    witnesses_configure(settings, "auditor")
    html = client.get("/log/").content.decode()
    assert "Belum ada checkpoint yang ditandatangani saksi." in html
    assert "Log kini berisi 2 entri" in html
    settings.TERBUKA = {**settings.TERBUKA, "WITNESSES": "[{"}
    for page in ("/log/", "/log/saksi/"):
        response = client.get(page)
        assert response.status_code == 503, page
        assert "TERBUKA_WITNESSES" in response.content.decode() and 'role="alert"' in (
            response.content.decode()
        )


def test_witness_page_shows_the_cosigned_checkpoints_and_explains_the_others(
    client: Client, settings: Settings, publish: Publish
) -> None:
    _log_history(settings, publish)
    html = client.get("/log/saksi/").content.decode()
    rows = re.findall(r'<tr role="row">(.*?)</tr>', html.split("<tbody")[1], re.S)
    assert [re.search(r"(\d+) entri", row).group(1) for row in rows] == ["4", "2"]  # type: ignore[union-attr]
    assert "<strong>ya</strong>" in rows[0] and "tidak ikut" not in rows[0]
    assert "saksi-warga.test: tidak ikut" in rows[1] and "<strong>ya</strong>" not in rows[1]
    assert "— belum" not in html  # an intermediate checkpoint is no missing cosignature
    assert "2 checkpoint antara tidak dikirim ke saksi" in html
    assert "Checkpoint terbaru (5 entri) sedang dimintakan tanda tangan saksi" in html
    assert "bukti konsistensi" in html
    assert 'data-label="Ditandatangani saksi"' in html  # a card on narrow screens


def test_log_witnessing_counts_what_it_does_not_list(settings: Settings, publish: Publish) -> None:
    checkpoints = _log_history(settings, publish)
    shown = log_witnessing(limit=1)
    assert [row.checkpoint.size for row in shown.cosigned] == [4]
    assert (shown.cosigned_total, shown.intermediate) == (2, 2)
    assert shown.waiting is not None and shown.waiting.size == 5
    signer = CosignatureSigner.generate("saksi-auditor.test")  # not a configured key: listed last
    cosignature_store(checkpoints[4], signer, "auditor")
    shown = log_witnessing()
    assert [row.checkpoint.size for row in shown.cosigned] == [5, 4, 2]
    assert (shown.waiting, shown.intermediate, shown.cosigned_total) == (None, 2, 3)
