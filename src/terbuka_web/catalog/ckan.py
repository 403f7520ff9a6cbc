"""CKAN shapes of the catalogue: package, resource and organisation dicts, and package search.

Shapes follow CKAN 2.10's `package_show` / `resource_show` / `organization_show` results
(the keys harvesters and `ckanapi` read), e.g. a resource:
    {"id": "…", "package_id": "…", "name": "Semua rilis OCDS (JSON)", "url":
     "https://x/api/ocds/bulk/releases.json", "format": "JSON", "mimetype":
     "application/json", "state": "active", "position": 0, …}
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from terbuka_web.catalog.dcat import Site
from terbuka_web.catalog.registry import ID_NAMESPACE, Agent, Dataset, Distribution

# Licence URL → (CKAN licence id, title) for the licences CKAN ships; others keep their URL.
LICENSES = {
    "https://creativecommons.org/licenses/by/4.0/": ("cc-by", "Creative Commons Attribution"),
    "https://creativecommons.org/licenses/by-sa/4.0/": (
        "cc-by-sa",
        "Creative Commons Attribution Share-Alike",
    ),
    "https://creativecommons.org/publicdomain/zero/1.0/": ("cc-zero", "Creative Commons CCZero"),
    "https://opendatacommons.org/licenses/by/": ("odc-by", "Open Data Commons Attribution License"),
}
EPOCH = "2024-01-01T00:00:00"  # metadata_created when the data gives no date


def organization_id(agent: Agent) -> str:
    """Return the stable CKAN id of an organisation (uuid5 of its key)."""
    return str(uuid.uuid5(ID_NAMESPACE, f"organization/{agent.key}"))


def organizations(datasets: Iterable[Dataset], site: Site) -> list[Agent]:
    """Return the walidata and every producer of datasets, each once, walidata first."""
    found = {site.walidata.key: site.walidata}
    for dataset in datasets:
        found.setdefault(dataset.producer.key, dataset.producer)
    return list(found.values())


def organization_dict(agent: Agent, count: int) -> dict[str, Any]:
    """Return one organisation as CKAN's organization_show gives it (without packages)."""
    role = "Walidata" if agent.role == "walidata" else "Produsen data"
    return {
        "id": organization_id(agent),
        "name": agent.key,
        "title": agent.name,
        "display_name": agent.name,
        "description": f"{role} (Satu Data Indonesia)",
        "image_url": "",
        "image_display_url": "",
        "created": EPOCH,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "package_count": count,
        "extras": [{"key": "role", "value": agent.role}, {"key": "uri", "value": agent.uri}],
    }


def _stamp(dataset: Dataset) -> str:
    return dataset.modified.replace(tzinfo=None).isoformat() if dataset.modified else EPOCH


def resource_dict(
    dataset: Dataset, dist: Distribution, position: int, site: Site
) -> dict[str, Any]:
    """Return one distribution as a CKAN resource."""
    return {
        "id": dataset.distribution_id(dist),
        "package_id": dataset.id,
        "name": dist.title,
        "description": f"{dist.description}\n\n{dist.description_en}".strip(),
        "url": site.url(dist.path),
        "format": dist.format,
        "mimetype": dist.media_type,
        "state": "active",
        "position": position,
        "url_type": None,
        "resource_type": "file" if dist.download else "api",
        "created": EPOCH,
        "last_modified": _stamp(dataset) if dataset.modified else None,
        "metadata_modified": _stamp(dataset),
        "hash": "",
        "size": None,
    }


def license_of(site: Site) -> tuple[str, str]:
    """Return the site's licence as CKAN names it: (license_id, license_title); a licence CKAN
    does not know is its own id and title, e.g. ("cc-by", "Creative Commons Attribution")."""
    return LICENSES.get(site.license, (site.license, site.license))


def package_dict(dataset: Dataset, site: Site) -> dict[str, Any]:
    """Return one dataset as CKAN's package_show gives it, resources and organisation inside."""
    license_id, license_title = license_of(site)
    extras = {
        "title_en": dataset.title_en,
        "notes_en": dataset.description_en,
        "walidata": site.walidata.name,
        "produsen_data": dataset.producer.name,
        "spatial_codes": ",".join(dataset.spatial),
        "frequency": dataset.frequency,
        **dataset.extra,
    }
    if dataset.temporal:
        extras["temporal_start"] = dataset.temporal[0].isoformat()
        extras["temporal_end"] = dataset.temporal[1].isoformat()
    return {
        "id": dataset.id,
        "name": dataset.name,
        "title": dataset.title,
        "notes": f"{dataset.description}\n\n{dataset.description_en}",
        "url": site.url(f"/data/{dataset.name}/"),
        "type": "dataset",
        "state": "active",
        "private": False,
        "isopen": license_id in {"cc-by", "cc-by-sa", "cc-zero", "odc-by"},
        "license_id": license_id,
        "license_title": license_title,
        "license_url": site.license,
        "author": dataset.producer.name,
        "author_email": None,
        "maintainer": site.walidata.name,
        "maintainer_email": site.contact if "@" in site.contact else None,
        "version": None,
        "metadata_created": EPOCH,
        "metadata_modified": _stamp(dataset),
        "owner_org": organization_id(dataset.producer),
        "organization": organization_dict(dataset.producer, 0) | {"package_count": None},
        "groups": [],
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "tags": [
            {"name": k, "display_name": k, "state": "active", "vocabulary_id": None}
            for k in dataset.keywords
        ],
        "num_tags": len(dataset.keywords),
        "resources": [
            resource_dict(dataset, d, i, site) for i, d in enumerate(dataset.distributions)
        ],
        "num_resources": len(dataset.distributions),
        "extras": [{"key": k, "value": v} for k, v in extras.items()],
    }


def _fq_match(package: dict[str, Any], fq: str) -> bool:
    """Report whether package meets every `field:value` term of fq (AND), e.g. "res_format:CSV"."""
    for term in fq.split():
        field, _, value = term.partition(":")
        value = value.strip('"').lower()
        if field in ("organization", "owner_org"):
            values = {package["organization"]["name"], package["owner_org"]}
        elif field == "tags":
            values = {t["name"] for t in package["tags"]}
        elif field == "res_format":
            values = {r["format"] for r in package["resources"]}
        elif field in ("name", "id", "license_id"):
            values = {package[field]}
        else:
            return False
        if value not in {v.lower() for v in values if v}:
            return False
    return True


def _q_match(package: dict[str, Any], q: str) -> bool:
    """Report whether every word of q is in the package's name, title, notes or tags."""
    if q in ("", "*:*"):
        return True
    haystack = " ".join(
        [package["name"], package["title"], package["notes"]]
        + [t["name"] for t in package["tags"]]
        + [e["value"] for e in package["extras"]]
    ).lower()
    return all(word in haystack for word in q.lower().split())


def packages_search(
    packages: list[dict[str, Any]], *, q: str, fq: str, rows: int, start: int
) -> dict[str, Any]:
    """Return CKAN's package_search result: {"count", "results", "sort", "facets", …}."""
    found = [p for p in packages if _q_match(p, q) and _fq_match(p, fq)]
    return {
        "count": len(found),
        "results": found[start : start + rows],
        "sort": "score desc, metadata_modified desc",
        "facets": {},
        "search_facets": {},
    }
