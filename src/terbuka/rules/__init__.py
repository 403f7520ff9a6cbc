"""Decide who a benefit programme serves and how much, in CEL, without Django.

A rule set is an eligibility expression (bool), an entitlement expression (int Rupiah) and
parameters; it is canonicalised (RFC 8785) and hashed (SHA-256) so a consortium decision,
the log and a citizen's re-check all name the same rules. Evaluation reads one registrant's
declared attributes (environment.py) and never its identity.
"""
