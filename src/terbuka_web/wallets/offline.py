"""Offline payments on the server: allowances issued, vouchers synced, reserves returned.

allowance_issue(intent=…, count=K): the wallet asks with a signed intent of its own chain
paying the allowance's amount to the reserved merchant id "luring". Under the wallet's row
lock (as payment_accept) the chain, expiry and balance are checked, the posting moves the
amount to the wallet's offline reserve "offline:<did>:<programme>", and the server signs a
TOA1 allowance (issuer key TERBUKA_WALLET_ISSUER_KEY_FILE) for counters start..start+K-1,
start = the request's counter + 1, under the programme's restrictions. The first offline
intent follows the request; the wallet's online chain skips the reserved counters: its head
becomes (start+K-1, the allowance's hash), so online payments go on during the allowance
with no conflict possible (the reserve is already out of the balance).

vouchers_sync(merchant=…, vouchers=[…], taken=[…]): each voucher is verified (each
allowance's signature once per batch; a large batch on all cores, terbuka.money.verifypool),
must pay this merchant under an allowance the server
issued; then, per allowance, under the allowance's row lock, each new voucher is re-checked
against the purpose rules the merchant should have applied when taking it (sync_rules_check:
expiry at the time taken, category, region, per-payment cap; a breach goes to the grievance
queue with its reason), and every voucher ever synced for it (any merchant, any earlier sync)
goes through terbuka.money.voucher.chain_accept from the allowance's offline head; the
accepted ones are paid in chain order while the wallet's day (of the time taken) stays within
the per-day cap — the first one above it goes to the queue (over_day_cap), those after it
wait —: reserve → merchant (pay:<hash> posting, a pseudonymous wallet.payment log entry with
"offline": true, a Payment with its receipt); the losers go to the grievance queue with the
signed evidence of conflicts_find. Vouchers are stored by intent hash, so a retried or
overlapping sync changes nothing already decided.

allowances_close(): past its expiry plus GRACE_SECONDS an allowance closes: vouchers still
waiting for a predecessor go to the grievance queue (gap), what the reserve holds returns to
the wallet — to its current key after a re-enrolment — (unreserve:<hash> posting,
wallet.allowance_return log entry), and later vouchers are grievances (late).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from terbuka.errors import TerbukaError, ValidationError
from terbuka.money.allowance import Allowance, SignedAllowance, allowance_sign
from terbuka.money.errors import PaymentRefused
from terbuka.money.intent import SignedIntent, intent_verify
from terbuka.money.keys import WalletKey
from terbuka.money.purpose import (
    ChainHead,
    Restrictions,
    cap_check,
    chain_check,
    day_of,
    expiry_check,
    merchant_check,
    refusal_reason,
)
from terbuka.money.purpose import Merchant as RuleMerchant
from terbuka.money.spend import (
    OFFLINE_MERCHANT,
    reserve_return_posting,
    voucher_posting,
)
from terbuka.money.verifypool import vouchers_verify_parallel
from terbuka.money.voucher import Voucher, chain_accept, conflicts_find
from terbuka.money.walletfile import issuer_key_read
from terbuka_web.benefits.models import Programme
from terbuka_web.ledger.services import postings_record
from terbuka_web.transparency.services import entry_append
from terbuka_web.wallets.models import (
    Grievance,
    Merchant,
    OfflineAllowance,
    OfflineVoucher,
    Payment,
    Wallet,
)
from terbuka_web.wallets.payments import PAYMENT, intent_record, restrictions_of, wallet_locked

ALLOWANCE = "wallet.allowance"
RETURN = "wallet.allowance_return"
ALLOWANCE_SECONDS = 7 * 86400  # an allowance lasts a week (or to the programme's end)
GRACE_SECONDS = 7 * 86400  # merchants may still sync a week after it expires
MAX_COUNT = 20
MAX_VOUCHERS = 500
CONFLICT_REASON = {"fork": Grievance.Reason.FORK, "counter": Grievance.Reason.COUNTER,
                   "overdrawn": Grievance.Reason.OVERDRAWN}  # fmt: skip
RULE_REASONS = (Grievance.Reason.EXPIRED, Grievance.Reason.CATEGORY, Grievance.Reason.REGION,
                Grievance.Reason.PAYMENT_CAP, Grievance.Reason.DAY_CAP)  # fmt: skip


def issuer_key() -> WalletKey:
    """Return the allowance issuer's key (settings checked it at start); refuse without one."""
    path = settings.TERBUKA["WALLET_ISSUER_KEY_FILE"]
    if not path:
        raise ValidationError(
            "server ini tidak menerbitkan jatah luring (TERBUKA_WALLET_ISSUER_KEY_FILE kosong)",
            "this server issues no offline allowances (TERBUKA_WALLET_ISSUER_KEY_FILE unset)",
            where="allowance",
        )
    return issuer_key_read(Path(path), settings.TERBUKA["WALLET_ISSUER"])


