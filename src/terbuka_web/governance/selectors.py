"""Selectors of the governance app: the public register of members, interests, proposals,
decisions (with their log index), minutes and disputes."""

from __future__ import annotations

from pathlib import Path

from django.db import DatabaseError, connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from terbuka_web.governance.models import (
    Comment,
    Decision,
    Dispute,
    Interest,
    Member,
    Proposal,
    Recusal,
    Vote,
)
from terbuka_web.transparency.selectors import entry_id_latest_of, entry_index_of
from terbuka_web.transparency.witnesses import WitnessConfig, WitnessSource


def members_list() -> QuerySet[Member]:
    """Return every member (active, suspended, removed) with its declared interests."""
    return Member.objects.prefetch_related("interests")


def interests_register() -> QuerySet[Interest]:
    """Return every declared interest with its member, by member then kind."""
    return Interest.objects.select_related("member").order_by("member__name", "kind", "id")


def proposals_open() -> QuerySet[Proposal]:
    """Return the proposals still open: no decision yet and the deadline not passed."""
    return (
        Proposal.objects.filter(decision__isnull=True, deadline__gte=timezone.now())
        .prefetch_related(
            Prefetch("recusals", Recusal.objects.select_related("member")),
            Prefetch("votes", Vote.objects.select_related("member")),
            Prefetch("comments", Comment.objects.all()),
        )
        .order_by("deadline", "id")
    )


def proposals_lapsed() -> QuerySet[Proposal]:
    """Return proposals whose deadline passed without a decision (no decision, ever)."""
    return Proposal.objects.filter(decision__isnull=True, deadline__lt=timezone.now())


def proposal_get(uid: str) -> Proposal | None:
    """Return the proposal with uid, its recusals, votes, comments and decision, or None."""
    return (
        Proposal.objects.filter(uid=uid)
        .select_related("decision")
        .prefetch_related(
            Prefetch("recusals", Recusal.objects.select_related("member")),
            Prefetch("votes", Vote.objects.select_related("member")),
            "comments",
        )
        .first()
    )


def decisions_list() -> QuerySet[Decision]:
    """Return every decision, newest first, with its proposal and minutes."""
    return Decision.objects.select_related("proposal").prefetch_related("minutes")


def decision_log_index(decision: Decision) -> int | None:
    """Return the transparency-log index of decision's entry, or None while it is pending."""
    return entry_index_of(decision.entry_id)


def disputes_public() -> QuerySet[Dispute]:
    """Return every dispute, newest first (pages show code, record, status, outcome only)."""
    return Dispute.objects.select_related("decision__proposal")


def dispute_by_code(code: str) -> Dispute | None:
    """Return the dispute whose tracking code is code (case-insensitive), or None."""
    return Dispute.objects.filter(code=code.strip().upper()[:16]).first()


def witness_source() -> WitnessSource:
    """Return the active members' witnesses for the log policy, and from which checkpoint on.

    Each witnessing member is `saksi-<key id>` in the group of its stakeholder class. The
    policy changes with the latest admission, suspension or removal of a witnessing member:
    it applies from the first checkpoint that includes that membership entry (size index+1).
    Without a readable database (nothing migrated yet) there are no members' witnesses.
    """
    if _sqlite_file_absent():
        return WitnessSource([], "")
    try:
        witnessing = list(Member.objects.exclude(witness_vkey="").order_by("key_id"))
    except DatabaseError:  # no database yet (e.g. `terbuka log policy` before any migrate)
        return WitnessSource([], "")
    active = [m for m in witnessing if m.status == Member.Status.ACTIVE]
    witnesses = [
        WitnessConfig(f"saksi-{m.key_id}", m.witness_vkey, m.witness_url, m.stakeholder_class)
        for m in active
    ]
    refs = [f"konsorsium/anggota/{m.key_id}" for m in witnessing]
    latest = entry_id_latest_of(refs, kind="governance.member") if refs else None
    if latest is None:
        return WitnessSource(witnesses, "")
    index = entry_index_of(latest)
    if index is None:
        since = (
            "saksi anggota konsorsium berlaku sejak checkpoint pertama yang memuat perubahan "
            "keanggotaan terakhir (belum diurutkan) / consortium witnesses in force from the "
            "first checkpoint that includes the latest membership change (not yet sequenced)"
        )
    else:
        since = (
            f"saksi anggota konsorsium berlaku sejak checkpoint berukuran {index + 1} (entri "
            f"{index}) / consortium witnesses in force from checkpoint size {index + 1} on "
            f"(entry {index})"
        )
    return WitnessSource(witnesses, since)


def _sqlite_file_absent() -> bool:
    """Report whether the database is an SQLite file not created yet (connecting would make
    it and its directory: `terbuka log policy` must work without a data directory)."""
    database = connection.settings_dict  # the test database's name under tests
    name = str(database["NAME"])
    in_memory = name == ":memory:" or "mode=memory" in name
    return "sqlite" in database["ENGINE"] and not in_memory and not Path(name).exists()
