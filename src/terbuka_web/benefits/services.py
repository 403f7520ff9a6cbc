"""Write services of the benefits app: programmes, and proposing their rules to the consortium.

Adoption itself happens in handlers.py, when the programme_rules proposal is decided.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction

from terbuka.errors import ValidationError
from terbuka.rules.ruleset import ruleset_parse
from terbuka_web.accounts.models import Agency, User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import audit_record, permission_require
from terbuka_web.benefits.models import Programme
from terbuka_web.governance.models import Proposal
from terbuka_web.governance.services import proposal_create

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
REGION = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?")
MAX_BUDGET = 10**15
MAX_SCHEDULE_DAY = 28  # every month has it


def _invalid(message_id: str, message_en: str, where: str) -> ValidationError:
    return ValidationError(message_id, message_en, where=where)


@transaction.atomic
def programme_create(
    *, actor: User | None, slug: str, name: str, description: str, budget: int,
    period_start: dt.date, period_end: dt.date, regions: list[str], agency: Agency,
    schedule_day: int | None = None, on_disaster: bool = False,
) -> Programme:  # fmt: skip
    """Create a programme (no rules in force until a decision adopts a version).

    schedule_day N (1–28) starts a cycle on day N of each month of the period; on_disaster
    starts one when a disaster is declared over its regions (`terbuka benefits tick`).
    Raises ValidationError naming the field (slug, name, budget, period_end, regions,
    schedule_day) or PermissionDenied unless actor (None: the system) may manage agency's
    programmes.
    """
    if actor is not None:
        permission_require(user=actor, action=Action.PROGRAMME_MANAGE, agency=agency)
    if not _SLUG.fullmatch(slug) or len(slug) > 60 or Programme.objects.filter(slug=slug).exists():
        raise _invalid("kode program tidak sah atau sudah dipakai", "bad or taken slug", "slug")
    if not 3 <= len(name.strip()) <= 200:
        raise _invalid("nama program harus 3–200 karakter", "name: 3–200 characters", "name")
    if isinstance(budget, bool) or not isinstance(budget, int) or not 0 < budget <= MAX_BUDGET:
        raise _invalid("pagu harus Rupiah bulat positif", "budget: positive whole Rupiah", "budget")
    if period_end < period_start:
        raise _invalid(
            "akhir periode sebelum awalnya", "the period ends before it starts", "period_end"
        )
    if not regions or not all(REGION.fullmatch(r) for r in regions):
        raise _invalid(
            "wilayah harus kode Kemendagri, mis. 35.22", "regions: Kemendagri codes", "regions"
        )
    if schedule_day is not None and not 1 <= schedule_day <= MAX_SCHEDULE_DAY:
        raise _invalid(
            "tanggal jadwal harus 1–28", "schedule_day: a day of the month 1–28", "schedule_day"
        )
    programme = Programme.objects.create(
        slug=slug, name=name.strip(), description=description.strip(), budget=budget,
        period_start=period_start, period_end=period_end, regions=sorted(set(regions)),
        agency=agency, schedule_day=schedule_day, on_disaster=on_disaster,
    )  # fmt: skip
    audit_record(actor=actor, action="benefits:programme:create", target=slug, agency=agency)
    return programme


@transaction.atomic
def programme_rules_propose(
    *, actor: User | None, programme: Programme, rules: dict[str, Any], text: str,
    deadline: dt.datetime,
) -> Proposal:  # fmt: skip
    """Propose rules (wire form) for programme as a programme_rules consortium proposal.

    The payload carries the programme, the rules, their readable text and rule hash; the
    decision adopts them (handlers.py). Raises RuleError (with line:column) for a bad
    expression, GovernanceError for a bad deadline, PermissionDenied for a non-admin actor.
    """
    parsed = ruleset_parse(rules)
    short = programme.agency.code.split("-", 1)[-1]
    return proposal_create(
        actor=actor, type="programme_rules",
        title=f"Aturan {programme.name}"[:300],
        body=text,
        payload={"programme": programme.slug, "rules": parsed.as_data(), "text": text,
                 "rule_hash": parsed.hash()},
        touches={"agencies": [short]}, deadline=deadline,
    )  # fmt: skip
