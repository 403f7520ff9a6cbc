"""CKAN Action API subset at /api/3/action/<action> and /api/action/<action> (plain Django).

Parameters come from the query string (GET) or a JSON object body (POST, as `ckanapi`
sends). Answers use CKAN's envelope, e.g.
    {"help": "https://x/api/3/action/help_show?name=package_list", "success": true,
     "result": ["pengadaan-ocds", "wilayah-kemendagri"]}
and CKAN's errors and status codes: 404 {"success": false, "error": {"__type":
"Not Found Error", "message": "Not found"}}, 409 "Validation Error" (a missing or bad
parameter, keyed by field), 400 "Bad Request" (unknown action, bad JSON body).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from terbuka_web.catalog import ckan
from terbuka_web.catalog.dcat import Site
from terbuka_web.catalog.registry import Dataset, dataset_find
from terbuka_web.catalog.selectors import catalog_read

MAX_ROWS = 1000


class ActionError(Exception):
    """A CKAN error: HTTP status, __type and the error's other keys."""

    def __init__(self, status: int, kind: str, **fields: Any) -> None:
        super().__init__(kind)
        self.status, self.kind, self.fields = status, kind, fields


def _not_found(what: str) -> ActionError:
    return ActionError(
        404, "Not Found Error", message=f"Not found: {what} tidak ada / {what} does not exist"
    )


def _missing(field: str) -> ActionError:
    message = f"{field}: nilai wajib diisi / Missing value"
    return ActionError(409, "Validation Error", message=message, **{field: ["Missing value"]})


def _int(params: dict[str, Any], field: str, default: int, most: int) -> int:
    value = params.get(field, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        message = f"{field}: harus bilangan bulat / Invalid integer"
        raise ActionError(
            409, "Validation Error", message=message, **{field: ["Invalid integer"]}
        ) from None
    if number < 0:
        message = f"{field}: harus bilangan asli / Must be a natural number"
        raise ActionError(
            409, "Validation Error", message=message, **{field: ["Must be a natural number"]}
        )
    return min(number, most)


Action = Callable[[dict[str, Any], list[Dataset], Site], Any]


def package_list(params: dict[str, Any], datasets: list[Dataset], site: Site) -> Any:
    """Return the names of every dataset (limit, offset)."""
    limit = _int(params, "limit", len(datasets), len(datasets))
    offset = _int(params, "offset", 0, len(datasets))
    return [d.name for d in datasets][offset : offset + limit]


def _dataset(params: dict[str, Any], datasets: list[Dataset]) -> Dataset:
    key = params.get("id") or params.get("name_or_id")
    if not key:
        raise _missing("id")
    found = dataset_find(datasets, str(key))
    if found is None:
        raise _not_found("dataset")
    return found


def package_show(params: dict[str, Any], datasets: list[Dataset], site: Site) -> Any:
    """Return one dataset (id: its name or id) with its resources and organisation."""
    return ckan.package_dict(_dataset(params, datasets), site)


def package_search(params: dict[str, Any], datasets: list[Dataset], site: Site) -> Any:
    """Search datasets: q (words), fq (organization:, tags:, res_format:, name:), rows, start."""
    packages = [ckan.package_dict(d, site) for d in datasets]
    return ckan.packages_search(
        packages,
        q=str(params.get("q") or ""),
        fq=str(params.get("fq") or ""),
        rows=_int(params, "rows", 10, MAX_ROWS),
        start=_int(params, "start", 0, 10**9),
    )


def _counts(datasets: list[Dataset]) -> Counter[str]:
    return Counter(dataset.producer.key for dataset in datasets)


def organization_list(params: dict[str, Any], datasets: list[Dataset], site: Site) -> Any:
    """Return the organisation names, or their dicts with all_fields=true."""
    counts = _counts(datasets)
    agents = ckan.organizations(datasets, site)
    if str(params.get("all_fields", "")).lower() in ("true", "1"):
        return [ckan.organization_dict(a, counts[a.key]) for a in agents]
    return [a.key for a in agents]


def organization_show(params: dict[str, Any], datasets: list[Dataset], site: Site) -> Any:
    """Return one organisation (id: name or id); include_datasets=true adds its packages."""
    key = params.get("id")
    if not key:
        raise _missing("id")
    counts = _counts(datasets)
    for agent in ckan.organizations(datasets, site):
        if str(key) in (agent.key, ckan.organization_id(agent)):
            result = ckan.organization_dict(agent, counts[agent.key])
            if str(params.get("include_datasets", "")).lower() in ("true", "1"):
                owned = [d for d in datasets if d.producer.key == agent.key]
                result["packages"] = [ckan.package_dict(d, site) for d in owned]
            return result
    raise _not_found("organization")


def resource_show(params: dict[str, Any], datasets: list[Dataset], site: Site) -> Any:
    """Return one resource by its id."""
    key = params.get("id")
    if not key:
        raise _missing("id")
    for dataset in datasets:
        for position, dist in enumerate(dataset.distributions):
            if dataset.distribution_id(dist) == str(key):
                return ckan.resource_dict(dataset, dist, position, site)
    raise _not_found("resource")


def help_show(params: dict[str, Any], datasets: list[Dataset], site: Site) -> Any:
    """Return the help text of one action (name)."""
    name = params.get("name")
    if not name:
        raise _missing("name")
    if name not in ACTIONS:
        raise _not_found("action")
    return ACTIONS[str(name)].__doc__


ACTIONS: dict[str, Action] = {
    "package_list": package_list,
    "package_show": package_show,
    "package_search": package_search,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "resource_show": resource_show,
    "help_show": help_show,
}


def _params(request: HttpRequest) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.GET.items())
    if request.method == "POST" and request.body:
        try:
            body = json.loads(request.body)
        except ValueError as exc:
            raise ActionError(
                400, "Bad Request", message=f"Bad request - JSON Error: {exc}"
            ) from None
        if not isinstance(body, dict):
            raise ActionError(400, "Bad Request", message="Bad request - JSON Error: not a dict")
        params.update(body)
    return params


def _answer(status: int, body: dict[str, Any]) -> HttpResponse:
    payload = json.dumps(body, ensure_ascii=False)
    response = HttpResponse(payload, status=status, content_type="application/json;charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt
def action(request: HttpRequest, name: str) -> HttpResponse:
    """Run one read-only CKAN action and answer in CKAN's envelope (GET or POST)."""
    help_url = request.build_absolute_uri(f"/api/3/action/help_show?name={name}")
    try:
        if request.method not in ("GET", "HEAD", "POST"):
            raise ActionError(405, "Bad Request", message="Bad request - method not allowed")
        if name not in ACTIONS:
            raise ActionError(
                400, "Bad Request", message=f"Bad request - Action name not known: {name}"
            )
        params = _params(request)
        datasets, site = catalog_read(request)
        result = ACTIONS[name](params, datasets, site)
    except ActionError as err:
        error = {"__type": err.kind, **err.fields}
        return _answer(err.status, {"help": help_url, "success": False, "error": error})
    return _answer(200, {"help": help_url, "success": True, "result": result})
