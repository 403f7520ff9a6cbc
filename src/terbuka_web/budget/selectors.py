"""Selectors of the budget app: region roll-ups, breakdowns, reported-vs-computed checks.

A roll-up reads the maintained RegionBudget rows (the region's and its children's), never
the lines, so a province page costs the same with 83k villages as with 43.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Sum

from terbuka.budget.accounts import account_name
from terbuka.budget.poster import Board, Project, Row
from terbuka.budget.programmes import BIDANG, URUSAN
from terbuka.budget.village import ACCOUNTS as VILLAGE_ACCOUNTS
from terbuka.budget.village import BIDANG as VILLAGE_BIDANG
from terbuka.regions.codes import code_parse
from terbuka_web.budget.breakdowns import KEYS
from terbuka_web.budget.models import (
    BudgetBatch,
    BudgetLine,
    RegionBreakdown,
    RegionBudget,
    VillageProject,
    VillageToken,
)
from terbuka_web.common.tokens import token_digest
from terbuka_web.federation.selectors import (
    HarvestedTotals,
    harvested_budget_years,
    harvested_region_breakdowns,
    harvested_region_totals,
)
from terbuka_web.regions.models import Region
from terbuka_web.regions.selectors import region_ancestors
from terbuka_web.transparency.models import LogEntry

FIGURES = ("planned", "adjusted", "realised")


@dataclass
class Totals:
    """Hold a region's spending figures in integer Rupiah."""

    code: str
    name: str = ""
    planned: int = 0
    adjusted: int = 0
    realised: int = 0
    own: dict[str, int] = field(default_factory=dict)
    harvested: list[HarvestedTotals] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        """Return realised ÷ adjusted × 100, None when nothing is budgeted."""
        return round(self.realised * 100 / self.adjusted, 2) if self.adjusted else None


def budget_years(*, code: str, harvested: bool = True) -> list[int]:
    """Return the years holding any budget for region code, newest first (harvested: look
    at the harvested budgets too; False when none were harvested)."""
    rows = RegionBudget.objects.filter(region_id=code).values_list("year", flat=True)
    own = BudgetBatch.objects.filter(region_id=code).values_list("year", flat=True)
    stored = set(rows.order_by().union(own.order_by()))  # one query
    return sorted(
        stored | (harvested_budget_years(code=code) if harvested else set()), reverse=True
    )


def region_rollup(*, code: str, year: int, harvested: bool = True) -> tuple[Totals, list[Totals]]:
    """Return region code's totals of year and one Totals per child region (by code).

    Raises RegionCodeError for a malformed code. Children without a budget show zeros.
    Totals harvested from other instances (terbuka_web.federation) are added to the figures
    and listed, with their origin, in each Totals' harvested (harvested: False skips looking
    for them, when none were harvested).
    """
    dotted = str(code_parse(code))
    with connection.cursor() as cursor:  # the region and its children in one query
        cursor.execute(ROLLUP_SQL, [year, dotted, dotted])
        found = [(row[0], row[1], row[2:]) for row in cursor.fetchall()]
    codes = [c for c, _n, _f in found]
    remote = harvested_region_totals(codes=codes, year=year) if harvested else {}
    totals = {c: _totals(c, n, figures, remote.get(c, [])) for c, n, figures in found}
    own = totals.pop(dotted, None) or _totals(dotted, "", (None,) * 6, remote.get(dotted, []))
    return own, list(totals.values())


ROLLUP_SQL = (
    "SELECT r.code, r.name, b.planned, b.adjusted, b.realised,"
    " b.own_planned, b.own_adjusted, b.own_realised"
    f" FROM {Region._meta.db_table} AS r LEFT JOIN {RegionBudget._meta.db_table} AS b"
    " ON b.region_id = r.code AND b.year = %s"
    " WHERE r.code = %s OR r.parent_id = %s ORDER BY r.code"
)


def _totals(
    code: str, name: str, figures: tuple[int | None, ...], harvested: list[HarvestedTotals]
) -> Totals:
    """Return code's figures (planned, adjusted, realised, then its own three; None without
    a RegionBudget row) plus the totals harvested from other instances."""
    subtree, own = [int(f or 0) for f in figures[:3]], [int(f or 0) for f in figures[3:]]
    totals = Totals(code, name, *subtree, own=dict(zip(FIGURES, own, strict=True)))
    totals.harvested = harvested
    for remote in harvested:
        totals.planned += remote.planned
        totals.adjusted += remote.adjusted
        totals.realised += remote.realised
    return totals


SummaryRows = list[tuple[str, str, str, int]]  # phase, name, account, amount, by id


def summary_rows(*, code: str, year: int) -> SummaryRows:
    """Return region code's current DJPK summary lines of year (both phases), in order."""
    lines = BudgetLine.objects.filter(region_id=code, year=year, summary=True, current=True)
    return list(lines.order_by("id").values_list("phase", "name", "account", "amount"))


