"""Govern the consortium without Django: proposal hashes, signed votes, quorum, conflicts.

Everything an auditor re-verifies (vote signatures, the tally, the quorum) runs on this
package alone (`terbuka governance tally`).
"""
