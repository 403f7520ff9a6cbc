"""Test that every decision, tally, minutes and dispute outcome verifies as included in the log
with `terbuka verify` (the core CLI, against an exported log), and re-verifies from its entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from terbuka.cli.main import main as terbuka_main
from terbuka.tlog.note import generate_key
from terbuka_web.governance.services import dispute_open, minutes_add, vote_cast
from terbuka_web.transparency.models import LogEntry
from terbuka_web.transparency.selectors import policy_current
from terbuka_web.transparency.services import entry_append, log_export, log_sequence

from .conftest import Seat, propose


def test_decisions_and_outcomes_verify_with_terbuka_verify(
    seats: list[Seat], settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    skey, _ = generate_key("test.terbuka.example/log")
    settings.TERBUKA = {
        **settings.TERBUKA,
        "LOG_ORIGIN": "test.terbuka.example/log",
        "LOG_KEY": skey,
    }
    entry_append(kind="release", ref="ocds-tbk352-9/r1", payload={"ocid": "ocds-tbk352-9"})
    dispute = dispute_open(
        opener="penyedia", record="ocds-tbk352-9/r1", description="Nama salah tulis."
    )
    resolve = propose(
        type="dispute_resolve",
        title="Selesaikan sengketa nama",
        payload={"dispute": dispute.code, "outcome": "Nama dibetulkan di rilis baru."},
    )
    for seat in seats[:4]:
        vote_cast(proposal=resolve, signed=seat.vote(resolve))
    minutes_add(actor=None, decision=resolve.decision, text="Notula: empat anggota setuju.")
    log_sequence()
    export = tmp_path / "ekspor"
    log_export(directory=export)
    policy = tmp_path / "kebijakan.txt"
    policy.write_text(policy_current())
    state = tmp_path / "state.json"
    for kind in ("decision", "governance.dispute.outcome", "governance.minutes", "governance.vote"):
        entry = LogEntry.objects.filter(kind=kind).first()
        assert entry is not None, kind
        record = tmp_path / f"{kind}.json"
        record.write_bytes(bytes(entry.data))
        args = ["verify", str(export), "--policy", str(policy), "--state", str(state)]
        assert terbuka_main([*args, "--file", str(record)]) == 0, capsys.readouterr()
        assert terbuka_main(["governance", "verify-decision", str(record)]) == (
            0 if kind == "decision" else 2
        )
    tampered = json.loads(LogEntry.objects.get(kind="decision").data)
    tampered["tally"]["no"] = 1
    record = tmp_path / "tampered.json"
    record.write_text(json.dumps(tampered))
    capsys.readouterr()
    assert terbuka_main(["verify", str(export), "--policy", str(policy), "--state", str(state),
                         "--file", str(record)]) == 1  # fmt: skip
