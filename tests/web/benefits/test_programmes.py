"""Test programmes and their rules: a bad expression refused with its position at proposal,
adoption only by a consortium decision that logs version, hash and decision together, totals
per village, a new version superseding the old, and the dry run against the version in force."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from terbuka.errors import ValidationError
from terbuka.rules.errors import RuleError, RuleEvaluationError
from terbuka.rules.ruleset import ruleset_parse
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.benefits.models import Programme, RuleVersion
from terbuka_web.benefits.registry import registry_import
from terbuka_web.benefits.selectors import (
    dry_run_candidate,
    programme_dry_run_compare,
    public_totals,
)
from terbuka_web.transparency.models import LogEntry

from .conftest import CASH, Consortium, dinsos, person, programme_new, propose, registry_bytes


@pytest.fixture
def registry(region: list[Agency]) -> None:
    people = [person(n, desil=n % 5 + 1) for n in range(12)]  # desil 1–3: 8 eligible, 4 not
    people += [person(20 + n, "35.22.01.2002") for n in range(3)]
    people += [person(30, meninggal=1)]
    registry_import(actor=None, filename="dtsen.csv", data=registry_bytes(people))


def test_a_bad_expression_is_refused_at_proposal_with_its_position(
    registry: None, consortium: Consortium
) -> None:
    programme = programme_new()
    with pytest.raises(RuleError) as caught:
        propose(programme, {**CASH, "entitlement": "p.base +\n  * 2"})
    assert caught.value.where == "entitlement:2:3"
    assert programme.versions.count() == 0


def test_a_decision_adopts_the_rules_and_logs_them_together(
    registry: None, consortium: Consortium
) -> None:
    programme = programme_new()
    proposal = propose(programme)
    assert Programme.objects.get().current is None  # proposing adopts nothing
    decision = consortium.adopt(proposal)
    programme.refresh_from_db()
    version = programme.current
    assert version is not None and version.number == 1 and version.decision == decision
    assert version.rule_hash == ruleset_parse(CASH).hash()
    entry = LogEntry.objects.get(pk=version.entry_id)
    data = json.loads(bytes(entry.data))
    assert data["kind"] == "benefit.rules" and data["programme"] == "blt-uji"
    assert (data["version"], data["rule_hash"], data["decision"]) == (
        1, version.rule_hash, decision.pk
    )  # fmt: skip
    totals = {t.village_code: t for t in version.totals.all()}
    assert totals["35.22.01.2001"].eligible == 8 and totals["35.22.01.2001"].deceased == 1
    assert totals["35.22.01.2002"].amount == 3 * 300000


def test_a_new_version_supersedes_and_the_dry_run_shows_the_change(
    registry: None, consortium: Consortium
) -> None:
    programme = programme_new()
    consortium.adopt(propose(programme))
    wider = {**CASH, "parameters": {**CASH["parameters"], "max_desil": 5}}  # type: ignore[dict-item]
    pending = propose(programme, wider)
    programme.refresh_from_db()
    candidate = dry_run_candidate(programme)
    assert candidate is not None and candidate.hash() == ruleset_parse(wider).hash()
    run = programme_dry_run_compare(programme, candidate)
    (change,) = run.changes
    assert (change.village_code, change.eligible_before, change.eligible_after) == (
        "35.22.01.2001", 8, 12
    )  # fmt: skip
    consortium.adopt(pending)
    programme.refresh_from_db()
    assert programme.current is not None and programme.current.number == 2
    statuses = dict(programme.versions.values_list("number", "status"))
    assert statuses == {1: RuleVersion.Status.SUPERSEDED, 2: RuleVersion.Status.ADOPTED}


def test_an_evaluation_failure_names_the_registrant_row(
    registry: None, consortium: Consortium
) -> None:
    programme = programme_new()
    rules = ruleset_parse({**CASH, "entitlement": "p.base / (desil - 2)"})
    with pytest.raises(RuleEvaluationError, match="baris") as caught:
        programme_dry_run_compare(programme, rules)
    assert caught.value.where.startswith("impor ")


def test_public_totals_suppress_small_villages(registry: None, consortium: Consortium) -> None:
    programme = programme_new()
    consortium.adopt(propose(programme))
    programme.refresh_from_db()
    totals = public_totals(programme.current)
    shown = [r for r in totals.rows if r.code]
    assert [(r.code, r.eligible) for r in shown] == [("35.22.01.2001", 8)]
    (rest,) = [r for r in totals.rows if not r.code]
    assert rest.eligible is None and totals.eligible is None  # 3 < 5: hidden with the total
    assert totals.suppressed_villages == 1


def test_programme_writes_check_role_and_fields(region: list[Agency]) -> None:
    operator = User.objects.create_user("op", role=Role.OPERATOR, agency=dinsos())
    with pytest.raises(PermissionDenied):
        programme_new(actor=operator)
    ppk = User.objects.create_user("ppk", role=Role.PPK, agency=dinsos())
    assert programme_new(actor=ppk).slug == "blt-uji"
    for bad in ({"slug": "Bad Slug"}, {"budget": 0}, {"regions": ["x"]}, {"slug": "blt-uji"}):
        with pytest.raises(ValidationError):
            programme_new(**{"slug": "lain", **bad})


def test_the_dry_run_command_prints_villages_and_totals(
    registry: None, consortium: Consortium, capsys: pytest.CaptureFixture[str]
) -> None:
    programme = programme_new()
    consortium.adopt(propose(programme))
    call_command("terbuka_benefits", "dry-run", "blt-uji", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["sums"]["eligible"] == 11 and data["changes"] == []
    call_command("terbuka_benefits", "dry-run", "blt-uji")
    out = capsys.readouterr().out
    assert "35.22.01.2001 8 2400000 4 1 0" in out


def test_create_and_propose_from_the_command_line(
    region: list[Agency], consortium: Consortium, tmp_path: object,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from pathlib import Path

    from django.core.management.base import CommandError

    from terbuka_web.governance.models import Proposal

    call_command(
        "terbuka_benefits", "create", "pkh-uji", "--name", "Program Keluarga Uji",
        "--budget", "5000000000", "--start", "2027-01-01", "--end", "2027-12-31",
        "--regions", "35.22", "--agency", "3522-dinsos",
    )  # fmt: skip
    rules = Path(str(tmp_path)) / "rules.json"
    rules.write_text(json.dumps({**CASH, "eligibility": "desil <= p.max_desil &&"}))
    with pytest.raises(CommandError, match="eligibility:1:"):
        call_command("terbuka_benefits", "propose", "pkh-uji", "--rules", str(rules),
                     "--text", "Keluarga desil 1–3 menerima bantuan.")  # fmt: skip
    rules.write_text(json.dumps(CASH))
    call_command("terbuka_benefits", "propose", "pkh-uji", "--rules", str(rules),
                 "--text", "Keluarga desil 1–3 menerima bantuan.")  # fmt: skip
    proposal = Proposal.objects.get(type="programme_rules")
    assert proposal.uid in capsys.readouterr().out
    consortium.adopt(proposal)
    assert Programme.objects.get(slug="pkh-uji").current is not None
