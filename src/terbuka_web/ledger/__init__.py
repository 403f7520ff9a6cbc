"""The money ledger in the database: accounts, balanced postings and their legs (terbuka.money)."""
