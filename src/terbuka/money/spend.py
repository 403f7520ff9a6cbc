"""Tie every debit of a wallet to the wallet's signature: the posting a signed intent makes.

A wallet's money sits in one ledger account per programme, "wallet:<did>:<programme>"; a
merchant's in "merchant:<id>"; a programme's fund in "programme:<programme>". Money leaves a
wallet account in exactly three ways:

- a payment: the posting intent_posting builds from a signed intent, key "pay:<intent hash>",
  the wallet account debited and the merchant's account credited by the intent's amount, and
  the intent's wire text (TPI1…) as memo, so anyone holding the ledger re-checks the
  wallet's signature;
- an offline allowance request: the same, for an intent paying the reserved merchant id
  "luring", whose posting credits the wallet's offline reserve "offline:<did>:<programme>"
  instead of a merchant (offline vouchers are paid from there at sync: voucher_posting;
  what is left returns to the wallet after expiry: reserve_return_posting);
- a key rotation after key loss: key "rekey:<programme>:<old did>:<new did>" moving the whole
  balance to the new key's account, allowed only when the old wallet is recorded as replaced
  by the new one (the caller's rekeyed check: an officer and the registrant in person);
- the one debit without the owner's signature, the expiry of purpose-bound money: the posting
  expiry_posting builds, key "clawback:wallet:<programme>:<did>:<credited>", moving Rupiah
  from the wallet's account of that programme to that same programme's fund and nowhere
  else, allowed only when now is past the programme's money expiry (the caller's expires,
  unix seconds; None for an unknown programme refuses). <credited> is the total ever
  credited to the wallet account, so a repeat of the same clawback is the same posting (a
  no-op) and a later one, after new money came in, a new one.

wallet_debit_check refuses any other posting that debits a wallet account or an offline reserve
(money the wallet signed into it, spent only by its signed vouchers): the ledger calls
it for every posting it records, whoever calls the ledger.
"""

from __future__ import annotations

from collections.abc import Callable

from terbuka.errors import TerbukaError
from terbuka.money.errors import PaymentRefused
from terbuka.money.intent import SignedIntent, intent_verify
from terbuka.money.posting import Posting, Side, posting_make

WALLET_PREFIX = "wallet:"
PAY_PREFIX = "pay:"
REKEY_PREFIX = "rekey:"
RETURN_PREFIX = "unreserve:"
OFFLINE_MERCHANT = "luring"  # an intent to it asks for an offline allowance (never a merchant)
OFFLINE_PREFIX = "offline:"
OWNED = (WALLET_PREFIX, OFFLINE_PREFIX)  # a wallet's balances and its offline reserves
EXPIRY_PREFIX = "clawback:wallet:"
EXPIRY_MEMO = "Saldo kedaluwarsa kembali ke dana program / expired balance back to its fund"


def _no_expiry(programme: str) -> int | None:
    return None


def wallet_account(did: str, programme: str) -> str:
    """Return the ledger key of did's balance in programme, "wallet:did:key:z6Mk…:pip-2026"."""
    return f"{WALLET_PREFIX}{did}:{programme}"


def merchant_account(merchant: str) -> str:
    """Return the ledger key of a merchant's takings, "merchant:toko-ani"."""
    return f"merchant:{merchant}"


def offline_account(did: str, programme: str) -> str:
    """Return the ledger key of did's offline reserve in programme, "offline:did:key:…:pip-2026"."""
    return f"{OFFLINE_PREFIX}{did}:{programme}"


def programme_account(programme: str) -> str:
    """Return the ledger key of a programme's fund, "programme:pip-2026"."""
    return f"programme:{programme}"


def intent_posting(signed: SignedIntent) -> Posting:
    """Return the posting of a signed intent: wallet account → merchant account, memo the intent.

    An intent to OFFLINE_MERCHANT credits the wallet's offline reserve instead.
    """
    intent = signed.intent
    if intent.merchant == OFFLINE_MERCHANT:
        credit = offline_account(intent.wallet, intent.programme)
    else:
        credit = merchant_account(intent.merchant)
    return posting_make(
        PAY_PREFIX + signed.hash(),
        [
            (wallet_account(intent.wallet, intent.programme), "debit", intent.amount),
            (credit, "credit", intent.amount),
        ],
        signed.format(),
    )


def voucher_posting(signed: SignedIntent) -> Posting:
    """Return the posting of an offline intent accepted at sync: reserve → merchant."""
    intent = signed.intent
    return posting_make(
        PAY_PREFIX + signed.hash(),
        [
            (offline_account(intent.wallet, intent.programme), "debit", intent.amount),
            (merchant_account(intent.merchant), "credit", intent.amount),
        ],
        signed.format(),
    )


def reserve_return_posting(
    allowance: str, did: str, programme: str, amount: int, owner: str = ""
) -> Posting:
    """Return the posting giving an expired allowance's unused amount back to the wallet.

    allowance is the allowance's hash (the posting's key is "unreserve:<hash>": once); did
    the allowance's wallet; owner its current key when did was replaced since (re-enrolment).
    """
    return posting_make(
        RETURN_PREFIX + allowance,
        [
            (offline_account(did, programme), "debit", amount),
            (wallet_account(owner or did, programme), "credit", amount),
        ],
        "Sisa jatah luring kembali ke dompet / unused offline allowance back to the wallet",
    )