def reported_check(
    *, code: str, year: int, own: dict[str, int], rows: SummaryRows | None = None
) -> list[dict[str, Any]]:
    """Return the DJPK-reported totals of region code beside the sum of its detailed lines
    (rows: its summary_rows when already read).

    One dict per reported figure: {label, reported, computed, difference, mismatch}.
    Empty when no summary was published for that year.
    """
    found = summary_rows(code=code, year=year) if rows is None else rows
    reported = {phase: amount for phase, _n, account, amount in found if account == "5"}
    out = []
    for phase, figure, label in (
        ("dpa", "planned", "Belanja Daerah (anggaran)"),
        ("realisasi", "realised", "Belanja Daerah (realisasi)"),
    ):
        if phase in reported:
            computed = own[figure]
            out.append(
                {
                    "label": label,
                    "reported": reported[phase],
                    "computed": computed,
                    "difference": computed - reported[phase],
                    "mismatch": computed != reported[phase],
                }
            )
    return out


def summary_lines(*, code: str, year: int, rows: SummaryRows | None = None) -> list[dict[str, Any]]:
    """Return the DJPK summary of region code: {name, account, planned, realised, percent}
    (rows: its summary_rows when already read)."""
    found = summary_rows(code=code, year=year) if rows is None else rows
    planned = [(name, account, amount) for phase, name, account, amount in found if phase == "dpa"]
    realised = [amount for phase, _n, _a, amount in found if phase == "realisasi"]
    return [
        {
            "name": name,
            "account": account,
            "planned": amount,
            "realised": got,
            "percent": round(got * 100 / amount, 2) if amount else None,
        }
        for (name, account, amount), got in zip(planned, realised, strict=False)
    ]


