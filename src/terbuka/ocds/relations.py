"""Check what relates OCDS objects and releases: date order, award links, duplicate ids.

Each check returns Issues with a JSON pointer and an Indonesian + English message: periods
ending before they start, contracts signed before their award, contracts naming no award of
their process, release ids used twice for one ocid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypeGuard

from terbuka.ocds.issues import Issue


def parse_datetime(value: str) -> datetime | None:
    """Return value as an aware datetime, or None when it is not an RFC 3339 date-time."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None and "T" in value else None


def _objects(release: dict[str, Any], key: str) -> list[dict[str, Any]]:
    found = release.get(key)
    if found is None:
        return []
    found = [found] if isinstance(found, dict) else found if isinstance(found, list) else []
    return [o for o in found if isinstance(o, dict)]


_HASHABLE = (str, int, float, bool)


def _h(value: Any) -> Any:
    """Return value if hashable JSON scalar, else its repr (ids may be any JSON in bad data)."""
    return value if value is None or isinstance(value, _HASHABLE) else repr(value)


def _order_issue(where: str, first: str, later: str, a: str, b: str) -> Issue:
    return Issue(
        where,
        f"tanggal tidak berurutan: {later} ({b}) lebih awal dari {first} ({a})",
        f"dates out of order: {later} ({b}) is before {first} ({a})",
        "date_order",
    )


def _before(a: Any, b: Any) -> bool:
    da = parse_datetime(a) if isinstance(a, str) else None
    db = parse_datetime(b) if isinstance(b, str) else None
    return da is not None and db is not None and db < da


def _ends_early(period: Any) -> TypeGuard[dict[str, Any]]:
    """Report whether period is an object whose endDate is before its startDate."""
    return isinstance(period, dict) and _before(period.get("startDate"), period.get("endDate"))


def _period_issue(period: dict[str, Any], where: str) -> Issue:
    start, end = period["startDate"], period["endDate"]
    return _order_issue(f"{where}/endDate", "startDate", "endDate", start, end)


TENDER_PERIODS = ("tenderPeriod", "enquiryPeriod", "awardPeriod", "contractPeriod")


def date_order_issues(release: dict[str, Any], base: str) -> list[Issue]:
    """Return issues for periods ending before they start and contracts signed before awards."""
    issues = []
    tender = release.get("tender")
    if isinstance(tender, dict):
        for name in TENDER_PERIODS:
            if _ends_early(period := tender.get(name)):
                issues.append(_period_issue(period, f"{base}/tender/{name}"))
    awards, contracts = _objects(release, "awards"), _objects(release, "contracts")
    for key, objects, name in (
        ("awards", awards, "contractPeriod"),
        ("contracts", contracts, "period"),
    ):
        for i, obj in enumerate(objects):
            if _ends_early(period := obj.get(name)):
                issues.append(_period_issue(period, f"{base}/{key}/{i}/{name}"))
    by_id = {_h(a.get("id")): a for a in awards}
    for i, contract in enumerate(contracts if by_id else ()):
        award = by_id.get(_h(contract.get("awardID")))
        if award and _before(award.get("date"), contract.get("dateSigned")):
            issues.append(
                _order_issue(
                    f"{base}/contracts/{i}/dateSigned",
                    "award.date",
                    "contract.dateSigned",
                    award["date"],
                    contract["dateSigned"],
                )
            )
    return issues


def link_issues(
    releases: Sequence[tuple[str, dict[str, Any]]], known: Mapping[str, set[str]] | None = None
) -> list[Issue]:
    """Return an issue per contract whose awardID names no award of its ocid (releases, known)."""
    award_ids: dict[Any, set[Any]] = {k: set(v) for k, v in (known or {}).items()}
    for _, release in releases:
        if "awards" in release or "award" in release:  # else no id to add
            found = _objects(release, "awards") + _objects(release, "award")
            award_ids.setdefault(_h(release.get("ocid")), set()).update(
                _h(a.get("id")) for a in found
            )
    issues = []
    for base, release in releases:
        if "contracts" not in release and "contract" not in release:
            continue  # no contract to check
        ids = award_ids.get(_h(release.get("ocid")), set())
        for key in ("contracts", "contract"):
            for i, contract in enumerate(_objects(release, key)):
                award_id = _h(contract.get("awardID"))
                if award_id is None or award_id in ids:
                    continue
                where = (
                    f"{base}/{key}/{i}/awardID"
                    if key == "contracts"
                    else f"{base}/contract/awardID"
                )
                issues.append(
                    Issue(
                        where,
                        f"awardID '{award_id}' tidak merujuk ke award mana pun dalam proses ini",
                        f"awardID '{award_id}' does not name any award of this process",
                        "award_link",
                    )
                )
    return issues


def package_issues(releases: list[Any], known: Mapping[str, set[str]]) -> list[Issue]:
    """Return duplicate-release-id and cross-release award link issues of a package's releases."""
    seen: dict[tuple[Any, Any], int] = {}
    issues = []
    pairs = []
    for i, release in enumerate(releases):
        if not isinstance(release, dict):
            continue
        base = f"/releases/{i}"
        pairs.append((base, release))
        key = (_h(release.get("ocid")), _h(release.get("id")))
        if seen.setdefault(key, i) != i:
            first = f"/releases/{seen[key]}"
            issues.append(
                Issue(
                    f"{base}/id",
                    f"id rilis '{key[1]}' untuk ocid '{key[0]}' ganda (sama dengan {first})",
                    f"release id '{key[1]}' for ocid '{key[0]}' is duplicated (same as {first})",
                    "duplicate_release_id",
                )
            )
    return issues + link_issues(pairs, known)
