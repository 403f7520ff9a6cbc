"""Pull a remote Terbuka's datasets page by page, one pluggable reader per dataset kind.

A DatasetKind knows where its feed lives, how to resume it (an opaque cursor) and which log
entry each item is, so that every harvested item is checked for inclusion in the remote's
signed log. OCDS releases come now (GET /api/ocds/releases?after=CURSOR, paged by
publication, 204 when nothing is newer); budgets and region totals register their own kind.
"""

from __future__ import annotations

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


class OcdsReleases:
    """Read OCDS 1.1.5 release packages from /api/ocds/releases (cursor = links.next `after`)."""

    name = "ocds"

    def pages(self, base_url: str, cursor: str, fetch: Fetch) -> Iterator[FeedPage]:
        """Yield release pages after cursor until the remote answers 204 No Content.

        Raises RemoteFeedError for a package without a releases list or a next link without
        `after`, UnavailableError for another HTTP status.
        """
        params = {"limit": str(PAGE_LIMIT), **({"after": cursor} if cursor else {})}
        url = f"{base_url}api/ocds/releases?{urllib.parse.urlencode(params)}"
        while True:
            answer = fetch(url)
            if answer.status == 204:
                return
            package = _json_page(answer, url)
            releases = package.get("releases")
            next_url = (package.get("links") or {}).get("next")
            after = urllib.parse.parse_qs(urllib.parse.urlsplit(str(next_url)).query).get("after")
            if not isinstance(releases, list) or not releases or not after:
                raise RemoteFeedError(
                    "paket rilis tanpa daftar releases atau tautan links.next",
                    "a release package without releases or links.next",
                    where=url,
                )
            if not all(isinstance(r, dict) and isinstance(r.get("ocid"), str) for r in releases):
                raise RemoteFeedError("rilis tanpa ocid", "a release without an ocid", where=url)
            yield FeedPage(releases, after[0])
            url = f"{base_url}api/ocds/releases?" + urllib.parse.urlencode(
                {"limit": str(PAGE_LIMIT), "after": after[0]}
            )

    def entry(self, item: dict[str, Any]) -> bytes:
        """Return the log entry of a release: {"kind":"ocds.release","release":{...}} (RFC 8785)."""
        return canonical_json({"kind": RELEASE_KIND, "release": item})


KINDS: dict[str, DatasetKind] = {"ocds": OcdsReleases()}


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