def _regions(codes: list[str]) -> tuple[str, ...]:
    """Return the programme's region codes without dots, as an allowance carries them."""
    undotted = tuple(sorted({code.replace(".", "") for code in codes}))
    if len(undotted) > 4:
        raise ValidationError(
            "program dengan lebih dari 4 wilayah tidak dapat diberi jatah luring",
            "a programme of more than 4 regions cannot have offline allowances",
            where="programme",
        )
    return undotted


@transaction.atomic
def allowance_issue(*, intent: str, count: int, now: int | None = None) -> OfflineAllowance:
    """Accept the wallet's signed request (an intent to "luring") and sign its allowance.

    Raises ValidationError for a bad count or a server without issuer key, WalletFormatError,
    SignatureRefused or PaymentRefused (wrong_merchant, unknown_wallet, revoked_wallet,
    wrong_programme, replay, chain_gap, chain_fork, expired, insufficient_balance) otherwise;
    writes nothing when it raises.
    """
    if type(count) is not int or not 1 <= count <= MAX_COUNT:
        raise ValidationError(
            f"jumlah niat luring harus 1–{MAX_COUNT}", f"count must be 1–{MAX_COUNT}", where="count"
        )
    key = issuer_key()
    signed = SignedIntent.parse(intent)
    i = signed.intent
    if i.merchant != OFFLINE_MERCHANT:
        raise PaymentRefused(
            "wrong_merchant",
            f"permintaan jatah luring harus membayar '{OFFLINE_MERCHANT}'",
            f"an offline allowance request must pay '{OFFLINE_MERCHANT}'",
            where="merchant",
        )
    wallet = wallet_locked(i.wallet)
    programme = Programme.objects.filter(slug=i.programme).first()
    if programme is None:
        raise PaymentRefused(
            "wrong_programme", "program tidak dikenal", "unknown programme", where="programme"
        )
    restrictions = restrictions_of(programme)
    moment = now if now is not None else int(time.time())
    intent_verify(signed)
    chain_check(signed, ChainHead(wallet.counter, wallet.head))
    expiry_check(signed, restrictions, moment)
    allowance = allowance_sign(
        key,
        Allowance(
            wallet=i.wallet, programme=i.programme, amount=i.amount, count=count,
            start=i.counter + 1, expires=min(moment + ALLOWANCE_SECONDS, restrictions.expires),
            payment_cap=restrictions.payment_cap, day_cap=restrictions.day_cap,
            categories=tuple(sorted(restrictions.categories)),
            regions=_regions(list(restrictions.regions)),
        ),
    )  # fmt: skip
    intent_record(signed)  # refuses insufficient_balance before anything is written
    entry_append(
        kind=ALLOWANCE, ref=f"dompet/{i.wallet}/{i.counter}",
        payload={"intent": signed.format(), "hash": signed.hash(),
                 "allowance": allowance.format()},
    )  # fmt: skip
    a = allowance.allowance
    wallet.counter, wallet.head = a.start + a.count - 1, allowance.hash()
    wallet.save(update_fields=["counter", "head"])
    return OfflineAllowance.objects.create(
        hash=allowance.hash(), wallet=wallet, programme=a.programme, text=allowance.format(),
        request=signed.format(), request_hash=signed.hash(), amount=a.amount, start=a.start,
        count=a.count, expires=a.expires, head_counter=i.counter, head_hash=signed.hash(),
        issued_at=timezone.now(),
    )  # fmt: skip


