"""A scope version exists only through its decision, on every path: service, API, admin, CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from terbuka.governance.errors import GovernanceError, QuorumNotMet
from terbuka.scope.errors import ScopeError
from terbuka_web.accounts.models import Role, User
from terbuka_web.governance.models import Decision
from terbuka_web.governance.services import proposal_decide
from terbuka_web.scope.models import ScopeVersion
from terbuka_web.scope.services import scope_version_create
from terbuka_web.transparency.models import LogEntry

from .conftest import POLICY, World, scope_decide, scope_propose


def test_decision_creates_the_logged_version_from_its_effective_date(world: World) -> None:
    effective = timezone.now() + dt.timedelta(days=30)
    decision = scope_decide(world, effective=effective)
    version = ScopeVersion.objects.get()
    assert version.decision == decision and version.phase == "pilot"
    assert version.effective_from == decision.effective_from >= effective.replace(microsecond=0)
    entry = LogEntry.objects.get(pk=version.entry_id)
    data = json.loads(entry.data)
    assert data["kind"] == "scope.version" and data["policy_hash"] == version.hash
    assert data["proposal_hash"] == decision.proposal.hash


def test_no_version_without_quorum(world: World) -> None:
    proposal = scope_propose()
    with pytest.raises(QuorumNotMet) as caught:
        proposal_decide(proposal=proposal)
    assert "kuorum" in caught.value.message_id and "quorum" in caught.value.message_en
    assert not ScopeVersion.objects.exists()


def test_service_refuses_a_version_without_its_decision(world: World) -> None:
    with pytest.raises(GovernanceError) as caught:
        scope_version_create(decision=Decision())
    assert "keputusan" in caught.value.message_id and "decision" in caught.value.message_en
    charter = scope_decide(world)  # a real scope decision: its version exists once
    with pytest.raises(GovernanceError, match="already"):
        scope_version_create(decision=charter)
    assert ScopeVersion.objects.count() == 1


def test_service_refuses_a_decision_of_another_type(world: World) -> None:
    from terbuka.governance.vote import vote_sign
    from terbuka_web.governance.services import proposal_create, vote_cast

    proposal = proposal_create(
        actor=None, type="charter_amend", title="Ubah piagam", body="",
        payload={"text": "Pasal 1: rapat terbuka."},
        deadline=timezone.now() + dt.timedelta(days=3),
    )  # fmt: skip
    for key in world.keys:
        if Decision.objects.filter(proposal=proposal).exists():
            break
        vote_cast(proposal=proposal, signed=vote_sign(key, proposal.hash, "yes").format().decode())
    with pytest.raises(GovernanceError, match="not a scope change"):
        scope_version_create(decision=Decision.objects.get(proposal=proposal))
    assert not ScopeVersion.objects.exists()


def test_bad_policy_is_refused_at_proposal_with_its_pointer(world: World) -> None:
    bad = {**POLICY, "rules": [{"name": "Rusak", "methods": ["lelang"]}]}
    with pytest.raises(ScopeError) as caught:
        scope_propose(bad)
    assert caught.value.where == "/rules/0/methods/0"


def test_api_shows_scope_and_offers_no_way_to_write_it(world: World, client: Client) -> None:
    assert client.get("/api/governance/scope").json()["decision_id"] is None
    assert client.post(
        "/api/governance/scope", {}, content_type="application/json"
    ).status_code in (
        405,
        404,
    )
    assert client.put("/api/governance/scope", {}, content_type="application/json").status_code in (
        405,
        404,
    )
    later = scope_decide(world, effective=timezone.now() + dt.timedelta(days=10))
    body = client.get("/api/governance/scope").json()
    assert body["decision_id"] is None and body["next"]["decision_id"] == later.pk
    now = scope_decide(world, policy={**POLICY, "phase": "expansion"})
    body = client.get("/api/governance/scope").json()
    assert body["decision_id"] == now.pk
    assert body["policy"]["phase"] == "expansion" and body["policy"]["format"] == "terbuka/scope/v1"
    assert body["in_force"]["proposal_hash"] == now.proposal.hash


def test_secretariat_form_proposes_but_activates_nothing(world: World, client: Client) -> None:
    """The admin's only way in is the secretariat's proposal form (no Django admin exists)."""
    admin = User.objects.create_user("sekretariat", password="Sandi-panjang-42", role=Role.ADMIN)
    client.force_login(admin)
    assert client.get("/admin/scope/scopeversion/add/").status_code == 404
    deadline = (timezone.localtime() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    form = {"type": "scope_change", "title": "Cakupan fase pilot", "body": "",
            "payload": json.dumps({"policy": POLICY}), "deadline": deadline,
            "effective_from": "2027-01-04T00:00"}  # fmt: skip
    response = client.post("/konsorsium/kelola/usulan/", form)
    assert response.status_code == 302
    assert not ScopeVersion.objects.exists()
    bad = {**form, "payload": json.dumps({"policy": {**POLICY, "deadlines": {}}})}
    response = client.post("/konsorsium/kelola/usulan/", bad)
    assert response.status_code == 400
    assert "/deadlines/planning" in response.content.decode()


def test_cli_propose_activates_nothing_until_decided(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pilot.json"
    path.write_text(json.dumps(POLICY))
    call_command("terbuka_scope", "propose", str(path), "--title", "Cakupan fase pilot",
                 "--effective", "2027-01-04")  # fmt: skip
    out = capsys.readouterr().out
    assert "applies only once decided" in out and "dry run" in out
    assert not ScopeVersion.objects.exists()
    call_command("terbuka_scope", "show")
    assert json.loads(capsys.readouterr().out) == {"in_force": None, "next": None}
    path.write_text(json.dumps({**POLICY, "phase": "x"}))
    with pytest.raises(CommandError, match="/phase"):
        call_command("terbuka_scope", "propose", str(path), "--title", "Cakupan rusak",
                     "--effective", "2027-01-04")  # fmt: skip
