"""Services of the budget app: import and publish budget batches, keep region totals.

Every publication is one transaction: the batch, its lines, the superseding of an earlier
batch, the maintained region totals and one "budget.batch" transparency-log entry commit
together, or nothing does.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Sum

from terbuka.budget.djpk import SummaryLine
from terbuka.budget.errors import BudgetFileError
from terbuka.budget.publication import ENTRY_KIND, batch_entry, lines_sha256, own_totals
from terbuka.budget.rollup import code_chain
from terbuka.budget.rows import BudgetRow, realisations_check, rows_check, table_read
from terbuka.errors import FormatError, ValidationError
from terbuka_web.accounts.models import Agency, User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import audit_record, permission_require
from terbuka_web.budget.breakdowns import region_breakdowns_refresh
from terbuka_web.budget.models import BudgetBatch, BudgetLine, RegionBudget, VillageToken
from terbuka_web.common.tokens import token_digest
from terbuka_web.regions.models import Region
from terbuka_web.transparency.services import entry_append

BATCH_FIELDS = ("region", "agency", "year", "phase", "semester")


@dataclass(frozen=True)
class ImportResult:
    """Say what an import published: batches and lines."""

    batches: int
    lines: int


def budget_file_import(*, actor: User | None, data: bytes, name: str) -> ImportResult:
    """Check a CSV/XLSX budget line table and publish it, all or nothing.

    Raises BudgetFileError listing every bad row and field (unknown code, wrong level, bad
    amount, unknown region or agency, a realisation without a budget line), writing nothing;
    PermissionDenied when actor may not publish a row's budget.
    """
    rows = rows_check(table_read(data, name))
    return budget_rows_publish(actor=actor, rows=rows, source=name)


@transaction.atomic
def budget_rows_publish(*, actor: User | None, rows: list[BudgetRow], source: str) -> ImportResult:
    """Publish checked rows as one batch per government, agency, year, phase and semester."""
    regions, agencies = _references_check(rows)
    groups: dict[tuple[Any, ...], list[BudgetRow]] = defaultdict(list)
    for row in rows:
        groups[(row.region, row.agency, row.year, row.phase, row.semester)].append(row)
    for region, agency_code, _year, _phase, _semester in groups:
        _permission(actor, regions[region], agencies.get(agency_code))
    realisations_check(rows, _known_keys(rows))
    touched: set[tuple[str, int]] = set()
    count = 0
    for (region, agency_code, year, phase, semester), group in groups.items():
        batch = _batch_create(
            actor=actor,
            kind=BudgetBatch.Kind.APBDES if group[0].village else BudgetBatch.Kind.APBD,
            region=regions[region],
            agency=agencies.get(agency_code),
            key=(year, phase, semester),
            source=source,
            lines=[_line_payload(row) for row in group],
        )
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(
                    batch=batch,
                    region_id=region,
                    agency=agencies.get(agency_code),
                    year=year,
                    phase=phase,
                    programme=row.programme,
                    account=row.account,
                    fungsi=row.fungsi,
                    name=row.name,
                    amount=row.amount,
                )
                for row in group
            ],
            batch_size=1000,
        )
        touched.add((region, year))
        count += len(group)
    for region, year in touched:
        region_totals_refresh(region=region, year=year)
    return ImportResult(batches=len(groups), lines=count)


@transaction.atomic
def budget_summary_publish(
    *, actor: User | None, region: Region, year: int, lines: list[SummaryLine], source: str
) -> ImportResult:
    """Publish a DJPK summary as the reported totals of region's year (dpa and realisasi).

    Reported totals never enter the computed roll-ups; pages show them beside the sum of
    the detailed lines, with any mismatch. Raises PermissionDenied for a non-admin actor.
    """
    _permission(actor, region, None)
    for phase, pick in (("dpa", "planned"), ("realisasi", "realised")):
        payload = [  # the shape of every batch's lines (a feed re-hashes them)
            {
                "programme": "",
                "account": line.code,
                "fungsi": "",
                "name": line.name,
                "amount": getattr(line, pick),
            }
            for line in lines
        ]
        batch = _batch_create(
            actor=actor,
            kind=BudgetBatch.Kind.SUMMARY,
            region=region,
            agency=None,
            key=(year, phase, 0),
            source=source,
            lines=payload,
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(
                batch=batch,
                region=region,
                year=year,
                phase=phase,
                summary=True,
                account=item["account"],
                name=item["name"],
                amount=item["amount"],
            )
            for item in payload
        )
    return ImportResult(batches=2, lines=2 * len(lines))


def _batch_create(
    *,
    actor: User | None,
    kind: str,
    region: Region,
    agency: Agency | None,
    key: tuple[int, str, int],
    source: str,
    lines: list[dict[str, Any]],
) -> BudgetBatch:
    """Create a batch, supersede the earlier one of the same key, log and audit it."""
    year, phase, semester = key
    digest = lines_sha256(lines)
    batch = BudgetBatch.objects.create(
        kind=kind,
        region=region,
        agency=agency,
        year=year,
        phase=phase,
        semester=semester,
        source=source[:200],
        sha256=digest,
        rows=len(lines),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    earlier = (
        BudgetBatch.objects.filter(
            kind=kind, region=region, agency=agency, year=year, phase=phase, semester=semester
        )
        .filter(current=True)
        .exclude(pk=batch.pk)
    )
    old_ids = list(earlier.values_list("pk", flat=True))
    if old_ids:
        BudgetLine.objects.filter(batch_id__in=old_ids).update(current=False)
        earlier.update(current=False, superseded_by=batch)
    ref, payload = batch_entry(
        batch=batch.pk,
        kind=kind,
        region=region.code,
        agency=agency.code if agency else None,
        key=key,
        lines=lines,
        sha256=digest,
        supersedes=old_ids,
    )
    entry_append(kind=ENTRY_KIND, ref=ref, payload=payload)
    audit_record(
        actor=actor,
        action="budget:batch:publish",
        target=f"{region.code}/{year}/{phase}",
        agency=agency,
        data={"batch": batch.pk, "rows": len(lines), "sha256": digest},
    )
    return batch


def _line_payload(row: BudgetRow) -> dict[str, Any]:
    return {
        "programme": row.programme,
        "account": row.account,
        "fungsi": row.fungsi,
        "name": row.name,
        "amount": row.amount,
    }


def _permission(actor: User | None, region: Region, agency: Agency | None) -> None:
    """Let the system (actor None, the CLI), an admin, or the village's own operator publish.

    A village operator is an operator whose agency is that village's Pemerintah Desa.
    """
    if actor is None:
        return
    own = getattr(actor, "agency", None)
    if (
        region.level == Region.Level.VILLAGE
        and own is not None
        and own.kind == Agency.Kind.DESA
        and own.government_id == region.pk
        and agency in (None, own)
    ):
        permission_require(user=actor, action=Action.BUDGET_VILLAGE_EDIT, agency=own)
        return
    permission_require(user=actor, action=Action.BUDGET_IMPORT, agency=agency)


@transaction.atomic
def village_token_create(*, actor: User | None, village: Region) -> str:
    """Create an API token for village's system and return it (only its SHA-256 is stored).

    Raises PermissionDenied unless actor is the system, an admin or the village's operator.
    """
    _permission(actor, village, None)
    token = secrets.token_urlsafe(32)
    VillageToken.objects.create(region=village, token_sha256=token_digest(token))
    audit_record(actor=actor, action="budget:village_token:create", target=village.code)
    return token


def _references_check(rows: list[BudgetRow]) -> tuple[dict[str, Region], dict[str, Agency]]:
    """Return the rows' regions and agencies, or raise BudgetFileError naming unknown ones."""
    regions = {r.pk: r for r in Region.objects.filter(code__in={row.region for row in rows})}
    codes = {row.agency for row in rows if row.agency}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    errors: list[ValidationError | FormatError] = []
    for row in rows:
        if row.region not in regions:
            errors.append(
                ValidationError(
                    f"wilayah {row.region} tidak ditemukan",
                    f"region {row.region} was not found",
                    where=f"baris {row.number}, wilayah",
                )
            )
        if row.agency and row.agency not in agencies:
            errors.append(
                ValidationError(
                    f"perangkat daerah {row.agency!r} tidak ditemukan",
                    f"agency {row.agency!r} was not found",
                    where=f"baris {row.number}, perangkat_daerah",
                )
            )
        elif not row.agency and not row.village:
            errors.append(
                ValidationError(
                    "baris APBD memerlukan perangkat daerah",
                    "an APBD row needs its agency (perangkat_daerah)",
                    where=f"baris {row.number}, perangkat_daerah",
                )
            )
    if errors:
        raise BudgetFileError(errors)
    return regions, agencies