@dataclass(frozen=True)
class SyncResult:
    """Hold what became of one synced voucher (see the api module for the statuses)."""

    hash: str | None
    status: str
    reason: str | None = None

    def as_data(self) -> dict[str, str | None]:
        receipt = f"/api/wallets/payments/{self.hash}" if self.status in _PAID else None
        return {"hash": self.hash, "status": self.status, "reason": self.reason,
                "receipt": receipt}  # fmt: skip


_PAID = ("accepted", "duplicate")


def vouchers_sync(
    *,
    merchant: Merchant,
    vouchers: list[str],
    taken: list[int] | None = None,
    now: int | None = None,
) -> list[SyncResult]:
    """Decide every voucher merchant hands in; return one result each, in the order given.

    taken, when given, says when the merchant took each voucher (unix seconds, as its device
    recorded; see _taken_at for how the server bounds it).
    Raises ValidationError for more than MAX_VOUCHERS vouchers, a taken list of another
    length, or a server without issuer.
    """
    if len(vouchers) > MAX_VOUCHERS:
        raise ValidationError(
            f"paling banyak {MAX_VOUCHERS} voucher sekali sinkron",
            f"at most {MAX_VOUCHERS} vouchers per sync",
            where="vouchers",
        )
    if taken is not None and len(taken) != len(vouchers):
        raise ValidationError(
            "daftar waktu terima harus sepanjang daftar voucher",
            "the taken list must be as long as the voucher list",
            where="taken",
        )
    issuer = settings.TERBUKA["WALLET_ISSUER"]
    if not issuer:
        raise ValidationError(
            "server ini belum mengatur TERBUKA_WALLET_ISSUER",
            "this server has no TERBUKA_WALLET_ISSUER set",
            where="vouchers",
        )
    moment = now if now is not None else int(time.time())
    results: dict[int, SyncResult] = {}
    groups: dict[str, list[tuple[int, Voucher, int | None]]] = {}
    for n, checked in enumerate(vouchers_verify_parallel(vouchers, issuer)):
        if isinstance(checked, TerbukaError):
            results[n] = SyncResult(_hash_of(vouchers[n]), "refused", refusal_reason(checked))
        elif checked.intent.intent.merchant != merchant.code:
            results[n] = SyncResult(checked.intent.hash(), "refused", "wrong_merchant")
        else:
            when = taken[n] if taken is not None else None
            groups.setdefault(checked.allowance.hash(), []).append((n, checked, when))
    issued = dict(OfflineAllowance.objects.filter(hash__in=list(groups)).values_list("hash", "pk"))
    for allowance_hash in sorted(groups, key=lambda h: issued.get(h, 0)):  # one lock order
        items = groups[allowance_hash]
        if allowance_hash not in issued:
            results.update(
                (n, SyncResult(v.intent.hash(), "refused", "unknown_allowance"))
                for n, v, _when in items
            )
            continue
        results.update(_allowance_sync(issued[allowance_hash], merchant, items, moment))
    return [results[n] for n in range(len(vouchers))]


def _hash_of(text: str) -> str | None:
    """Return the intent hash of a voucher text that parses, else None."""
    try:
        return SignedIntent.parse(text.split("~")[0]).hash()
    except (TerbukaError, AttributeError):
        return None


