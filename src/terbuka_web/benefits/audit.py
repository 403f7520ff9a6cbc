"""Read a cycle's audit figures per village and check that no rupiah leaked (from the ledger).

Per village (Rupiah integers; counts for refusals): allocated at the snapshot, credited to
entitlements, spent (moved on to wallets or merchants), clawed back to the fund, and refused
by reason (deceased, duplicate, ineligible). No pseudonym, NIK hash or identity leaves here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum

from terbuka.spreadsheet import Sheet
from terbuka_web.benefits.cycles import entitlement_prefix, fund_account
from terbuka_web.benefits.models import Cycle, CycleItem, Programme
from terbuka_web.ledger.models import Account, Leg

COLUMNS = (
    "village_code", "allocated", "credited", "spent", "clawed_back", "refused", "deceased",
    "duplicate", "ineligible",
)  # fmt: skip


def cycle_get(programme: Programme, number: int) -> Cycle | None:
    """Return programme's cycle number, or None."""
    return Cycle.objects.filter(programme=programme, number=number).first()


def programme_cycle_numbers(programme: Programme) -> list[int]:
    """Return the numbers of programme's cycles, oldest first."""
    return list(programme.cycles.order_by("number").values_list("number", flat=True))


def cycle_villages(cycle: Cycle) -> list[dict[str, Any]]:
    """Return one row per village of cycle (see COLUMNS); refused = deceased + duplicate +
    ineligible. Example: {"village_code": "35.22.01.2001", "allocated": 900000, "credited":
    900000, "spent": 0, "clawed_back": 0, "refused": 2, …}."""
    prefix = entitlement_prefix(cycle)
    balances = dict(Account.objects.filter(key__startswith=prefix).values_list("key", "balance"))
    credited: dict[str, int] = defaultdict(int)
    clawed: dict[str, int] = defaultdict(int)
    unspent: dict[str, int] = defaultdict(int)
    items = (
        CycleItem.objects.filter(cycle=cycle)
        .credited()
        .values_list("village_code", "pseudonym", "amount", "clawed_back")
    )
    for village, ps, amount, back in items.iterator(2000):
        credited[village] += amount
        clawed[village] += back
        unspent[village] += balances.get(prefix + ps, 0)
    rows = []
    for v in cycle.villages.order_by("village_code"):
        code = v.village_code
        rows.append({
            "village_code": code, "allocated": v.allocated, "credited": credited[code],
            "spent": credited[code] - clawed[code] - unspent[code], "clawed_back": clawed[code],
            "refused": v.deceased + v.duplicate + v.ineligible, "deceased": v.deceased,
            "duplicate": v.duplicate, "ineligible": v.ineligible,
        })  # fmt: skip
    return rows


def cycle_audit_sheet(cycle: Cycle) -> Sheet:
    """Return cycle's audit per village as one sheet (headings COLUMNS, Rupiah and counts as
    numbers), named "<programme>-siklus-<n>"."""
    rows = cycle_villages(cycle)
    return Sheet(
        name=f"{cycle.programme.slug}-siklus-{cycle.number}",
        headings=COLUMNS,
        rows=lambda: ([row[c] for c in COLUMNS] for row in rows),
    )


@dataclass
class Leakage:
    """Hold a cycle's money trail from the ledger; ok when every rupiah is accounted for."""

    from_fund: int = 0
    into_entitlements: int = 0
    spent: int = 0
    clawed_back: int = 0
    unspent: int = 0
    elsewhere: int = 0
    credited_items: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when the trail closes: no problem found."""
        return not self.problems


def _sum(query: Any) -> int:
    return int(query.aggregate(total=Sum("amount"))["total"] or 0)


def cycle_leakage(cycle: Cycle) -> Leakage:
    """Return the zero-leakage check of cycle, read from ledger legs (not from our counters).

    Fund → entitlements must equal the credited items; every rupiah leaving an entitlement
    must reach a wallet, a merchant or (clawback) the fund; what stays is unspent.
    """
    slug, n, prefix = cycle.programme.slug, cycle.number, entitlement_prefix(cycle)
    fund = fund_account(cycle.programme)
    legs = Leg.objects
    out = Leakage()
    paid = legs.filter(posting__key__startswith=f"cycle:{slug}:{n}:")
    out.from_fund = _sum(paid.filter(account__key=fund, side="debit"))
    out.into_entitlements = _sum(legs.filter(account__key__startswith=prefix, side="credit"))
    left_entitlements = _sum(legs.filter(account__key__startswith=prefix, side="debit"))
    moving = legs.filter(
        posting__legs__account__key__startswith=prefix, posting__legs__side="debit", side="credit"
    ).exclude(account__key__startswith=prefix)
    out.clawed_back = _sum(moving.filter(account__key=fund, posting__key__startswith="clawback:"))
    out.spent = _sum(moving.filter(account__kind__in=["wallet", "merchant"]))
    out.elsewhere = left_entitlements - out.clawed_back - out.spent
    out.unspent = int(
        Account.objects.filter(key__startswith=prefix).aggregate(b=Sum("balance"))["b"] or 0
    )
    out.credited_items = _sum(CycleItem.objects.filter(cycle=cycle).credited())
    if out.from_fund != out.into_entitlements or out.from_fund != out.credited_items:
        out.problems.append(
            f"dana keluar {out.from_fund} / hak masuk {out.into_entitlements} / kredit "
            f"{out.credited_items} berbeda · fund out, entitlements in, credits differ"
        )
    if out.into_entitlements != out.spent + out.clawed_back + out.unspent + out.elsewhere:
        out.problems.append("saldo hak tidak cocok · entitlement balances do not add up")
    if out.elsewhere:
        out.problems.append(
            f"Rp {out.elsewhere} keluar dari hak ke akun lain · left entitlements elsewhere"
        )
    return out
