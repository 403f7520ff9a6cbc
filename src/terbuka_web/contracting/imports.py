"""Import OCDS release packages from other publishers into Terbuka, all or nothing.

The whole package is parsed and validated before anything is written; then one transaction
creates or updates the Process rows, adds immutable Release rows, and appends one
transparency-log entry per new release. Re-importing the same package changes nothing.
"""

from __future__ import annotations

import gc
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction

from terbuka.canonical import canonical_json
from terbuka.errors import ValidationError
from terbuka.ocds.codes import stage_of_tags
from terbuka.ocds.issues import Issue
from terbuka.ocds.merge import compile_release
from terbuka.ocds.package import package_parse_plain
from terbuka.ocds.relations import parse_datetime
from terbuka.ocds.summary import summarize
from terbuka.ocds.validate import raise_for_issues, validate_package
from terbuka_web.accounts.models import Agency, User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import audit_record, permission_require
from terbuka_web.common.services import JsonText, values_insert
from terbuka_web.contracting.models import Process, Release
from terbuka_web.contracting.selectors import release_log_ref
from terbuka_web.flags.services import process_flags_recompute
from terbuka_web.scope.services import process_scope_refresh
from terbuka_web.transparency.services import entry_append_many

CHUNK = 500


@dataclass
class ImportResult:
    """Count what an import created, updated and skipped, and carry its warnings."""

    source_name: str
    processes_created: int = 0
    processes_updated: int = 0
    releases_created: int = 0
    releases_skipped: int = 0
    warnings: list[Issue] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return the counts as a JSON-ready dict (for the audit event and the CLI)."""
        return {
            "source": self.source_name,
            "processes_created": self.processes_created,
            "processes_updated": self.processes_updated,
            "releases_created": self.releases_created,
            "releases_skipped": self.releases_skipped,
            "warnings": len(self.warnings),
        }


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _known_award_ids(ocids: list[str]) -> dict[str, set[str]]:
    known: dict[str, set[str]] = {}
    for part in _chunks(ocids):
        for ocid, compiled in Process.objects.filter(ocid__in=part).values_list(
            "ocid", "compiled_release"
        ):
            awards = (compiled or {}).get("awards") or []
            known[ocid] = {a["id"] for a in awards if isinstance(a, dict) and "id" in a}
    return known


def _existing_digests(ocids: list[str]) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for part in _chunks(ocids):
        rows = Release.objects.filter(ocid__in=part).values_list("ocid", "release_id", "sha256")
        found.update({(o, r): d for o, r, d in rows})
    return found


@dataclass
class _Planned:
    index: int
    release: dict[str, Any]


# A log entry holds canonical {"kind":"ocds.release","release":R}; keys sort "kind" < "release",
# so R's canonical bytes sit between this prefix and the final "}" (one encoding serves both).
ENTRY_KIND = "ocds.release"
ENTRY_PREFIX = b'{"kind":"ocds.release","release":'


def _digest(release: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(release)).hexdigest()


def _entry_data(release: dict[str, Any], plain: bool) -> tuple[bytes, JsonText, str]:
    """Return release's log entry bytes, its canonical JSON text and that text's sha256.

    One encoding serves all three: the release's row stores the very bytes the log commits to.
    plain: the package parsed as plain JSON (canonical_json need not check the release).
    """
    data = canonical_json({"kind": ENTRY_KIND, "release": release}, plain=plain)
    assert data.startswith(ENTRY_PREFIX) and data.endswith(b"}")  # RFC 8785 key order
    canonical = memoryview(data)[len(ENTRY_PREFIX) : -1]
    return data, JsonText(str(canonical, "utf-8")), hashlib.sha256(canonical).hexdigest()


def _plan(releases: list[dict[str, Any]], result: ImportResult) -> dict[str, list[_Planned]]:
    """Return the new releases by ocid; count identical ones as skipped; reject conflicts."""
    existing = _existing_digests(sorted({r["ocid"] for r in releases}))
    by_ocid: dict[str, list[_Planned]] = defaultdict(list)
    conflicts = []
    for i, release in enumerate(releases):
        known = existing.get((release["ocid"], release["id"]))
        if known is not None and known == _digest(release):
            result.releases_skipped += 1
        elif known is not None:
            conflicts.append(
                Issue(
                    f"/releases/{i}/id",
                    f"rilis '{release['id']}' ({release['ocid']}) sudah ada dengan isi berbeda; "
                    "rilis tidak boleh diubah, terbitkan rilis baru dengan id baru",
                    f"release '{release['id']}' ({release['ocid']}) already exists with different "
                    "content; releases are immutable, publish a new release with a new id",
                    "release_conflict",
                )
            )
        else:
            by_ocid[release["ocid"]].append(_Planned(i, release))
    raise_for_issues(conflicts)
    return by_ocid


def _date(release: dict[str, Any]) -> datetime:
    return _parsed(release["date"])


@lru_cache(maxsize=4096)
def _parsed(date: str) -> datetime:
    """Return the aware datetime of date; one object per date string, converted once on insert."""
    parsed = parse_datetime(date)
    assert parsed is not None  # validate_package rejected unparseable dates
    return parsed


def _agency_of(buyer_name: str, cache: dict[str, Agency | None]) -> Agency | None:
    key = buyer_name.casefold()
    if key not in cache:
        cache[key] = Agency.objects.filter(name__iexact=buyer_name).first() if buyer_name else None
    return cache[key]


def _derived(
    ocid: str, releases: list[dict[str, Any]], cache: dict[str, Agency | None]
) -> dict[str, Any]:
    """Return the compiled release and derived fields of ocid's process from all its releases.

    Keys are Process field attnames (e.g. "agency_id").
    """
    compiled = compile_release(releases)
    summary = summarize(compiled)
    dates = [_date(r) for r in releases]
    agency = _agency_of(summary.buyer_name, cache)
    return {
        **summary.as_dict(),
        "title": summary.title or ocid,
        "fiscal_year": summary.fiscal_year or max(dates).year,
        "compiled_release": compiled,
        "procurement_category": _category(compiled),
        "agency_id": agency.pk if agency is not None else None,
        "first_published_at": min(dates),
        "last_published_at": max(dates),
    }


def _category(compiled: dict[str, Any]) -> str:
    """Return the process's procurement category from tender.mainProcurementCategory ("" if
    none): services with additionalProcurementCategories consultingServices is consultancy."""
    tender = compiled.get("tender") or {}
    main = tender.get("mainProcurementCategory")
    if main == "services" and "consultingServices" in (
        tender.get("additionalProcurementCategories") or []
    ):
        return "consultingServices"
    return main if main in ("goods", "works", "services") else ""


def _upsert_processes(
    by_ocid: dict[str, list[_Planned]], actor: User, result: ImportResult
) -> dict[str, int]:
    """Create or update the processes of by_ocid with their derived fields; return their ids."""
    ocids = sorted(by_ocid)
    processes = {
        p.ocid: p for part in _chunks(ocids) for p in Process.objects.filter(ocid__in=part)
    }
    native = {
        ocid
        for part in _chunks(sorted(processes))
        for ocid in Release.objects.filter(ocid__in=part, imported=False).values_list(
            "ocid", flat=True
        )
    }
    foreign = sorted(o for o, p in processes.items() if not p.imported or o in native)
    if foreign:
        raise ValidationError(
            f"ocid {foreign[0]} milik proses terbitan Terbuka; impor tak boleh mengubahnya",
            f"ocid {foreign[0]} belongs to a process published on Terbuka; imports cannot alter it",
            where=foreign[0],
        )
    previous: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for part in _chunks([o for o in ocids if o in processes]):
        for ocid, data in Release.objects.filter(ocid__in=part).values_list("ocid", "data"):
            previous[ocid].append(data)
    cache: dict[str, Agency | None] = {}
    new_rows, updated = [], []
    for ocid in ocids:
        derived = _derived(ocid, previous[ocid] + [p.release for p in by_ocid[ocid]], cache)
        if ocid in processes:
            process = processes[ocid]
            for name, value in derived.items():
                setattr(process, name, value)
            updated.append(process)
        else:
            new_rows.append({"ocid": ocid, "imported": True, "created_by_id": actor.pk, **derived})
    values_insert(model=Process, rows=new_rows)
    fields = ["compiled_release", "title", "description", "fiscal_year", "method", "agency"]
    fields += ["stage_reached", "stages_published", "value_idr", "buyer_name", "search_text"]
    fields += ["first_published_at", "last_published_at", "procurement_category"]
    Process.objects.bulk_update(updated, fields, batch_size=CHUNK)
    ids = {
        ocid: pk
        for part in _chunks([row["ocid"] for row in new_rows])
        for ocid, pk in Process.objects.filter(ocid__in=part).values_list("ocid", "pk")
    }
    ids.update((p.ocid, p.pk) for p in updated)
    result.processes_created += len(new_rows)
    result.processes_updated += len(updated)
    return ids


def _add_releases(
    by_ocid: dict[str, list[_Planned]], process_ids: dict[str, int], actor: User, plain: bool
) -> int:
    """Add the Release rows and one log entry per release (caller's atomic); return the count.

    Each release is encoded once: its canonical bytes give the log entry, the row's JSON and
    the sha256.
    """
    rows: list[dict[str, Any]] = []
    entries = []
    for ocid in sorted(by_ocid):
        for planned in sorted(by_ocid[ocid], key=lambda p: p.index):
            release = planned.release
            entry, text, digest = _entry_data(release, plain)
            entries.append((release_log_ref(ocid, release["id"]), entry))
            tags = release.get("tag", [])
            rows.append(
                {
                    "process_id": process_ids[ocid],
                    "ocid": ocid,
                    "release_id": release["id"],
                    "date": _date(release),
                    "tags": tags,
                    "stage": stage_of_tags(tags) or "",
                    "data": text,
                    "sha256": digest,
                    "imported": True,
                    "published_by_id": actor.pk,
                }
            )
    entry_append_many(kind=ENTRY_KIND, entries=entries)
    return values_insert(model=Release, rows=rows)


def package_import(*, data: bytes, actor: User, source_name: str) -> ImportResult:
    """Import the OCDS release package in data; return what was created, updated and skipped.

    Raises PermissionDenied unless actor may OCDS_IMPORT (admin); OcdsFormatError for bytes
    that are not JSON (with line and column); OcdsValidationError listing every schema or rule
    error (with JSON pointers); ValidationError when a release id exists with other content.
    Nothing is written unless everything is valid. Example source_name: "lpse-2024.json".
    """
    permission_require(user=actor, action=Action.OCDS_IMPORT)
    with _gc_paused():
        return _import(data, actor, source_name)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk import, then restore it.

    Parsing a package allocates millions of containers; the collector would rescan them
    again and again while none of them is garbage. Reference counting still frees memory.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _own_prefix_issues(package: Any) -> list[Issue]:
    """Return an issue per release whose ocid carries this instance's own prefix.

    Terbuka names its own processes under TERBUKA_OCID_PREFIX: an import there could take the
    ocid of a process created next, or a release id a publication needs next.
    """
    own = settings.TERBUKA["OCID_PREFIX"]
    releases = package.get("releases") if isinstance(package, dict) else None
    return [
        Issue(
            f"/releases/{i}/ocid",
            f"ocid '{release['ocid']}' memakai prefiks instans ini ({own}), yang hanya untuk "
            "proses terbitan Terbuka; impor hanya menerima data penerbit lain",
            f"ocid '{release['ocid']}' uses this instance's own prefix ({own}), which is for "
            "processes published on Terbuka only; imports take other publishers' data",
            "ocid_prefix",
        )
        for i, release in enumerate(releases if isinstance(releases, list) else [])
        if isinstance(release, dict)
        and isinstance(release.get("ocid"), str)
        and release["ocid"].startswith(f"{own}-")
    ]


def _import(data: bytes, actor: User, source_name: str) -> ImportResult:
    """Parse, validate and write the package in data (package_import, after its permission)."""
    package, plain = package_parse_plain(data)
    ocids = sorted(
        {r["ocid"] for r in package.get("releases", []) if isinstance(r, dict) and "ocid" in r}
        if isinstance(package, dict) and isinstance(package.get("releases"), list)
        else set()
    )
    prefixes = settings.TERBUKA["IMPORT_OCID_PREFIXES"] or None
    known = _known_award_ids(ocids)
    issues = validate_package(package, prefixes=prefixes, known_award_ids=known, bounds=False)
    issues += _own_prefix_issues(package)
    raise_for_issues(issues)
    result = ImportResult(source_name=source_name)
    result.warnings = [i for i in issues if i.severity != "error"]
    with transaction.atomic():
        by_ocid = _plan(package["releases"], result)
        if by_ocid:
            process_ids = _upsert_processes(by_ocid, actor, result)
            result.releases_created += _add_releases(by_ocid, process_ids, actor, plain)
            process_flags_recompute(process_ids=process_ids.values())
            process_scope_refresh(process_ids=list(process_ids.values()))
        audit_record(
            actor=actor,
            action="contracting:ocds:import",
            target=source_name[:200],
            data=result.as_dict(),
        )
    return result
