"""Pull a remote Terbuka's datasets page by page, one pluggable reader per dataset kind.

A DatasetKind knows where its feed lives, how to resume it (an opaque cursor) and which log
entry each item is, so that every harvested item is checked for inclusion in the remote's
signed log: OCDS releases (GET /api/ocds/releases?after=CURSOR, paged by publication) and
budget batches with their lines (GET /api/budget/batches?after=CURSOR), 204 when nothing is
newer. Other kinds register with kind_register.
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from terbuka.canonical import canonical_json
from terbuka.federation.errors import HarvestInputError, RemoteFeedError
from terbuka.tlog.verify_source import RELEASE_KIND, HttpAnswer, answer_body, http_call

Fetch = Callable[[str], HttpAnswer]
PAGE_LIMIT = 500
BUDGET_KIND = "budget.batch"
BUDGET_PATH = "api/budget/batches"


@dataclass(frozen=True)
class FeedPage:
    """Hold one page of items and the cursor that resumes just after it."""

    items: list[dict[str, Any]]
    cursor: str


class DatasetKind(Protocol):
    """Read one kind of dataset from a remote instance."""

    name: str

    def pages(self, base_url: str, cursor: str, fetch: Fetch) -> Iterator[FeedPage]:
        """Yield the pages published after cursor ("" = from the start), oldest first."""
        ...

    def entry(self, item: dict[str, Any]) -> bytes:
        """Return the exact log entry bytes the remote logged for item."""
        ...


def _json_page(answer: HttpAnswer, url: str) -> dict[str, Any]:
    """Return the JSON object of a 200 answer; raise RemoteFeedError / UnavailableError."""
    body = answer_body(answer, url)
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise RemoteFeedError(
            f"umpan {url} bukan JSON: {exc}", f"feed {url} is not JSON: {exc}", where=url
        ) from exc
    if not isinstance(data, dict):
        raise RemoteFeedError("umpan bukan objek JSON", "the feed is not a JSON object", where=url)
    return data


def cursor_pages(
    base_url: str, path: str, key: str, cursor: str, fetch: Fetch
) -> Iterator[FeedPage]:
    """Yield the pages of BASE/path?after=CURSOR whose items sit under key, until a 204.

    The remote answers a JSON object {key: [...], "links": {"next": URL?after=…}} per page.
    Raises RemoteFeedError for a page without a non-empty list under key, items that are not
    objects, or a next link without `after`; UnavailableError for another HTTP status.
    """
    while True:
        params = {"limit": str(PAGE_LIMIT), **({"after": cursor} if cursor else {})}
        url = f"{base_url}{path}?{urllib.parse.urlencode(params)}"
        answer = fetch(url)
        if answer.status == 204:
            return
        page = _json_page(answer, url)
        items = page.get(key)
        next_url = (page.get("links") or {}).get("next")
        after = urllib.parse.parse_qs(urllib.parse.urlsplit(str(next_url)).query).get("after")
        if not isinstance(items, list) or not items or not after:
            raise RemoteFeedError(
                f"halaman umpan tanpa daftar {key} atau tautan links.next",
                f"a feed page without a {key} list or links.next",
                where=url,
            )
        if not all(isinstance(item, dict) for item in items):
            raise RemoteFeedError(
                f"isi {key} bukan objek JSON", f"an item of {key} is not a JSON object", where=url
            )
        yield FeedPage(items, after[0])
        cursor = after[0]


class OcdsReleases:
    """Read OCDS 1.1.5 release packages from /api/ocds/releases (cursor = links.next `after`)."""

    name = "ocds"

    def pages(self, base_url: str, cursor: str, fetch: Fetch) -> Iterator[FeedPage]:
        """Yield release pages after cursor until the remote answers 204 No Content.

        Raises RemoteFeedError for a malformed package or a release without an ocid,
        UnavailableError for another HTTP status.
        """
        for page in cursor_pages(base_url, "api/ocds/releases", "releases", cursor, fetch):
            if not all(isinstance(r.get("ocid"), str) for r in page.items):
                raise RemoteFeedError(
                    "rilis tanpa ocid", "a release without an ocid", where="api/ocds/releases"
                )
            yield page

    def entry(self, item: dict[str, Any]) -> bytes:
        """Return the log entry of a release: {"kind":"ocds.release","release":{...}} (RFC 8785)."""
        return canonical_json({"kind": RELEASE_KIND, "release": item})


class BudgetBatches:
    """Read published budget batches from /api/budget/batches (cursor = log entry id).

    Each item is {"entry": the remote's "budget.batch" log entry, "lines": [...]}: the lines
    must hash (SHA-256 of their RFC 8785 JSON) to the entry's sha256, and the entry must be
    in the remote's log, so every line harvested is one the remote signed.
    """

    name = "budget"

    def pages(self, base_url: str, cursor: str, fetch: Fetch) -> Iterator[FeedPage]:
        """Yield batch pages after cursor until 204; raise RemoteFeedError for a bad batch."""
        for page in cursor_pages(base_url, BUDGET_PATH, "batches", cursor, fetch):
            for item in page.items:
                batch_check(item)
            yield page

    def entry(self, item: dict[str, Any]) -> bytes:
        """Return the batch's log entry bytes: its "entry" object in RFC 8785 JSON."""
        return canonical_json(item["entry"])


def batch_check(item: dict[str, Any]) -> None:
    """Raise RemoteFeedError unless item is a budget.batch entry with the lines it hashes."""
    entry, lines = item.get("entry"), item.get("lines")
    fields_ok = (
        isinstance(entry, dict)
        and entry.get("kind") == BUDGET_KIND
        and all(isinstance(entry.get(f), str) for f in ("region", "phase", "type", "sha256"))
        and all(type(entry.get(f)) is int for f in ("batch", "year", "semester"))
        and isinstance(lines, list)
        and all(isinstance(x, dict) and type(x.get("amount")) is int for x in lines)
    )
    if not fields_ok:
        raise RemoteFeedError(
            "batch anggaran tanpa entri budget.batch atau baris yang sah",
            "a budget batch without a valid budget.batch entry or lines",
            where=BUDGET_PATH,
        )
    assert isinstance(entry, dict)
    if hashlib.sha256(canonical_json(lines)).hexdigest() != entry["sha256"]:
        raise RemoteFeedError(
            f"baris batch anggaran {entry['batch']} tidak cocok dengan sha256 di lognya",
            f"the lines of budget batch {entry['batch']} do not match the sha256 it logged",
            where=BUDGET_PATH,
        )


KINDS: dict[str, DatasetKind] = {"ocds": OcdsReleases(), "budget": BudgetBatches()}


def kind_register(kind: DatasetKind) -> None:
    """Add a dataset kind (e.g. budgets) that `terbuka harvest --kind` can pull."""
    KINDS[kind.name] = kind


def kind_get(name: str) -> DatasetKind:
    """Return the dataset kind called name; raise HarvestInputError naming the known ones."""
    try:
        return KINDS[name]
    except KeyError:
        known = ", ".join(sorted(KINDS))
        raise HarvestInputError(
            f"jenis data {name!r} tidak dikenal (dikenal: {known})",
            f"unknown dataset kind {name!r} (known: {known})",
            where="--kind",
        ) from None


def fetch_default(url: str) -> HttpAnswer:
    """GET url with the log client's limits (terbuka.tlog.verify_source.http_call)."""
    return http_call(url)