def sync_rules_check(voucher: Voucher, merchant: Merchant, taken: int) -> str | None:
    """Return the purpose rule voucher breaks for merchant at time taken, None if it keeps all.

    These are the offline checks a merchant makes before taking a voucher (terbuka.money
    .voucher.offline_check), against the restrictions its allowance carries: expiry of the
    intent and of the allowance (expired), the merchant's approved category (wrong_category)
    and village (wrong_region), the per-payment cap (over_payment_cap); the per-day cap needs
    the wallet's other payments of that day (_day_fitting).
    """
    restrictions = voucher.restrictions()
    try:
        expiry_check(voucher.intent, restrictions, taken)
        rule_merchant = RuleMerchant(merchant.code, merchant.category, merchant.village_id)
        merchant_check(voucher.intent, restrictions, rule_merchant)
        cap_check(voucher.intent, replace(restrictions, day_cap=0), 0)  # the day: _day_fitting
    except PaymentRefused as exc:
        return exc.reason
    return None


def _taken_at(declared: int | None, voucher: Voucher, allowance: OfflineAllowance, now: int) -> int:
    """Return when the voucher counts as taken: the merchant's declared time, but not before
    the allowance was issued nor after now; without one, the latest moment it was still valid
    (now, or the intent's or allowance's expiry if earlier), so no rule reads an unknown time
    against the merchant."""
    if declared is None:
        return min(now, voucher.intent.intent.expires, voucher.allowance.allowance.expires)
    return max(int(allowance.issued_at.timestamp()), min(declared, now))


@transaction.atomic
def _allowance_sync(
    pk: int, merchant: Merchant, items: list[tuple[int, Voucher, int | None]], now: int
) -> dict[int, SyncResult]:
    """Store items under allowance pk (locked), decide what waits; return each item's result."""
    allowance = OfflineAllowance.objects.select_for_update().get(pk=pk)
    _close_if_due(allowance, now)
    rows = {row.intent_hash: row for row in allowance.vouchers.all()}
    before = {h for h, row in rows.items() if row.status == OfflineVoucher.Status.ACCEPTED}
    stamp = timezone.now()
    for _n, voucher, declared in items:
        h = voucher.intent.hash()
        if h in rows:
            continue
        i = voucher.intent.intent
        taken = _taken_at(declared, voucher, allowance, now)
        reason = (
            Grievance.Reason.LATE
            if allowance.closed_at
            else sync_rules_check(voucher, merchant, taken)
        )
        rows[h] = OfflineVoucher.objects.create(
            intent_hash=h, allowance=allowance, merchant=merchant, intent=voucher.intent.format(),
            counter=i.counter, amount=i.amount, synced_at=stamp, taken=taken,
            status=OfflineVoucher.Status.GRIEVANCE if reason else OfflineVoucher.Status.WAITING,
        )  # fmt: skip
        if reason:
            _grievance(rows[h], reason, [voucher.intent.format()], stamp)
    _decide(allowance, list(rows.values()))
    results: dict[int, SyncResult] = {}
    for n, voucher, _declared in items:
        row = rows[voucher.intent.hash()]
        if row.status == OfflineVoucher.Status.ACCEPTED:
            status = "duplicate" if row.intent_hash in before else "accepted"
            results[n] = SyncResult(row.intent_hash, status)
        elif row.status == OfflineVoucher.Status.GRIEVANCE:
            reason = Grievance.objects.filter(voucher=row).values_list("reason", flat=True).first()
            results[n] = SyncResult(row.intent_hash, "grievance", reason)
        else:
            results[n] = SyncResult(row.intent_hash, "waiting")
    return results


