"""Selectors of the regions app: look up regions and validate Kemendagri codes against the DB."""

from __future__ import annotations

from django.db.models import Count

from terbuka.errors import TerbukaError
from terbuka.regions.codes import LEVEL_LABELS_ID, Level, code_parse
from terbuka_web.regions.models import Region


class RegionNotFound(TerbukaError):
    """Report a well-formed region code that names no loaded region."""

    code = "region_not_found"


def region_get(*, code: str) -> Region:
    """Return the region with code (dotted or undotted).

    Raises RegionCodeError when code is malformed, RegionNotFound when it is not loaded.
    """
    parsed = code_parse(code)
    try:
        return Region.objects.get(code=str(parsed))
    except Region.DoesNotExist:
        raise _not_found(str(parsed), parsed.level) from None


def region_code_validate(*, code: str, level: Level | None = None, must_exist: bool = True) -> str:
    """Check code's pattern for its level and that its parent (and, if must_exist, it) is loaded.

    Returns the dotted code. Use must_exist=False to vet the code of a region about to be added.
    Raises RegionCodeError (bad pattern or wrong level) or RegionNotFound (parent or region
    missing), each with an Indonesian and an English message.
    Example: region_code_validate(code="3522012001", level="village") == "35.22.01.2001".
    """
    parsed = code_parse(code, level=level)
    dotted = str(parsed)
    parent = parsed.parent
    wanted = [dotted, str(parent)] if parent is not None else [dotted]
    found = set(Region.objects.filter(code__in=wanted).values_list("code", flat=True))
    if parent is not None and str(parent) not in found:
        raise RegionNotFound(
            f"induk {LEVEL_LABELS_ID[parent.level]} {parent} dari kode {dotted} tidak ditemukan",
            f"parent {parent.level} {parent} of code {dotted} was not found",
            where="code",
        )
    if must_exist and dotted not in found:
        raise _not_found(dotted, parsed.level)
    return dotted


def region_children(*, code: str | None = None) -> list[Region]:
    """Return the direct children of code, or the provinces when code is None."""
    if code is None:
        return list(Region.objects.filter(parent__isnull=True))
    return list(Region.objects.filter(parent_id=str(code_parse(code))))


def region_ancestors(*, code: str) -> list[Region]:
    """Return region code and its ancestors, province first."""
    parsed = code_parse(code)
    chain = []
    node = parsed
    while node is not None:
        chain.append(str(node))
        node = node.parent  # type: ignore[assignment]
    return list(Region.objects.filter(code__in=chain).order_by("code"))


def region_level_counts(*, within: str | None = None) -> dict[str, int]:
    """Return how many regions of each level lie inside within (itself included)."""
    query = Region.objects.all()
    if within is not None:
        dotted = str(code_parse(within))
        query = query.filter(code=dotted) | query.filter(code__startswith=f"{dotted}.")
    rows = query.order_by().values("level").annotate(n=Count("code"))
    return {row["level"]: row["n"] for row in rows}


def _not_found(code: str, level: str) -> RegionNotFound:
    return RegionNotFound(
        f"{LEVEL_LABELS_ID[level]} dengan kode {code} tidak ditemukan",
        f"{level} with code {code} was not found",
        where="code",
    )
