"""Test re-verifying a decision entry with the core alone, and the offline governance CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from terbuka.cli.main import main
from terbuka.governance.decision import decision_verify
from terbuka.governance.errors import GovernanceError, VoteRefused
from terbuka.governance.keys import key_id_of, public_key_format
from terbuka.governance.proposal import proposal_hash
from terbuka.governance.quorum import DEFAULT_RULE
from terbuka.governance.vote import vote_sign

HASH = proposal_hash({"type": "charter_amend", "id": "p9"})
CLASSES = ["pemerintah", "auditor", "warga"]


def _entry() -> tuple[dict[str, Any], list[Ed25519PrivateKey]]:
    keys = [Ed25519PrivateKey.generate() for _ in CLASSES]
    members = {
        key_id_of(k.public_key().public_bytes_raw()): {
            "class": c,
            "public_key": public_key_format(k.public_key().public_bytes_raw()),
        }
        for k, c in zip(keys, CLASSES, strict=True)
    }
    votes = [vote_sign(k, HASH, "yes").format().decode() for k in keys[1:]]
    entry = {
        "kind": "decision",
        "proposal_hash": HASH,
        "rule": DEFAULT_RULE,
        "members": members,
        "recused": [],
        "votes": votes,
        "tally": {"yes": 2, "no": 0, "abstain": 0, "recused": 0},
    }
    return entry, keys


def test_a_valid_decision_verifies() -> None:
    entry, _ = _entry()
    assert decision_verify(entry).met


def test_a_wrong_tally_or_unmet_rule_or_recused_vote_fails() -> None:
    entry, keys = _entry()
    with pytest.raises(GovernanceError, match="differs from the votes"):
        decision_verify({**entry, "tally": {"yes": 3, "no": 0, "abstain": 0, "recused": 0}})
    with pytest.raises(GovernanceError, match="quorum not met"):
        decision_verify(
            {**entry, "votes": entry["votes"][:1], "tally": {**entry["tally"], "yes": 1}}
        )
    recused = key_id_of(keys[1].public_key().public_bytes_raw())
    with pytest.raises(VoteRefused, match="recused"):
        decision_verify({**entry, "recused": [recused]})
    with pytest.raises(VoteRefused, match="already voted"):
        decision_verify({**entry, "votes": entry["votes"] + entry["votes"][:1]})


def test_cli_keygen_sign_and_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "anggota.pem"
    assert main(["governance", "keygen", "--out", str(key)]) == 0
    assert key.stat().st_mode & 0o777 == 0o600
    assert main(["governance", "keygen", "--out", str(key)]) == 2  # never overwrites
    out = capsys.readouterr().out
    key_id = out.split("key_id ")[1].strip()
    proposal = tmp_path / "usulan.json"
    proposal.write_text(json.dumps({"type": "charter_amend", "id": "p9"}))
    assert main(["governance", "sign", "--key", str(key), "--proposal", str(proposal),
                 "--choice", "no"]) == 0  # fmt: skip
    signed = capsys.readouterr().out
    assert f"proposal {HASH}\nchoice no\nmember {key_id}\n" in signed
    assert main(["governance", "sign", "--key", str(key), "--hash", "xyz", "--choice", "yes"]) == 2
    assert "64 lowercase hex" in capsys.readouterr().err
    entry, _ = _entry()
    path = tmp_path / "keputusan.json"
    path.write_text(json.dumps(entry))
    assert main(["governance", "verify-decision", str(path)]) == 0
    assert '"yes": 2' in capsys.readouterr().out
    path.write_text(json.dumps({**entry, "votes": []}))
    assert main(["governance", "verify-decision", str(path)]) == 2
    assert "berbeda dari suara" in capsys.readouterr().err