def breakdowns(*, code: str, year: int, harvested: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Return code's subtree spending by "urusan", "bidang" and "account" group, each largest
    first (then by key), from the maintained RegionBreakdown rows (a few dozen per region)
    plus the breakdowns harvested from other instances (terbuka_web.federation).

    Each dict: {key, label, planned, realised, harvested: [{origin, url, planned, realised}]}
    (the figures include the harvested ones). APBD lines group by their programme's urusan
    or bidang and their account's jenis; APBDes lines by bidang and jenis belanja (5.x), a
    village's bidang as urusan "desa-N" (terbuka_web.budget.breakdowns). harvested: False
    skips looking for harvested ones, when none were harvested.
    """
    dotted = str(code_parse(code))
    rows = (
        RegionBreakdown.objects.filter(region_id=dotted, year=year, lines__gt=0)
        .order_by()
        .values_list("by", "key", "phase", "amount")
    )
    groups: dict[str, dict[str, dict[str, int]]] = {by: {} for by in KEYS}
    for by, key, phase, amount in rows:
        groups[by].setdefault(key, {})[phase] = amount
    remote = _harvested_add(groups, code=dotted, year=year) if harvested else {}
    return {
        by: sorted(
            (_item(by, key, phases, remote.get((by, key), {})) for key, phases in keys.items()),
            key=lambda item: (-item["planned"], item["key"]),
        )
        for by, keys in groups.items()
    }


Remotes = dict[tuple[str, str], dict[str, int]]  # (origin, url) → phase → amount


def _harvested_add(
    groups: dict[str, dict[str, dict[str, int]]], *, code: str, year: int
) -> dict[tuple[str, str], Remotes]:
    """Add the breakdowns harvested for code's subtree to groups (by → key → phase → amount);
    return each (by, key)'s harvested amounts per remote."""
    remote: dict[tuple[str, str], Remotes] = {}
    for row in harvested_region_breakdowns(code=code, year=year):
        phases = groups[row.by].setdefault(row.key, {})
        phases[row.phase] = phases.get(row.phase, 0) + row.amount
        got = remote.setdefault((row.by, row.key), {}).setdefault((row.origin, row.url), {})
        got[row.phase] = row.amount
    return remote


def _item(by: str, key: str, phases: dict[str, int], remotes: Remotes) -> dict[str, Any]:
    """Return one breakdown key's figures (planned: DPA, realised), with the harvested part."""
    return {
        "key": key,
        "label": _label(by, key),
        "planned": phases.get("dpa", 0),
        "realised": phases.get("realisasi", 0),
        "harvested": [
            {"origin": o, "url": u, "planned": p.get("dpa", 0), "realised": p.get("realisasi", 0)}
            for (o, u), p in remotes.items()
        ],
    }


def _label(by: str, key: str) -> str:
    if by == "urusan":
        village = key.removeprefix("desa-")
        return URUSAN.get(key) or f"Desa: {VILLAGE_BIDANG.get(village, village)}"
    if by == "bidang":
        return BIDANG.get(key) or VILLAGE_BIDANG.get(key) or key
    return VILLAGE_ACCOUNTS.get(key, account_name(key)) if key.count(".") < 2 else account_name(key)


def village_lines(*, code: str, year: int) -> list[dict[str, Any]]:
    """Return a village's APBDes by account and bidang: {account, programme, name, dpa,
    perubahan, realisasi, semester: {1: …, 2: …}} per line key, in code order."""
    rows = (
        BudgetLine.objects.filter(region_id=code, year=year, current=True, summary=False)
        .values_list("account", "programme", "name", "phase", "batch__semester")
        .annotate(total=Sum("amount"))
        .order_by("account", "programme")
    )
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for account, programme, name, phase, semester, total in rows:
        item = merged.setdefault(
            (account, programme),
            {
                "account": account,
                "programme": programme,
                "name": name or VILLAGE_ACCOUNTS.get(account, account),
                "dpa": 0,
                "perubahan": None,
                "realisasi": 0,
                "semester": {1: 0, 2: 0},
            },
        )
        item[phase] = (item.get(phase) or 0) + int(total or 0)
        if phase == "realisasi" and semester in (1, 2):
            item["semester"][semester] += int(total or 0)
    return list(merged.values())


def village_projects(*, code: str, year: int) -> list[VillageProject]:
    """Return a village's projects of year, by title."""
    return list(VillageProject.objects.filter(region_id=code, year=year))


def village_board(*, code: str, year: int) -> Board | None:
    """Return village code's APBDes board of year, None when it published no APBDes then.

    Amounts are the budget after perubahan where one exists (else the APBDes) and the
    realisation of both semesters; belanja is summed per bidang.
    """
    lines = village_lines(code=code, year=year)
    if not lines:
        return None
    chain = region_ancestors(code=code)
    belanja: dict[str, list[int]] = {}
    for line in lines:
        if line["account"].startswith("5"):
            key = (line["programme"] or "?")[0]
            item = belanja.setdefault(key, [0, 0])
            item[0] += _adjusted(line)
            item[1] += line["realisasi"]
    base = str(settings.TERBUKA["BASE_URL"]).rstrip("/")
    return Board(
        village=chain[-1].name,
        place=", ".join(_titled(r) for r in reversed(chain[:-1])),
        year=year,
        pendapatan=_rows(lines, "4"),
        belanja=[
            Row(f"{key}. {VILLAGE_BIDANG.get(key, key)}", planned, realised)
            for key, (planned, realised) in sorted(belanja.items())
        ],
        pembiayaan=_rows(lines, "6"),
        projects=[
            Project(p.title, p.location, p.volume, p.total, p.progress)
            for p in village_projects(code=code, year=year)
        ],
        footer=(
            "Sumber: APBDes yang diterbitkan di Terbuka dan dicatat di log transparansi. "
            f"{base}/anggaran/{code}/?tahun={year}"
        ),
    )


def _titled(region: Region) -> str:
    """Return "Kecamatan Ngraho", "Kabupaten Bojonegoro" (named so), "Provinsi Jawa Timur"."""
    prefix = {"district": "Kecamatan ", "province": "Provinsi "}.get(region.level, "")
    return prefix + region.name


def _adjusted(line: dict[str, Any]) -> int:
    return int(line["perubahan"] if line["perubahan"] is not None else line["dpa"])


def _rows(lines: list[dict[str, Any]], prefix: str) -> list[Row]:
    return [
        Row(line["name"], _adjusted(line), line["realisasi"], outgoing=line["account"] >= "6.2")
        for line in lines
        if line["account"].startswith(prefix)
    ]


def board_version(*, code: str, year: int) -> str:
    """Return a short digest that changes with every publication or project update of the
    village's budget of year (it keys the stored board files)."""
    batches = BudgetBatch.objects.filter(region_id=code, year=year).aggregate(
        last=Max("id"), count=Count("id"), at=Max("created_at")
    )
    projects = VillageProject.objects.filter(region_id=code, year=year).aggregate(
        last=Max("updated_at"), count=Count("id")
    )
    seen = f"{sorted(batches.items())}:{sorted(projects.items())}"
    return hashlib.sha256(seen.encode()).hexdigest()[:16]


def process_budget_lines(*, agency_id: int | None, year: int, programme: str) -> list[BudgetLine]:
    """Return the current budget lines of a sub-kegiatan (a process's planning budget line)."""
    if agency_id is None or not programme:
        return []
    return list(
        BudgetLine.objects.filter(
            agency_id=agency_id, year=year, programme=programme, current=True, summary=False
        ).order_by("account", "phase")
    )


def budget_breakdown_for(
    *, agency_id: int | None, year: int, programme: str
) -> list[dict[str, Any]]:
    """Return the OCDS budget breakdown of a process's sub-kegiatan: one part per account.

    Each part: {id "programme/account", description, amount (perubahan, else DPA),
    classifications (urusan, bidang, program, kegiatan, subKegiatan, akun, jenis, fungsi),
    measures (dpa, perubahan, realisasi)}. Empty when the agency has no such line.
    """
    parts: dict[str, dict[str, Any]] = {}
    for line in process_budget_lines(agency_id=agency_id, year=year, programme=programme):
        part = parts.setdefault(line.account, {"name": line.name, "measures": {}})
        part["measures"][line.phase] = part["measures"].get(line.phase, 0) + line.amount
    segments = programme.split(".")
    out = []
    for account, part in sorted(parts.items()):
        measures = part["measures"]
        out.append(
            {
                "id": f"{programme}/{account}",
                "description": part["name"] or account_name(account),
                "amount": measures.get("perubahan", measures.get("dpa", 0)),
                "classifications": {
                    "urusan": segments[0],
                    "bidang": ".".join(segments[:2]),
                    "program": ".".join(segments[:3]),
                    "kegiatan": ".".join(segments[:5]),
                    "subKegiatan": programme,
                    "akun": account,
                    "jenis": ".".join(account.split(".")[:3]),
                },
                "measures": measures,
            }
        )
    return out


def export_years() -> list[int]:
    """Return the fiscal years holding any current budget line, newest first: read from the
    batches (a batch and its lines become current or superseded together), not the lines."""
    batches = BudgetBatch.objects.filter(current=True, rows__gt=0)
    return sorted(set(batches.values_list("year", flat=True).distinct()), reverse=True)


def export_rows(*, year: int) -> Iterator[tuple[object, ...]]:
    """Yield every current budget line of year as a row of terbuka.budget.fdp.HEADER: region,
    kind, agency, year, phase, semester, codes, description and amount, by region and batch."""
    rows = (
        BudgetLine.objects.filter(year=year, current=True)
        .order_by("region_id", "batch_id", "id")
        .values_list(
            "region_id", "region__name", "batch__kind", "agency__code", "agency__name", "year",
            "phase", "batch__semester", "programme", "account", "fungsi", "name", "amount",
        )
    )  # fmt: skip
    for row in rows.iterator(chunk_size=5000):
        yield tuple("" if value is None else value for value in row)


def export_modified() -> datetime | None:
    """Return when the newest budget batch was published (the catalogue's modified date)."""
    return BudgetBatch.objects.aggregate(last=Max("created_at"))["last"]


def export_regions() -> tuple[str, ...]:
    """Return the top regions holding budget batches (those no other batch region contains)."""
    codes = sorted(set(BudgetBatch.objects.values_list("region_id", flat=True).distinct()))
    tops: list[str] = []
    for code in codes:
        if not any(code.startswith(top + ".") for top in tops):
            tops.append(code)
    return tuple(tops)


PAGE_LINES = 20_000
LINE_FIELDS = ("programme", "account", "fungsi", "name", "amount")


def batches_logged(*, after: int, limit: int) -> tuple[list[dict[str, Any]], int | None]:
    """Return up to limit published batches logged after log entry id after, oldest first.

    Each: {"entry": the "budget.batch" log entry as logged, "lines": its lines as hashed
    (sha256 of their RFC 8785 JSON is the entry's)}, plus the last entry id (the cursor).
    A page stops before PAGE_LINES lines (a few MB; harvesters read at most 16 MiB) unless
    its first batch alone holds more.
    """
    logged: list[tuple[int, bytes]] = []
    entries: list[dict[str, Any]] = []
    count = 0
    for pk, data in (
        LogEntry.objects.filter(kind="budget.batch", id__gt=after)
        .order_by("id")
        .values_list("id", "data")[:limit]
    ):
        entry = json.loads(bytes(data))
        count += int(entry.get("rows", 0))
        if entries and count > PAGE_LINES:
            break
        logged.append((pk, data))
        entries.append(entry)
    lines: dict[int, list[dict[str, Any]]] = {e["batch"]: [] for e in entries}
    rows = (
        BudgetLine.objects.filter(batch_id__in=list(lines))
        .order_by("batch_id", "id")
        .values_list("batch_id", *LINE_FIELDS)
    )
    for batch, *values in rows:
        lines[batch].append(dict(zip(LINE_FIELDS, values, strict=True)))
    items = [{"entry": e, "lines": lines[e["batch"]]} for e in entries]
    return items, (logged[-1][0] if logged else None)


def village_of_token(token: str) -> str | None:
    """Return the village code a live (unrevoked) village-system token belongs to, or None."""
    return (
        VillageToken.objects.filter(token_sha256=token_digest(token), revoked=False)
        .values_list("region_id", flat=True)
        .first()
    )