def _decide(allowance: OfflineAllowance, rows: list[OfflineVoucher]) -> None:
    """Run the branch rule over allowance's waiting vouchers; pay the accepted, queue the rest."""
    waiting = sorted(
        (r for r in rows if r.status == OfflineVoucher.Status.WAITING), key=lambda r: r.pk
    )
    if not waiting:
        return
    signed_allowance = SignedAllowance.parse(allowance.text)
    vouchers = {
        r.intent_hash: Voucher(SignedIntent.parse(r.intent), signed_allowance) for r in rows
    }
    wallet = signed_allowance.allowance.wallet
    outcome = chain_accept(
        [vouchers[r.intent_hash] for r in waiting],
        {wallet: ChainHead(allowance.head_counter, allowance.head_hash)},
        {allowance.hash: allowance.spent},
    )
    by_hash = {r.intent_hash: r for r in rows}
    accepted = [by_hash[v.intent.hash()] for v in outcome.accepted]
    restrictions = Voucher(SignedIntent.parse(waiting[0].intent), signed_allowance).restrictions()
    fitting = _day_fitting(allowance, accepted, restrictions)
    _pay(allowance, accepted[:fitting], [v.intent for v in outcome.accepted[:fitting]],
         restrictions)  # fmt: skip
    still = {v.intent.hash() for v in outcome.waiting}
    still.update(r.intent_hash for r in accepted[fitting + 1 :])  # after the breach: they wait
    if fitting < len(accepted):
        over = accepted[fitting]
        over.status = OfflineVoucher.Status.GRIEVANCE
        over.save(update_fields=["status"])
        _grievance(over, Grievance.Reason.DAY_CAP, [over.intent], timezone.now())
    losers = [r for r in waiting if r.status == OfflineVoucher.Status.WAITING
              and r.intent_hash not in still]  # fmt: skip
    if not losers:
        return
    order = list(CONFLICT_REASON)  # a fork names a branch better than its reused counter
    breached = set(  # a voucher refused by a purpose rule is no spend: no conflict of its own
        Grievance.objects.filter(voucher__allowance=allowance, reason__in=RULE_REASONS).values_list(
            "voucher__intent_hash", flat=True
        )
    )
    spends = (v for h, v in vouchers.items() if h not in breached)
    conflicts = sorted(conflicts_find(spends), key=lambda c: order.index(c.kind))
    stamp = timezone.now()
    paid = {r.counter: r.intent_hash for r in rows if r.status == OfflineVoucher.Status.ACCEPTED}
    paid[allowance.start - 1] = allowance.request_hash
    for row in losers:
        reason, evidence = Grievance.Reason.FORK, [row.intent]
        follows = paid.get(row.counter - 1) == SignedIntent.parse(row.intent).intent.prev
        if follows and row.counter not in paid:  # it continued the chain: lost to the amount
            conflicts_of = [c for c in conflicts if c.kind == "overdrawn"]
        else:
            conflicts_of = conflicts
        for conflict in conflicts_of:
            texts = [item.format() for item in conflict.evidence]
            if row.intent in texts:
                reason, evidence = CONFLICT_REASON[conflict.kind], texts
                break
        else:  # follows a losing branch: the evidence is its predecessor
            prev = SignedIntent.parse(row.intent).intent.prev
            evidence += [r.intent for r in rows if r.intent_hash == prev]
        row.status = OfflineVoucher.Status.GRIEVANCE
        row.save(update_fields=["status"])
        _grievance(row, reason, evidence, stamp)


def _day_fitting(
    allowance: OfflineAllowance, rows: list[OfflineVoucher], restrictions: Restrictions
) -> int:
    """Return how many of rows (in chain order) fit the wallet's per-day cap, by the day each
    was taken, counting its payments of that day (online and offline) already made; all of
    them without a cap. Locks the wallet row first, as an online payment does, so one day's
    spending is counted by one writer at a time."""
    if not restrictions.day_cap or not rows:
        return len(rows)
    Wallet.objects.select_for_update().only("pk").get(pk=allowance.wallet_id)
    spent: dict[int, int] = {}
    for n, row in enumerate(rows):
        day = day_of(_taken_of(row), restrictions)
        if day not in spent:
            paid = Payment.objects.filter(
                wallet_id=allowance.wallet_id, programme=allowance.programme, day=day
            ).aggregate(total=Sum("amount"))["total"]
            spent[day] = paid or 0
        if spent[day] + row.amount > restrictions.day_cap:
            return n
        spent[day] += row.amount
    return len(rows)


