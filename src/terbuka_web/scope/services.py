"""Services of the scope app: a scope version from its decision, the obligation rows, the dry run.

A scope version exists only through a decided scope_change proposal: scope_version_create is
the registered effect of that type (apps.Config.ready) and runs in the decision's
transaction, appending a "scope.version" log entry. Never retroactive: a stage is judged by
the version in force on the day of its event, so a version changes nothing before its
effective date. process_scope_refresh rewrites the derived rows (ProcessScope, StageDue);
contracting's stage_publish calls it in the publication transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from terbuka.governance.errors import GovernanceError
from terbuka.scope.evaluate import Obligation, deadline, evaluate
from terbuka.scope.policy import STAGES, Policy, policy_hash, policy_parse
from terbuka.workdays import WorkCalendar
from terbuka_web.common.calendar import work_calendar
from terbuka_web.governance.models import Decision, ProposalType
from terbuka_web.scope.facts import ProcessFacts, processes_facts
from terbuka_web.scope.models import ProcessScope, ScopeVersion, StageDue
from terbuka_web.transparency.services import entry_append

DRY_RUN_OCIDS = 50  # per agency, to keep the proposal's log entry small


class Versions:
    """Answer which scope version is in force on a day (Asia/Jakarta), policies parsed once."""

    def __init__(self) -> None:
        rows = list(ScopeVersion.objects.order_by("effective_from", "id"))
        self.rows = [
            (timezone.localdate(v.effective_from), v, policy_parse(v.policy)) for v in rows
        ]

    def on(self, day: dt.date) -> tuple[ScopeVersion, Policy] | None:
        """Return the version (and its policy) in force on day, or None before the first."""
        found = None
        for start, version, policy in self.rows:
            if start <= day:
                found = (version, policy)
        return found


def scope_payload_check(payload: dict[str, Any]) -> dict[str, Any]:
    """Return a scope_change payload: the parsed policy and its dry run on current data.

    Raises ScopeError naming the JSON pointer under /policy of the first fault.
    """
    policy = policy_parse(payload.get("policy"))
    return {"policy": policy.as_data(), "dry_run": scope_dry_run(policy)}


def scope_dry_run(policy: Policy) -> dict[str, Any]:
    """Return which published processes policy makes obligatory that are not today, per agency.

    Example: {"processes": 1200, "obligatory": 420, "becoming": 380, "leaving": 0,
    "agencies": {"3522-disdik": {"name": "Dinas Pendidikan", "becoming": 40, "ocids": [...]}}}
    """
    versions = Versions()
    current = versions.on(timezone.localdate())
    agencies: dict[str, dict[str, Any]] = {}
    totals = {"processes": 0, "obligatory": 0, "becoming": 0, "leaving": 0}
    for item in processes_facts():
        now = evaluate(current[1] if current else None, item.facts).obligatory
        new = evaluate(policy, item.facts).obligatory
        totals["processes"] += 1
        totals["obligatory"] += new
        totals["leaving"] += now and not new
        if new and not now:
            totals["becoming"] += 1
            row = agencies.setdefault(
                item.agency_code, {"name": item.agency_name, "becoming": 0, "ocids": []}
            )
            row["becoming"] += 1
            if len(row["ocids"]) < DRY_RUN_OCIDS:
                row["ocids"].append(item.ocid)
    return {**totals, "computed_on": timezone.localdate().isoformat(), "agencies": agencies}


def scope_version_create(*, decision: Decision) -> ScopeVersion:
    """Create, log and apply the scope version of a decided scope_change proposal.

    Runs in the decision's transaction (governance._decide through the effect registry).
    Effective from the decision's effective_from, never earlier. Raises GovernanceError
    when decision is not a stored decision of a scope_change proposal or already has its
    version; ScopeError when the policy does not parse (nothing written).
    """
    if decision.pk is None or not Decision.objects.filter(pk=decision.pk).exists():
        raise GovernanceError(
            "versi cakupan hanya berlaku lewat keputusan konsorsium yang tercatat",
            "a scope version applies only through a recorded consortium decision",
            where="decision",
        )
    if decision.proposal.type != ProposalType.SCOPE_CHANGE:
        raise GovernanceError(
            f"keputusan ini bukan perubahan cakupan ({decision.proposal.type})",
            f"this decision is not a scope change ({decision.proposal.type})",
            where="decision",
        )
    if ScopeVersion.objects.filter(decision=decision).exists():
        raise GovernanceError(
            "keputusan ini sudah menetapkan versi cakupannya",
            "this decision already set its scope version",
            where="decision",
        )
    policy = policy_parse(decision.proposal.canonical["payload"]["policy"])
    digest = policy_hash(policy)
    with transaction.atomic():
        entry = entry_append(
            kind="scope.version",
            ref=f"cakupan/versi/{decision.proposal.uid}",
            payload={
                "policy": policy.as_data(),
                "policy_hash": digest,
                "proposal_hash": decision.proposal.hash,
                "effective_from": decision.effective_from.astimezone(dt.UTC)
                .replace(microsecond=0)
                .isoformat()
                .replace("+00:00", "Z"),
            },
        )
        version = ScopeVersion.objects.create(
            policy=policy.as_data(), hash=digest, phase=policy.phase,
            effective_from=decision.effective_from, decision=decision, entry_id=entry.pk,
        )  # fmt: skip
        process_scope_refresh(process_ids=None)
    return version


def scope_decision_apply(decision: Decision) -> None:
    """Apply a scope_change decision: its scope version (the effect registered for the type)."""
    scope_version_create(decision=decision)


def _rows(
    item: ProcessFacts, versions: Versions, today: dt.date, calendar: WorkCalendar
) -> tuple[ProcessScope, list[StageDue]]:
    """Return the ProcessScope and StageDue rows of one process (unsaved)."""
    dues: list[StageDue] = []
    judged: tuple[ScopeVersion | None, Obligation] | None = None
    obliged: tuple[ScopeVersion | None, Obligation] | None = None
    for stage in STAGES:
        event = item.events.get(stage)
        found = versions.on(event) if event else None
        if event is None or found is None:
            continue
        version, policy = found
        verdict = evaluate(policy, item.facts)
        judged = (version, verdict)
        if verdict.obligatory:
            obliged = judged
            dues.append(
                StageDue(
                    process_id=item.pk,
                    agency_id=item.agency_id,
                    version=version,
                    phase=version.phase,
                    stage=stage,
                    event_on=event,
                    due_on=deadline(policy, stage, event, calendar),
                    published_on=item.published.get(stage),
                )
            )
    if obliged is None and judged is None:
        now = versions.on(today)
        verdict = evaluate(now[1] if now else None, item.facts)
        if now and verdict.obligatory:
            since = timezone.localdate(now[0].effective_from).isoformat()
            verdict = Obligation(
                False,
                "",
                f"peristiwa tahapnya sebelum cakupan berlaku ({since}): tidak berlaku surut",
                f"its stages' events came before the scope in force ({since}): not retroactive",
            )
        judged = (now[0] if now else None, verdict)
    version, verdict = obliged or judged  # type: ignore[misc]
    scope = ProcessScope(
        process_id=item.pk, obligatory=bool(dues), version=version,
        reason_id=verdict.reason_id[:400], reason_en=verdict.reason_en[:400],
    )  # fmt: skip
    return scope, dues


@transaction.atomic
def process_scope_refresh(*, process_ids: list[int] | None) -> int:
    """Rewrite the wajib/sukarela rows and obligatory stage deadlines of published processes.

    process_ids=None: every process (a scope activation). Returns the number of processes
    done (0 while no version exists: a process without a row is voluntary).
    Each stage is judged by the version in force on its event's day.
    """
    if not ScopeVersion.objects.exists():
        return 0  # no scope yet: every process is voluntary, no row needed
    versions = Versions()
    today = timezone.localdate()
    items = processes_facts(process_ids)
    scopes, dues = [], []
    calendar = work_calendar()
    for item in items:
        scope, stage_dues = _rows(item, versions, today, calendar)
        scopes.append(scope)
        dues.extend(stage_dues)
    ids = [i.pk for i in items] if process_ids is not None else None
    for model in (StageDue, ProcessScope):
        rows = model.objects.all()
        (rows.filter(process_id__in=ids) if ids is not None else rows).delete()
    ProcessScope.objects.bulk_create(scopes, batch_size=500)
    StageDue.objects.bulk_create(dues, batch_size=500)
    return len(items)
