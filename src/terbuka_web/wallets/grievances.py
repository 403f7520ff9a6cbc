"""Resolve the grievance queue of offline double spends: grievance_resolve.

A voucher that lost at sync (offline.py) waits in the queue with the signed intents of the
conflict. An officer holding MERCHANT_APPROVE in the merchant's region (the page
/dompet/keberatan/) decides it once, in one transaction:
1. locks the grievance's row, so two officers deciding at once record one decision and the
   second is refused ("sudah diselesaikan" / "already resolved");
2. records the decision ("rejected": the merchant bears the loss; "refer": forwarded for
   follow-up), the officer's note, who and when;
3. appends a pseudonymous wallet.grievance log entry: the wallet's did:key, the merchant, the
   reason, the decision, the losing intent's hash and the evidence's intent hashes; never the
   officer, never the note, never a citizen.
No money moves here: the losing voucher was never paid, and the branch accepted stays paid.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from terbuka.errors import ValidationError
from terbuka.money.intent import SignedIntent
from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import audit_record
from terbuka_web.transparency.services import entry_append
from terbuka_web.wallets.models import Grievance
from terbuka_web.wallets.services import officer_require

GRIEVANCE = "wallet.grievance"
NOTE_MAX = 1000


@transaction.atomic
def grievance_resolve(
    *, officer: User, grievance: Grievance, decision: str, note: str
) -> Grievance:
    """Record officer's decision on grievance (Grievance.Decision) with note; return it.

    Raises PermissionDenied unless officer holds MERCHANT_APPROVE in the region of the
    merchant that synced the voucher; ValidationError (bilingual) for an unknown decision, a
    note over NOTE_MAX characters, or a grievance already resolved. Writes nothing when it
    raises.
    """
    voucher = grievance.voucher
    officer_require(officer, Action.MERCHANT_APPROVE, voucher.merchant.village_id)
    if decision not in Grievance.Decision.values:
        raise ValidationError(
            "keputusan harus 'rejected' (ditolak) atau 'refer' (diteruskan)",
            "the decision must be 'rejected' or 'refer'",
            where="decision",
        )
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            f"catatan paling banyak {NOTE_MAX} karakter", f"the note is at most {NOTE_MAX} "
            "characters", where="note",
        )  # fmt: skip
    locked = Grievance.objects.select_for_update().select_related("wallet").get(pk=grievance.pk)
    if locked.resolved:
        raise ValidationError(
            f"pengaduan {locked.pk} sudah diselesaikan ({locked.decision}); keputusan tidak "
            "dapat diubah",
            f"grievance {locked.pk} was already resolved ({locked.decision}); a decision is "
            "not changed",
            where="grievance",
        )  # fmt: skip
    did = locked.wallet.did
    entry_append(
        kind=GRIEVANCE, ref=f"dompet/{did}/keberatan/{locked.pk}",
        payload={"wallet": did, "merchant": voucher.merchant.code, "reason": locked.reason,
                 "decision": decision, "intent": voucher.intent_hash,
                 "evidence": [SignedIntent.parse(text).hash() for text in locked.evidence]},
    )  # fmt: skip
    locked.resolved, locked.decision, locked.note = True, decision, note
    locked.resolved_by, locked.resolved_at = officer, timezone.now()
    locked.save(update_fields=["resolved", "decision", "note", "resolved_by", "resolved_at"])
    audit_record(actor=officer, action="wallets:grievance", target=f"grievance/{locked.pk}")
    return locked