def _taken_of(row: OfflineVoucher) -> int:
    """Return when row's voucher counts as taken (its sync time for rows synced before the
    time was kept)."""
    return row.taken if row.taken is not None else int(row.synced_at.timestamp())


def _pay(
    allowance: OfflineAllowance,
    rows: list[OfflineVoucher],
    intents: list[SignedIntent],
    restrictions: Restrictions,
) -> None:
    """Pay accepted vouchers from the reserve to their merchants, log and record each."""
    if not rows:
        return
    postings_record(postings=[voucher_posting(signed) for signed in intents])
    stamp = timezone.now()
    for row, signed in zip(rows, intents, strict=True):
        i = signed.intent
        entry = entry_append(
            kind=PAYMENT, ref=f"dompet/{i.wallet}/{i.counter}",
            payload={"intent": signed.format(), "hash": signed.hash(), "offline": True},
        )  # fmt: skip
        Payment.objects.create(
            intent_hash=signed.hash(), wallet_id=allowance.wallet_id,
            merchant_id=row.merchant_id, programme=i.programme, amount=i.amount,
            counter=i.counter, day=day_of(_taken_of(row), restrictions), intent=signed.format(),
            offline=True,
            accepted_at=stamp, entry_id=entry.pk,
        )  # fmt: skip
        row.status = OfflineVoucher.Status.ACCEPTED
        row.save(update_fields=["status"])
        allowance.spent += i.amount
        allowance.head_counter, allowance.head_hash = i.counter, signed.hash()
    allowance.save(update_fields=["spent", "head_counter", "head_hash"])


def _grievance(row: OfflineVoucher, reason: str, evidence: list[str], stamp: dt.datetime) -> None:
    Grievance.objects.create(
        voucher=row, wallet_id=row.allowance.wallet_id, reason=reason,
        evidence=list(dict.fromkeys(evidence)), created_at=stamp,
    )  # fmt: skip


def _close_if_due(allowance: OfflineAllowance, now: int) -> None:
    """Close the locked allowance when its grace has passed (see allowances_close)."""
    if allowance.closed_at is not None or now <= allowance.expires + GRACE_SECONDS:
        return
    stamp = timezone.now()
    for row in allowance.vouchers.filter(status=OfflineVoucher.Status.WAITING):
        row.status = OfflineVoucher.Status.GRIEVANCE
        row.save(update_fields=["status"])
        _grievance(row, Grievance.Reason.GAP, [row.intent], stamp)
    left = allowance.amount - allowance.spent
    did = allowance.wallet.did
    owner = allowance.wallet
    while owner.replaced_by is not None:  # a re-enrolled wallet gets it on its current key
        owner = owner.replaced_by
    if left > 0:
        posting = reserve_return_posting(allowance.hash, did, allowance.programme, left, owner.did)
        postings_record(postings=[posting])
    entry_append(
        kind=RETURN, ref=f"dompet/{did}/jatah/{allowance.start}",
        payload={"wallet": did, "allowance": allowance.hash, "programme": allowance.programme,
                 "spent": allowance.spent, "returned": left},
    )  # fmt: skip
    allowance.returned, allowance.closed_at = left, stamp
    allowance.save(update_fields=["returned", "closed_at"])


def allowances_close(*, now: int | None = None, programme: str | None = None) -> int:
    """Close every allowance (of programme, when given) past its expiry and grace; return how
    many closed. The benefits tick runs it per programme (handlers.on_programme_ticked)."""
    moment = now if now is not None else int(time.time())
    due = OfflineAllowance.objects.filter(
        closed_at__isnull=True, expires__lt=moment - GRACE_SECONDS
    )
    if programme is not None:
        due = due.filter(programme=programme)
    due = due.values_list("pk", flat=True)
    closed = 0
    for pk in list(due):
        with transaction.atomic():
            allowance = OfflineAllowance.objects.select_for_update().get(pk=pk)
            if allowance.closed_at is None:
                _close_if_due(allowance, moment)
                closed += 1
    return closed
