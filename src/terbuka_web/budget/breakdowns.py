"""Keep RegionBreakdown: every region's spending per year, phase and breakdown key.

A current detailed spending line (akun 5) falls under one key per breakdown: "urusan", its
programme's first segment ("1"; a village's bidang is no urusan, so "desa-2" there),
"bidang", its programme's first two ("1.03", a village's "2.3"), and "account", its account
group ("5.2.04", a village's jenis "5.2"). The rule is one SQL expression per breakdown
(KEYS), run by the database on both paths, so they cannot drift apart:

- the rebuild (a year at once: the migration that fills the table, bulk loads) inserts every
  government's own sums, then adds each level's rows to its parents, villages first;
- the refresh after a publication recomputes one government's own sums and adds the change
  to its row and its ancestors' (increments only, so siblings publish in any order).
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db import connection, models, transaction
from django.db.models import BigIntegerField, Case, F, Q, Value, When

from terbuka_web.budget.models import BudgetLine, RegionBreakdown
from terbuka_web.regions.models import Region

KEYS = {
    "urusan": (
        "CASE WHEN LENGTH(region_id) > 8 THEN 'desa-' ELSE '' END"
        " || RTRIM(SUBSTR(programme, 1, 1), '.')"
    ),
    "bidang": "RTRIM(SUBSTR(programme, 1, 4), '.')",
    "account": "RTRIM(SUBSTR(account, 1, 6), '.')",
}


def breakdown_keys(*, region: str, programme: str, account: str) -> dict[str, str]:
    """Return a spending line's key under each breakdown, as KEYS computes it in SQL (for
    lines that are not rows of this database: harvested batches)."""
    return {
        "urusan": ("desa-" if len(region) > 8 else "") + programme[:1].rstrip("."),
        "bidang": programme[:4].rstrip("."),
        "account": account[:6].rstrip("."),
    }


SPENDING = "year = %s AND {current} AND NOT summary AND account LIKE '5%%'"
COLUMNS = ("region_id", "year", "by", "key", "phase", "own_amount", "own_lines", "amount", "lines")
Figures = dict[tuple[str, str, str], list[int]]  # (by, key, phase) → [amount, lines]


def _q(name: str) -> str:
    return str(connection.ops.quote_name(name))


def _own_select(lines_table: str, by: str, where: str, sums: str = "SUM(amount), COUNT(*)") -> str:
    """Return the SELECT of the own sums under breakdown by: region, year, by, key, phase,
    then sums (amount, line count), per government and key."""
    key = KEYS[by]
    spending = SPENDING.format(current=_q("current"))
    return (
        f"SELECT region_id, year, '{by}', {key}, phase, {sums}"
        f" FROM {lines_table} WHERE {spending}{where}"
        f" GROUP BY region_id, year, {key}, phase"
    )


@transaction.atomic
def region_breakdowns_rebuild(
    *,
    year: int,
    line_model: type[models.Model] = BudgetLine,
    breakdown_model: type[models.Model] = RegionBreakdown,
    region_model: type[models.Model] = Region,
) -> int:
    """Recompute every region's breakdowns of year from the current lines, in the database;
    the models are the migration's when it fills the table. Returns the rows written."""
    table = _q(breakdown_model._meta.db_table)
    lines = _q(line_model._meta.db_table)
    regions = _q(region_model._meta.db_table)
    columns = ", ".join(_q(c) for c in COLUMNS)
    depth = "LENGTH(b.region_id) - LENGTH(REPLACE(b.region_id, '.', ''))"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE year = %s", [year])
        for by in KEYS:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "
                + _own_select(lines, by, "", sums="SUM(amount), COUNT(*), SUM(amount), COUNT(*)"),
                [year],
            )
        cursor.execute(f"SELECT MAX({depth}) FROM {table} AS b WHERE b.year = %s", [year])
        deepest = cursor.fetchone()[0] or 0
        for level in range(deepest, 0, -1):  # children at level go into their parents' rows
            cursor.execute(
                f"INSERT INTO {table} ({columns})"
                f" SELECT r.parent_id, b.year, b.{_q('by')}, b.{_q('key')}, b.phase, 0, 0,"
                " SUM(b.amount), SUM(b.lines)"
                f" FROM {table} AS b JOIN {regions} AS r ON r.code = b.region_id"
                f" WHERE b.year = %s AND {depth} = %s AND r.parent_id IS NOT NULL"
                f" GROUP BY r.parent_id, b.year, b.{_q('by')}, b.{_q('key')}, b.phase"
                f" ON CONFLICT (region_id, year, {_q('by')}, {_q('key')}, phase) DO UPDATE"
                " SET amount = excluded.amount + "
                f"{table}.amount, lines = excluded.lines + {table}.lines",
                [year, level],
            )
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE year = %s", [year])
        return int(cursor.fetchone()[0])


def breakdowns_own(*, region: str, year: int) -> Figures:
    """Return government region's own spending of year per (breakdown, key, phase)."""
    lines = _q(BudgetLine._meta.db_table)
    sql = " UNION ALL ".join(_own_select(lines, by, " AND region_id = %s") for by in KEYS)
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, region] * len(KEYS))
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return {(by, key, phase): [int(total), count] for _r, _y, by, key, phase, total, count in rows}


def region_breakdowns_refresh(*, region: str, year: int, chain: list[str]) -> None:
    """Recompute region's own breakdowns of year and add each change to the rows of chain
    (region and its ancestors). Called under region's RegionBudget row lock."""
    fresh = breakdowns_own(region=region, year=year)
    stored: Figures = {
        (by, key, phase): [amount, count]
        for by, key, phase, amount, count in RegionBreakdown.objects.filter(
            region_id=region, year=year
        ).values_list("by", "key", "phase", "own_amount", "own_lines")
    }
    changes = {
        group: (new[0] - old[0], new[1] - old[1])
        for group in fresh.keys() | stored.keys()
        for new, old in [(fresh.get(group, [0, 0]), stored.get(group, [0, 0]))]
        if new != old
    }
    if not changes:
        return
    existing = set(
        RegionBreakdown.objects.filter(region_id__in=chain, year=year).values_list(
            "region_id", "by", "key", "phase"
        )
    )
    RegionBreakdown.objects.bulk_create(
        [
            RegionBreakdown(region_id=code, year=year, by=by, key=key, phase=phase)
            for code in chain
            for by, key, phase in changes
            if (code, by, key, phase) not in existing
        ],
        ignore_conflicts=True,  # a sibling's publication may have just added the row
    )
    # Two UPDATEs whatever the number of changed keys: each row adds its key's change.
    keys = {group: Q(by=group[0], key=group[1], phase=group[2]) for group in changes}
    rows = RegionBreakdown.objects.filter(reduce(or_, keys.values()), year=year)
    amount, count = (
        Case(
            *(When(keys[group], then=Value(change[n])) for group, change in changes.items()),
            default=Value(0),
            output_field=BigIntegerField(),
        )
        for n in (0, 1)
    )
    rows.filter(region_id__in=chain).update(amount=F("amount") + amount, lines=F("lines") + count)
    rows.filter(region_id=region).update(
        own_amount=F("own_amount") + amount, own_lines=F("own_lines") + count
    )
