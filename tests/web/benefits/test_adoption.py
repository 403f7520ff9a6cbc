"""Test adoption edge cases: a programme_rules proposal made through governance directly is
checked the same way; rules that fail for a registrant at adoption leave no decision, version
or log entry; the registry keys come from the environment, a 0600 file, or (debug/demo) a
generated file, and are required otherwise."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from terbuka.governance.errors import GovernanceError
from terbuka.rules.errors import RuleError, RuleEvaluationError
from terbuka_web.accounts.models import Agency
from terbuka_web.benefits import keys
from terbuka_web.benefits.models import RuleVersion
from terbuka_web.benefits.registry import registry_import
from terbuka_web.config.env import SettingError
from terbuka_web.governance.models import Decision
from terbuka_web.governance.services import proposal_create
from terbuka_web.transparency.models import LogEntry

from .conftest import CASH, Consortium, person, programme_new, propose, registry_bytes


def _direct(payload: dict[str, object]) -> None:
    proposal_create(
        actor=None, type="programme_rules", title="Aturan lewat formulir konsorsium",
        body="", payload=payload, deadline=timezone.now() + dt.timedelta(days=3),
    )  # fmt: skip


def test_a_direct_governance_proposal_is_checked_like_any_other(
    region: list[Agency], consortium: Consortium
) -> None:
    programme_new()
    text = "Keluarga desil 1–3 menerima bantuan tunai."
    with pytest.raises(RuleError) as caught:
        _direct({"programme": "blt-uji", "rules": {**CASH, "eligibility": "desil <"}, "text": text})
    assert caught.value.where == "eligibility:1:7"
    with pytest.raises(GovernanceError):
        _direct({"programme": "tidak-ada", "rules": CASH, "text": text})
    with pytest.raises(GovernanceError):
        _direct({"programme": "blt-uji", "rules": CASH, "text": text, "rule_hash": "00" * 32})
    _direct({"programme": "blt-uji", "rules": CASH, "text": text})


def test_rules_failing_for_a_registrant_are_not_adopted(
    region: list[Agency], consortium: Consortium
) -> None:
    registry_import(actor=None, filename="a.csv", data=registry_bytes([person(1, desil=2)]))
    programme = programme_new()
    entries = LogEntry.objects.filter(kind="benefit.rules").count()
    proposal = propose(programme, {**CASH, "entitlement": "p.base / (desil - 2)"})
    with pytest.raises(RuleEvaluationError, match="baris 2"):
        consortium.adopt(proposal)
    assert not Decision.objects.filter(proposal=proposal).exists()
    assert not RuleVersion.objects.exists()
    assert LogEntry.objects.filter(kind="benefit.rules").count() == entries


def test_registry_keys_come_from_env_file_or_debug_default(
    settings: Settings, tmp_path: Path
) -> None:
    base = {**settings.TERBUKA, "REGISTRY_HMAC_KEY": "", "REGISTRY_HMAC_KEY_FILE": ""}
    settings.DATA_DIR = tmp_path
    settings.TERBUKA = {**base, "LOG_KEY_GENERATE": False}
    with pytest.raises(SettingError, match="TERBUKA_REGISTRY_HMAC_KEY"):
        keys.hmac_key()
    settings.TERBUKA = {**base, "LOG_KEY_GENERATE": True}
    generated = keys.hmac_key()
    path = tmp_path / "registry-hmac.key"
    assert path.stat().st_mode & 0o777 == 0o600 and keys.hmac_key() == generated
    loose = tmp_path / "loose.key"
    loose.write_text("rahasia-panjang")
    os.chmod(loose, 0o644)
    settings.TERBUKA = {**base, "REGISTRY_HMAC_KEY_FILE": str(loose)}
    with pytest.raises(SettingError, match="chmod 600"):
        keys.hmac_key()
    os.chmod(loose, 0o600)
    from_file = keys.hmac_key()
    settings.TERBUKA = {**base, "REGISTRY_HMAC_KEY": "rahasia-panjang"}
    assert keys.hmac_key() == from_file != generated
