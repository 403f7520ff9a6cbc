"""Views of Open311 GeoReport v2 at /open311/v2/: every document in JSON and in XML.

JSON is an array (discovery and a service definition: an object), XML has the spec's roots:
<services><service>, <service_definition>, <service_requests><request>, <discovery>, and
errors <errors><error><code>…</code><description>…</description></error></errors> with the
spec's status (400 missing or invalid parameter, 403 api_key, 404 not found).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree as ET

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from terbuka_web.common.client_ip import client_ip
from terbuka_web.participation import open311
from terbuka_web.participation.open311 import Open311Error

CHILD = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute",
         "values": "value"}  # fmt: skip
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'  # the spec's, in capitals
TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def _xml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def _xml_fill(parent: ET.Element, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        element = ET.SubElement(parent, name)
        if isinstance(value, list):
            for item in value:
                child = ET.SubElement(element, CHILD[name])
                if isinstance(item, dict):
                    _xml_fill(child, item)
                else:
                    child.text = _xml_text(item)
        else:
            element.text = _xml_text(value)


def xml_render(data: Any, root: str, item: str) -> bytes:
    """Return data as XML: a list as <root><item>…</item></root>, a dict as <root>….

    Example: xml_render([{"code": 404, "description": "x"}], "errors", "error") ==
    b'<?xml version="1.0" encoding="UTF-8"?>\\n<errors><error><code>404</code>...'.
    """
    element = ET.Element(root)
    if isinstance(data, list):
        for fields in data:
            _xml_fill(ET.SubElement(element, item), fields)
    else:
        _xml_fill(element, data)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode").encode()


def _render(data: Any, fmt: str, root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = xml_render(data, root, item)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    response = HttpResponse(body, status=status, content_type=TYPES[fmt])
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error_response(status: int, description: str, fmt: str) -> HttpResponse:
    """Return the spec's error body (code, description) in fmt with status."""
    errors = [{"code": status, "description": description}]
    return _render(errors, fmt if fmt in TYPES else "json", "errors", "error", status)


def _answer(fmt: str, root: str, item: str, make: Callable[[], Any]) -> HttpResponse:
    try:
        return _render(make(), fmt, root, item)
    except Open311Error as exc:
        return error_response(exc.status, exc.description, fmt)


def _get_only(request: HttpRequest, fmt: str) -> HttpResponse | None:
    if request.method in ("GET", "HEAD"):
        return None
    return error_response(405, "hanya GET / only GET is allowed", fmt)


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Discovery: the endpoint, its specification and formats."""
    base = request.build_absolute_uri("/open311/v2/")
    return _get_only(request, fmt) or _answer(fmt, "discovery", "", lambda: open311.discovery(base))


def services(request: HttpRequest, fmt: str) -> HttpResponse:
    """Service list: one service per report category."""
    return _get_only(request, fmt) or _answer(fmt, "services", "service", open311.services)


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """Service definition: the attributes a POST may give (kind, anonim, rahasia)."""
    return _get_only(request, fmt) or _answer(
        fmt, "service_definition", "", lambda: open311.service_definition(code)
    )


@csrf_exempt
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: the public requests matching the spec's filters; POST: file a request."""
    if request.method == "POST":
        try:
            params = {key: request.POST.get(key, "") for key in request.POST}
        except (RequestDataTooBig, SuspiciousOperation):
            return error_response(400, "permintaan terlalu besar / request too large", fmt)
        return _answer(
            fmt, "service_requests", "request",
            lambda: open311.request_post(params=params, client_ip=client_ip(request)),
        )  # fmt: skip
    params = {key: request.GET.get(key, "") for key in request.GET}
    return _get_only(request, fmt) or _answer(
        fmt, "service_requests", "request", lambda: open311.requests_find(params)
    )


def request_one(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    """One public request."""
    return _get_only(request, fmt) or _answer(
        fmt, "service_requests", "request", lambda: open311.request_get(service_request_id)
    )


def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """The service_request_id a POST's token stands for."""
    return _get_only(request, fmt) or _answer(
        fmt, "service_requests", "request", lambda: open311.token_get(token)
    )


def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Answer the spec's 404 for any other path under /open311/v2/ (JSON unless .xml)."""
    fmt = "xml" if rest.endswith(".xml") else "json"
    return error_response(404, "tidak ditemukan / not found", fmt)
