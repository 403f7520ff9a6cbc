"""The programme_rules proposal type: check a proposed rule set, adopt it when decided.

Registered with governance.effects in apps.Config.ready. Payload (all signed by the votes):
    {"programme": "blt-desil", "rules": {"eligibility": …, "entitlement": …, "parameters": …},
     "text": "Keluarga desil 1–4 …", "rule_hash": "9f2c…"}
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from terbuka.governance.errors import GovernanceError
from terbuka.rules.ruleset import ruleset_parse
from terbuka_web.benefits.cycles import programme_fund
from terbuka_web.benefits.models import Programme, RuleVersion
from terbuka_web.benefits.totals import totals_store
from terbuka_web.governance.effects import effect_register
from terbuka_web.governance.models import Decision
from terbuka_web.transparency.services import entry_append


def _programme(payload: dict[str, Any]) -> Programme:
    programme = Programme.objects.filter(slug=str(payload.get("programme", ""))).first()
    if programme is None:
        raise GovernanceError(
            f"program {payload.get('programme')!r} tidak ditemukan",
            f"programme {payload.get('programme')!r} is not found",
            where="payload.programme",
        )
    return programme


def rules_check(payload: dict[str, Any]) -> dict[str, Any]:
    """Return the cleaned payload; raise RuleError (line:column) or GovernanceError."""
    programme = _programme(payload)
    parsed = ruleset_parse(payload.get("rules"))
    digest = parsed.hash()
    if payload.get("rule_hash", digest) != digest:
        raise GovernanceError(
            "rule_hash tidak sama dengan hash aturan", "rule_hash differs from the rules' hash",
            where="payload.rule_hash",
        )  # fmt: skip
    text = str(payload.get("text", "")).strip()
    if not 10 <= len(text) <= 4000:
        raise GovernanceError(
            "teks aturan harus 10–4000 karakter", "the rules' text must be 10–4000 characters",
            where="payload.text",
        )  # fmt: skip
    return {
        "programme": programme.slug,
        "rules": parsed.as_data(),
        "text": text,
        "rule_hash": digest,
    }


def rules_adopt(decision: Decision) -> None:
    """Adopt the decided rules as the programme's next version, in the decision's transaction.

    The previous version becomes superseded; the new one's per-village totals are computed,
    the programme's fund receives its budget from the treasury (once), and a benefit.rules
    log entry names programme, version, rule hash and decision.
    Example entry: {"kind":"benefit.rules","programme":"blt-desil","version":1,
    "rule_hash":"9f2c…","rules":{…},"decision":12,"proposal_hash":"…"}.
    """
    payload = decision.proposal.canonical["payload"]
    programme = Programme.objects.select_for_update().get(slug=payload["programme"])
    number = (
        programme.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    RuleVersion.objects.filter(programme=programme, status=RuleVersion.Status.ADOPTED).update(
        status=RuleVersion.Status.SUPERSEDED
    )
    version = RuleVersion.objects.create(
        programme=programme, number=number, rules=payload["rules"], rule_hash=payload["rule_hash"],
        text=payload["text"], status=RuleVersion.Status.ADOPTED, proposal=decision.proposal,
        decision=decision, adopted_at=timezone.now(),
    )  # fmt: skip
    programme.current = version
    programme.save(update_fields=["current"])
    totals_store(version)
    programme_fund(programme)
    entry = entry_append(
        kind="benefit.rules",
        ref=f"bantuan/{programme.slug}/aturan/{number}",
        payload={
            "programme": programme.slug, "version": number, "rule_hash": version.rule_hash,
            "rules": version.rules, "decision": decision.pk,
            "proposal_hash": decision.proposal.hash,
        },
    )  # fmt: skip
    version.entry_id = entry.pk
    version.save(update_fields=["entry_id"])


def handlers_register() -> None:
    """Register programme_rules with the governance effect registry."""
    effect_register("programme_rules", check=rules_check, apply=rules_adopt)