def rekey_posting(old: str, new: str, programme: str, amount: int) -> Posting:
    """Return the posting moving amount of programme from wallet old to wallet new (dids)."""
    return posting_make(
        f"{REKEY_PREFIX}{programme}:{old}:{new}",
        [
            (wallet_account(old, programme), "debit", amount),
            (wallet_account(new, programme), "credit", amount),
        ],
        "Pindah kunci dompet / wallet key rotation",
    )


def expiry_posting(did: str, programme: str, amount: int, credited: int) -> Posting:
    """Return the posting moving amount of wallet did's expired programme money to its fund.

    credited is the total ever credited to the wallet account (the key's last part).
    """
    return posting_make(
        f"{EXPIRY_PREFIX}{programme}:{did}:{credited}",
        [
            (wallet_account(did, programme), "debit", amount),
            (programme_account(programme), "credit", amount),
        ],
        EXPIRY_MEMO,
    )


def wallet_debit_check(
    posting: Posting,
    rekeyed: Callable[[str, str], bool],
    *,
    expires: Callable[[str], int | None] = _no_expiry,
    now: int = 0,
) -> None:
    """Refuse posting when it debits a wallet account without the wallet's authority.

    A wallet's accounts are its balances ("wallet:…") and its offline reserves ("offline:…").
    Allowed: no debit of them; intent_posting or voucher_posting of an intent whose signature
    holds; a reserve_return_posting to the reserve's own wallet or its replacing key; a
    rekey_posting whose old and new dids rekeyed(old, new) confirms; an expiry_posting of a
    programme whose money expires(programme) says expired before now (unix seconds). Raises
    PaymentRefused with reason "unsigned_debit" otherwise.
    """
    debits = [g for g in posting.legs if g.side is Side.DEBIT and g.account.startswith(OWNED)]
    if not debits:
        return
    if posting.key.startswith(PAY_PREFIX) and _signed_payment(posting):
        return
    if posting.key.startswith(RETURN_PREFIX) and _reserve_return(posting, rekeyed):
        return
    if posting.key.startswith(REKEY_PREFIX) and _rekey(posting, rekeyed):
        return
    if posting.key.startswith(EXPIRY_PREFIX) and _expired(posting, expires, now):
        return
    raise PaymentRefused(
        "unsigned_debit",
        f"posting {posting.key} mendebit dompet tanpa niat bertanda tangan pemiliknya",
        f"posting {posting.key} debits a wallet without its owner's signed intent",
        where=debits[0].account,
    )


def _signed_payment(posting: Posting) -> bool:
    """Return True when posting is exactly intent_posting of a validly signed intent (memo)."""
    try:
        signed = SignedIntent.parse(posting.memo)
        intent_verify(signed)
    except TerbukaError:
        return False
    return posting in (intent_posting(signed), voucher_posting(signed))


def _reserve_return(posting: Posting, rekeyed: Callable[[str, str], bool]) -> bool:
    """Return True when posting is a reserve_return_posting: a reserve back to its own wallet,
    or to the key that replaced it (rekeyed confirms), within one programme."""
    if len(posting.legs) != 2:
        return False
    debit, credit = posting.legs
    did, _, programme = debit.account[len(OFFLINE_PREFIX) :].rpartition(":")
    owner = credit.account[len(WALLET_PREFIX) :].rpartition(":")[0]
    try:
        expected = reserve_return_posting(
            posting.key[len(RETURN_PREFIX) :], did, programme, debit.amount, owner
        )
    except TerbukaError:
        return False
    return expected == posting and (owner == did or rekeyed(did, owner))


def _rekey(posting: Posting, rekeyed: Callable[[str, str], bool]) -> bool:
    """Return True when posting is a rekey_posting between two dids that rekeyed confirms."""
    if len(posting.legs) != 2:
        return False
    debit, credit = posting.legs
    old, _, programme = debit.account[len(WALLET_PREFIX) :].rpartition(":")
    new = credit.account[len(WALLET_PREFIX) :].rpartition(":")[0]
    try:
        expected = rekey_posting(old, new, programme, debit.amount)
    except TerbukaError:
        return False
    return expected == posting and rekeyed(old, new)


def _expired(posting: Posting, expires: Callable[[str], int | None], now: int) -> bool:
    """Return True when posting is an expiry_posting of a programme whose money has expired."""
    if len(posting.legs) != 2:
        return False
    debit = posting.legs[0]
    did, _, programme = debit.account[len(WALLET_PREFIX) :].rpartition(":")
    credited = posting.key.rpartition(":")[2]
    if not credited.isdigit():
        return False
    try:
        expected = expiry_posting(did, programme, debit.amount, int(credited))
    except TerbukaError:
        return False
    if expected != posting:
        return False
    deadline = expires(programme)
    return deadline is not None and now > deadline
