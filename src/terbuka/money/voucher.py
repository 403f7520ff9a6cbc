"""Verify an offline payment with no network, and find every double spend when vouchers sync.

A voucher is what the citizen's phone shows as a QR code when offline: the signed intent and
the server-signed allowance that covers it, joined by "~":

    TPI1.z6Mk...<intent fields>...<signature>~TOA1...<allowance fields>...<signature>

where the allowance's wallet and programme fields are left empty (they are the intent's:
a voucher cannot carry another wallet's allowance).

The merchant checks it with only the issuer's did:key (offline_check). Later the merchant
syncs its vouchers; conflicts_find names every double spend with both signed intents as
evidence, and chain_accept keeps exactly one branch by the documented rule: per wallet, the
chain is extended from the last accepted intent by the voucher that arrived first among those
that continue it, while the allowance still covers its amount; every other voucher is
rejected to the grievance queue. Retrying a sync sends the same bytes: identical vouchers
count once, so a retry neither loses nor duplicates a payment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from terbuka.errors import TerbukaError
from terbuka.money.allowance import Allowance, SignedAllowance, allowance_verify
from terbuka.money.errors import PaymentRefused, SignatureRefused, WalletFormatError
from terbuka.money.intent import SignedIntent, intent_verify
from terbuka.money.purpose import (
    ChainHead,
    Merchant,
    Restrictions,
    cap_check,
    expiry_check,
    merchant_check,
    programme_check,
)

MAX_VOUCHER_TEXT = 1001


@dataclass(frozen=True)
class Voucher:
    """Hold an offline payment: the signed intent and the allowance that covers it."""

    intent: SignedIntent
    allowance: SignedAllowance

    def format(self) -> str:
        """Return the QR payload "<intent wire text>~<allowance wire text>"."""
        return self.intent.format() + "~" + self.allowance.format_short()

    @classmethod
    def parse(
        cls, text: str, known: dict[tuple[str, str, str], SignedAllowance] | None = None
    ) -> Voucher:
        """Return the voucher of a QR payload; raise WalletFormatError naming the bad part.

        known caches the allowances already parsed in a batch (by text, wallet, programme).
        """
        if not isinstance(text, str) or len(text) > MAX_VOUCHER_TEXT or text.count("~") != 1:
            raise WalletFormatError(
                "muatan QR luring harus '<niat>~<jatah>' (satu '~')",
                "an offline QR payload must be '<intent>~<allowance>' (one '~')",
                where="payload",
            )
        intent_text, allowance_text = text.split("~")
        intent = SignedIntent.parse(intent_text)
        wallet, programme = intent.intent.wallet, intent.intent.programme
        key = (allowance_text, wallet, programme)
        allowance = known.get(key) if known is not None else None
        if allowance is None:
            allowance = SignedAllowance.parse(allowance_text, wallet=wallet, programme=programme)
            if known is not None:
                known[key] = allowance
        return cls(intent, allowance)

    def restrictions(self) -> Restrictions:
        """Return the purpose restrictions the allowance carries."""
        a = self.allowance.allowance
        return Restrictions(
            programme=a.programme,
            expires=a.expires,
            categories=frozenset(a.categories),
            regions=a.regions,
            payment_cap=a.payment_cap,
            day_cap=a.day_cap,
        )


def offline_check(
    voucher: Voucher,
    *,
    issuer: str,
    merchant: Merchant | None,
    now: int,
    seen: Sequence[SignedIntent] = (),
    spent_today: int = 0,
) -> None:
    """Check an offline payment with no network; raise the first refusal.

    issuer is the allowance signer's did:key; merchant None skips the merchant id, category
    and region rules (a verifier that does not know who is paid); seen are the intents this
    merchant already took from the same allowance (for replays, double spends and the
    allowance's amount); spent_today what it took from this wallet today. Raises
    SignatureRefused (forged intent or allowance) or PaymentRefused with reason
    wrong_wallet, wrong_programme, outside_allowance, replay, double_spend,
    allowance_overdrawn or a purpose reason.
    """
    voucher_verify(voucher, issuer)
    signed, allowance = voucher.intent, voucher.allowance.allowance
    restrictions = voucher.restrictions()
    expiry_check(signed, restrictions, now)
    if merchant is None:
        programme_check(signed, restrictions)
    else:
        merchant_check(signed, restrictions, merchant)
    _seen_check(signed, allowance, seen)
    cap_check(signed, restrictions, spent_today)


def voucher_verify(voucher: Voucher, issuer: str) -> None:
    """Check what holds at any time and place: both signatures, the wallet, the counter range.

    This is what sync re-checks: expiry and the merchant were checked when it was taken.

    Raises SignatureRefused (forged) or PaymentRefused (wrong_wallet, outside_allowance).
    """
    allowance_verify(voucher.allowance, issuer)
    _intent_verify(voucher)


def vouchers_verify(texts: Iterable[str], issuer: str) -> list[Voucher | TerbukaError]:
    """Return each voucher of texts parsed and checked as voucher_verify does, or its refusal.

    A sync batch carries few allowances and many intents: each distinct allowance's
    signature is checked once, each intent's every time.
    """
    parsed: dict[tuple[str, str, str], SignedAllowance] = {}  # one object per allowance
    allowances: dict[int, TerbukaError | None] = {}  # by id of parsed's objects (kept alive)
    checked: list[Voucher | TerbukaError] = []
    for text in texts:
        try:
            voucher = Voucher.parse(text, parsed)
            signed = voucher.allowance
            if id(signed) not in allowances:
                try:
                    allowance_verify(signed, issuer)
                    allowances[id(signed)] = None
                except SignatureRefused as exc:
                    allowances[id(signed)] = exc
            refusal = allowances[id(signed)]
            if refusal is not None:
                raise refusal
            _intent_verify(voucher)
        except TerbukaError as exc:
            checked.append(exc)
            continue
        checked.append(voucher)
    return checked


def _intent_verify(voucher: Voucher) -> None:
    """Check the wallet's signature, that the allowance is the wallet's and covers the counter."""
    signed, allowance = voucher.intent, voucher.allowance.allowance
    intent_verify(signed)
    intent = signed.intent
    if intent.wallet != allowance.wallet:
        raise PaymentRefused(
            "wrong_wallet",
            "jatah luring ini milik dompet lain",
            "this offline allowance belongs to another wallet",
            where="wallet",
        )
    if not allowance.covers(intent.counter):
        raise PaymentRefused(
            "outside_allowance",
            f"nomor urut {intent.counter} di luar jatah luring "
            f"({allowance.start}..{allowance.start + allowance.count - 1})",
            f"counter {intent.counter} is outside the offline allowance "
            f"({allowance.start}..{allowance.start + allowance.count - 1})",
            where="counter",
        )


def _seen_check(signed: SignedIntent, allowance: Allowance, seen: Sequence[SignedIntent]) -> None:
    """Refuse an intent already seen, one conflicting with a seen one, or one overdrawing."""
    amount = allowance.amount
    own = signed.hash()
    spent = 0
    for other in seen:
        if other.intent.wallet != signed.intent.wallet:
            continue
        if other.hash() == own:
            raise PaymentRefused(
                "replay",
                "niat pembayaran ini sudah diterima (pemutaran ulang)",
                "this payment intent was already taken (replay)",
                where="counter",
            )
        if other.intent.counter == signed.intent.counter or other.intent.prev == signed.intent.prev:
            raise PaymentRefused(
                "double_spend",
                f"nomor urut {signed.intent.counter} sudah dipakai untuk niat lain (belanja ganda)",
                f"counter {signed.intent.counter} was already used for another intent "
                "(double spend)",
                where="counter",
            )
        if allowance.covers(other.intent.counter):
            spent += other.intent.amount
    if spent + signed.intent.amount > amount:
        raise PaymentRefused(
            "allowance_overdrawn",
            f"Rp {spent} + Rp {signed.intent.amount} melebihi jatah luring Rp {amount}",
            f"Rp {spent} + Rp {signed.intent.amount} is above the offline allowance of Rp {amount}",
            where="amount",
        )


@dataclass(frozen=True)
class Conflict:
    """Hold a double spend found at sync: its kind, the wallet and the signed evidence.

    kind is "counter" (one counter, two intents), "fork" (two intents following the same
    previous intent) or "overdrawn" (one allowance's intents add up above its amount).
    """

    kind: str
    wallet: str
    evidence: tuple[SignedIntent, ...]

    def as_data(self) -> dict[str, object]:
        """Return the conflict as JSON data: kind, wallet and the intents' wire texts."""
        return {
            "kind": self.kind,
            "wallet": self.wallet,
            "intents": [item.format() for item in self.evidence],
        }


def vouchers_unique(vouchers: Iterable[Voucher]) -> list[Voucher]:
    """Return vouchers without repeats (same intent hash), in first-arrival order."""
    unique: dict[str, Voucher] = {}
    for voucher in vouchers:
        unique.setdefault(voucher.intent.hash(), voucher)
    return list(unique.values())


def conflicts_find(vouchers: Iterable[Voucher]) -> list[Conflict]:
    """Return every double spend among vouchers that each passed offline_check.

    Identical vouchers (a retried sync) count once. The order of the result is stable: by
    wallet, then kind, then the evidence's hashes.
    """
    by_counter: dict[tuple[str, int], dict[str, SignedIntent]] = defaultdict(dict)
    by_prev: dict[tuple[str, str], dict[str, SignedIntent]] = defaultdict(dict)
    by_allowance: dict[str, tuple[int, dict[str, SignedIntent]]] = {}
    for voucher in vouchers_unique(vouchers):
        signed, key = voucher.intent, voucher.intent.hash()
        wallet = signed.intent.wallet
        by_counter[(wallet, signed.intent.counter)][key] = signed
        by_prev[(wallet, signed.intent.prev)][key] = signed
        amount = voucher.allowance.allowance.amount
        by_allowance.setdefault(voucher.allowance.hash(), (amount, {}))[1][key] = signed
    found = [_conflict("counter", group) for group in by_counter.values() if len(group) > 1]
    for group in by_prev.values():
        if len(group) > 1 and len({item.intent.counter for item in group.values()}) > 1:
            found.append(_conflict("fork", group))
    for amount, group in by_allowance.values():
        if sum(item.intent.amount for item in group.values()) > amount:
            found.append(_conflict("overdrawn", group))
    return sorted(found, key=lambda c: (c.wallet, c.kind, [i.hash() for i in c.evidence]))


def _conflict(kind: str, group: dict[str, SignedIntent]) -> Conflict:
    """Return the conflict of kind over group's intents, sorted by counter then hash."""
    items = sorted(group.items(), key=lambda pair: (pair[1].intent.counter, pair[0]))
    evidence = tuple(item for _key, item in items)
    return Conflict(kind, evidence[0].intent.wallet, evidence)


@dataclass(frozen=True)
class SyncOutcome:
    """Hold a sync's result: accepted vouchers in chain order, rejected ones, waiting ones.

    waiting vouchers skip an intent not synced yet: they are decided by a later sync.
    """

    accepted: tuple[Voucher, ...]
    rejected: tuple[Voucher, ...]
    waiting: tuple[Voucher, ...]
    heads: dict[str, ChainHead]


def chain_accept(
    vouchers: Iterable[Voucher],
    heads: dict[str, ChainHead],
    spent: dict[str, int] | None = None,
) -> SyncOutcome:
    """Accept exactly one branch per wallet by first arrival (see module doc); reject the rest.

    vouchers come in arrival order (earlier syncs first); heads maps a wallet's did:key to
    its last accepted intent (absent: none yet); spent maps an allowance hash to what it
    already paid. Rejected: a voucher that lost to the accepted branch or would overdraw its
    allowance. Waiting: one whose predecessor has not synced yet. Retrying a sync with the
    heads it returned accepts nothing more, and what it rejects again was rejected before
    (the grievance queue keeps one entry per intent hash): a retry loses and duplicates
    nothing.
    """
    spent = dict(spent or {})
    new_heads = dict(heads)
    pending = [
        v
        for v in vouchers_unique(vouchers)
        if v.intent.intent.counter > new_heads.get(v.intent.intent.wallet, ChainHead()).counter
    ]
    following: dict[tuple[str, int, str], list[Voucher]] = defaultdict(list)
    for voucher in pending:  # arrival order kept within each list
        i = voucher.intent.intent
        following[(i.wallet, i.counter, i.prev)].append(voucher)
    accepted: list[Voucher] = []
    for wallet in dict.fromkeys(v.intent.intent.wallet for v in pending):
        head = new_heads.get(wallet, ChainHead())
        while chosen := _first_fitting(
            following.get((wallet, head.counter + 1, head.hash), []), spent
        ):
            accepted.append(chosen)
            allowance_id = chosen.allowance.hash()
            spent[allowance_id] = spent.get(allowance_id, 0) + chosen.intent.intent.amount
            head = ChainHead(head.counter + 1, chosen.intent.hash())
            new_heads[wallet] = head
    taken = {id(v) for v in accepted}
    rejected: list[Voucher] = []
    waiting: list[Voucher] = []
    for voucher in pending:
        if id(voucher) in taken:
            continue
        intent = voucher.intent.intent
        beyond = intent.counter > new_heads.get(intent.wallet, ChainHead()).counter + 1
        (waiting if beyond else rejected).append(voucher)
    return SyncOutcome(tuple(accepted), tuple(rejected), tuple(waiting), new_heads)


def _first_fitting(candidates: list[Voucher], spent: dict[str, int]) -> Voucher | None:
    """Return the first candidate whose allowance still covers its amount, or None."""
    for voucher in candidates:
        paid = spent.get(voucher.allowance.hash(), 0)
        if paid + voucher.intent.intent.amount <= voucher.allowance.allowance.amount:
            return voucher
    return None
