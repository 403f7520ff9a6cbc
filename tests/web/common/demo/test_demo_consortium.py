"""Test the demo governance consortium: seven members over five classes, admissions by signed
decisions that the core re-verifies, a recusal, a resolved dispute; keys only in DATA_DIR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings
from tests.web.factories import agency_create, process_create

from terbuka.governance.decision import decision_verify
from terbuka_web.common.demo.consortium import demo_consortium_create
from terbuka_web.governance.models import Decision, Dispute, Member, Recusal
from terbuka_web.governance.selectors import proposals_open
from terbuka_web.scope.models import ScopeVersion
from terbuka_web.scope.selectors import scope_in_force
from terbuka_web.transparency.models import LogEntry


@pytest.mark.django_db
def test_demo_consortium(settings: Settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    disputed = process_create(agency=agency_create())  # the demo citizen disputes a published one
    assert demo_consortium_create() == 7
    assert {m.stakeholder_class for m in Member.objects.all()} == {
        "pemerintah", "auditor", "warga", "teknologi", "hukum"
    }  # fmt: skip
    assert Decision.objects.filter(proposal__type="member_admit").count() == 2
    assert Dispute.objects.get().status == Dispute.Status.RESOLVED
    assert Dispute.objects.get().record == disputed.ocid
    opened = {p.type: p for p in proposals_open()}
    assert set(opened) == {"charter_amend", "scope_change"}
    assert Recusal.objects.get().proposal == opened["charter_amend"]
    pilot = ScopeVersion.objects.get()  # the pilot, decided in the story's past, in force
    assert pilot.phase == "pilot" and pilot.decision.proposal.type == "scope_change"
    assert pilot.effective_from < timezone.now() and scope_in_force() == pilot
    expansion = opened["scope_change"].canonical["payload"]
    assert expansion["policy"]["phase"] == "expansion" and "dry_run" in expansion
    for entry in LogEntry.objects.filter(kind="decision"):
        assert decision_verify(json.loads(bytes(entry.data))).met
    keys = sorted(tmp_path.glob("demo-consortium/*.pem"))
    assert len(keys) == 7 and all(k.stat().st_mode & 0o777 == 0o600 for k in keys)
    assert demo_consortium_create() is None
