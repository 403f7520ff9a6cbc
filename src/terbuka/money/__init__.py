"""Move public money without Django: the double-entry ledger, wallet keys, signed intents, vouchers.

Everything a citizen or auditor re-verifies (a posting's balance, a payment intent's signature,
an offline voucher) runs on this package alone.
"""