def _known_keys(rows: list[BudgetRow]) -> set[tuple[str, str, str, str]]:
    """Return the budgeted (dpa/perubahan) line keys already stored for the rows' years."""
    realised = [row for row in rows if row.phase == "realisasi"]
    if not realised:
        return set()
    stored = BudgetLine.objects.filter(
        region_id__in={row.region for row in realised},
        year__in={row.year for row in realised},
        phase__in=["dpa", "perubahan"],
        current=True,
        summary=False,
    ).values_list("region_id", "agency__code", "programme", "account")
    return {
        (region, agency or "", programme, account) for region, agency, programme, account in stored
    }


def region_totals_refresh(*, region: str, year: int) -> RegionBudget:
    """Recompute region's own spending totals of year and add the change to its ancestors.

    Own totals: sums of current detailed belanja (akun 5) lines per agency and phase, by
    terbuka.budget.publication.own_totals (perubahan where there is one, else the DPA).
    Its breakdowns (by urusan, bidang, account group) follow, under the same row lock.
    """
    sums: dict[tuple[int | None, str], int] = defaultdict(int)
    rows = (
        BudgetLine.objects.filter(
            region_id=region, year=year, current=True, summary=False, account__startswith="5"
        )
        .values_list("agency_id", "phase")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for agency, phase, total in rows:
        sums[(agency, phase)] = int(total or 0)
    planned, adjusted, realised = own_totals(sums)
    own, _ = RegionBudget.objects.select_for_update().get_or_create(region_id=region, year=year)
    delta = (planned - own.own_planned, adjusted - own.own_adjusted, realised - own.own_realised)
    RegionBudget.objects.filter(pk=own.pk).update(
        own_planned=planned, own_adjusted=adjusted, own_realised=realised
    )
    chain = _present_chain(region)
    _ancestors_add(chain, year, delta)
    region_breakdowns_refresh(region=region, year=year, chain=chain)
    own.refresh_from_db()
    return own


def _present_chain(region: str) -> list[str]:
    """Return region's code and its ancestors' codes that are stored regions."""
    chain = code_chain(region)
    return list(Region.objects.filter(code__in=chain).values_list("code", flat=True))


def _ancestors_add(chain: list[str], year: int, delta: tuple[int, int, int]) -> None:
    """Add delta (planned, adjusted, realised) to the subtree totals of chain (a region and
    its ancestors)."""
    existing = set(
        RegionBudget.objects.filter(region_id__in=chain, year=year).values_list(
            "region_id", flat=True
        )
    )
    RegionBudget.objects.bulk_create(
        [RegionBudget(region_id=code, year=year) for code in chain if code not in existing]
    )
    RegionBudget.objects.filter(region_id__in=chain, year=year).update(
        planned=F("planned") + delta[0],
        adjusted=F("adjusted") + delta[1],
        realised=F("realised") + delta[2],
    )


def budget_errors_text(error: BudgetFileError) -> str:
    """Return every row error of error on its own line, Indonesian / English."""
    return "\n".join(f"{e.where}: {e.message_id} / {e.message_en}" for e in error.errors)
