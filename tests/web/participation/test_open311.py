"""Open311 GeoReport v2 at /open311/v2/: field lists in JSON and XML against the spec, every
error path, privacy (anonim identity, rahasia case) and the API key command."""

from __future__ import annotations

import io
import json
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from terbuka_web.participation.models import ApiKey, Case, RequestToken
from terbuka_web.participation.open311 import Open311Error, _date, apikey_create
from terbuka_web.participation.open311_views import NOT_XML, xml_render
from terbuka_web.participation.services import case_answer, case_close, case_forward, case_verify
from tests.web.participation.conftest import VILLAGE, World, file

pytestmark = pytest.mark.django_db
V2 = "/open311/v2"

# GeoReport v2 field lists (wiki.open311.org/GeoReport_v2)
SERVICE = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE = ["variable", "code", "datatype", "required", "datatype_description", "order",
             "description", "values"]  # fmt: skip
REQUEST = [
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long",
    "media_url",
]  # fmt: skip
DISCOVERY = ["changeset", "contact", "key_service", "endpoints"]
ENDPOINT = ["specification", "url", "changeset", "type", "formats"]


def get(path: str, **params: str) -> Any:
    return Client().get(f"{V2}/{path}", params)


def as_json(path: str, **params: str) -> Any:
    response = get(f"{path}.json", **params)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def as_xml(path: str, **params: str) -> ET.Element:
    response = get(f"{path}.xml", **params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


def public_case(world: World, **changes: object) -> Case:
    return public_case_secret(world, **changes)[0]


def public_case_secret(world: World, **changes: object) -> tuple[Case, str]:
    case, secret = file(timezone.now(), **changes)
    case = case_verify(actor=world.verifier, case=case)
    return case_forward(actor=world.verifier, case=case, agency=world.dinas), secret


def post(fmt: str = "json", ip: str = "198.51.100.9", **fields: str) -> Any:
    data = {
        "api_key": fields.pop("api_key", "kunci-uji-open311"), "service_code": "jalan-jembatan",
        "lat": "-7.15", "long": "111.88", "email": "budi.rahasia@example.org",
        "first_name": "Budi", "last_name": "Tersembunyi",
        "description": "Lampu jalan di simpang tiga mati sejak seminggu, gelap dan rawan.",
    }  # fmt: skip
    data.update(fields)
    return Client(REMOTE_ADDR=ip).post(f"{V2}/requests.{fmt}", data)


@pytest.fixture
def key(world: World) -> str:
    return apikey_create(name="uji", key="kunci-uji-open311")


def errors_of(response: Any, status: int) -> str:
    """Check the spec's error body in the response's format; return the description."""
    assert response.status_code == status, response.content
    if response["Content-Type"].startswith("text/xml"):
        root = ET.fromstring(response.content)
        assert root.tag == "errors" and [e.tag for e in root] == ["error"]
        assert [c.tag for c in root[0]] == ["code", "description"]
        assert root[0].findtext("code") == str(status)
        return root[0].findtext("description") or ""
    body = json.loads(response.content)
    assert isinstance(body, list) and list(body[0]) == ["code", "description"]
    assert body[0]["code"] == status
    return str(body[0]["description"])


def test_discovery_both_formats(world: World) -> None:
    doc = as_json("discovery")
    assert list(doc) == DISCOVERY and list(doc["endpoints"][0]) == ENDPOINT
    assert doc["endpoints"][0]["url"].endswith("/open311/v2/")
    root = as_xml("discovery")
    assert root.tag == "discovery" and [c.tag for c in root] == DISCOVERY
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None and [c.tag for c in endpoint] == ENDPOINT
    assert [f.text for f in endpoint.findall("formats/format")] == ["application/json", "text/xml"]


def test_services_and_definition_both_formats(world: World) -> None:
    services = as_json("services")
    assert isinstance(services, list) and all(list(s) == SERVICE for s in services)
    assert "jalan-jembatan" in {s["service_code"] for s in services}
    root = as_xml("services")
    assert root.tag == "services" and {c.tag for c in root} == {"service"}
    assert all([f.tag for f in s] == SERVICE for s in root)
    definition = as_json("services/jalan-jembatan")
    assert list(definition) == ["service_code", "attributes"]
    assert all(list(a) == ATTRIBUTE for a in definition["attributes"])
    assert {a["code"] for a in definition["attributes"]} == {"kind", "anonim", "rahasia"}
    root = as_xml("services/jalan-jembatan")
    assert root.tag == "service_definition"
    attribute = root.find("attributes/attribute")
    assert attribute is not None and [c.tag for c in attribute] == ATTRIBUTE
    assert [c.tag for c in attribute.find("values/value")] == ["key", "name"]  # type: ignore[union-attr]
    errors_of(get("services/tidak-ada.json"), 404)
    errors_of(get("services/tidak-ada.xml"), 404)


def test_requests_fields_filters_and_states(world: World) -> None:
    case = public_case(world)
    rows = as_json("requests")
    assert [list(r) for r in rows] == [REQUEST]
    row = rows[0]
    assert row["service_request_id"] == case.tracking_id and row["status"] == "open"
    assert row["agency_responsible"] == "Dinas PU" and row["address_id"] == VILLAGE
    assert row["expected_datetime"].startswith(case.due_on.isoformat())  # type: ignore[union-attr]
    assert row["updated_datetime"] == timezone.localtime(case.events.last().at).isoformat()  # type: ignore[union-attr]
    assert row["status_notes"] == "Didisposisikan / forwarded" and row["lat"] == ""
    root = as_xml("requests")
    assert root.tag == "service_requests" and [c.tag for c in root] == ["request"]
    assert [c.tag for c in root[0]] == REQUEST
    assert as_json(f"requests/{case.tracking_id}")[0]["service_request_id"] == case.tracking_id
    assert as_xml(f"requests/{case.tracking_id}")[0].findtext("status") == "open"
    assert as_json("requests", status="closed") == []
    assert len(as_json("requests", status="open,closed")) == 1
    assert as_json("requests", service_code="kesehatan") == []
    assert len(as_json("requests", service_request_id=f"{case.tracking_id},LPR-X")) == 1
    assert as_json("requests", start_date="2020-01-01", end_date="2020-02-01T00:00:00Z") == []
    assert len(as_json("requests", start_date="2020-01-01T00:00:00+07:00")) == 1


def test_closed_case_maps_to_closed(world: World) -> None:
    case, secret = public_case_secret(world)
    answer = "Lubang sudah ditambal oleh tim pemeliharaan jalan."
    case = case_answer(actor=world.dinas_operator, case=case, answer=answer)
    row = as_json(f"requests/{case.tracking_id}")[0]
    assert row["status"] == "open" and row["status_notes"].endswith(answer)
    case_close(case=case, secret=secret)
    assert as_json("requests", status="closed")[0]["expected_datetime"] == ""
    assert as_xml("requests", status="closed")[0].findtext("status") == "closed"
    assert as_json("requests", status="open") == []


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"start_date": "kemarin"}, 400),
        ({"end_date": "2026-13-45"}, 400),
        ({"start_date": "2026-12-05T25:00:00Z"}, 400),
        ({"start_date": "2026-12-05", "end_date": "2026-01-01"}, 400),
        ({"status": "pending"}, 400),
        ({"service_request_id": ",".join(f"LPR-{n}" for n in range(101))}, 400),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_requests_filter_errors(
    world: World, params: dict[str, str], status: int, fmt: str
) -> None:
    errors_of(get(f"requests.{fmt}", **params), status)


def test_not_found_paths(world: World) -> None:
    errors_of(get("requests/LPR-TIDAKADA.json"), 404)
    errors_of(get("requests/LPR-TIDAKADA.xml"), 404)
    errors_of(get("tokens/tidak-ada.xml"), 404)
    errors_of(get("lain.xml"), 404)
    errors_of(get("services.html"), 404)
    errors_of(Client().post(f"{V2}/services.json"), 405)


def test_post_token_secret_and_privacy(world: World, key: str) -> None:
    response = post("xml", **{"attribute[anonim]": "true", "address_string": "Simpang Ngasem"})
    root = ET.fromstring(response.content)
    assert response.status_code == 200 and root.tag == "service_requests"
    request = root[0]
    assert [c.tag for c in request] == [
        "service_request_id", "token", "service_notice", "account_id", "secret"
    ]  # fmt: skip
    tracking, token = request.findtext("service_request_id"), request.findtext("token") or ""
    case = Case.objects.get(tracking_id=tracking)
    assert case.anonim and not case.rahasia and case.contact == "budi.rahasia@example.org"
    assert RequestToken.objects.get(case=case).token_hash != token  # kept hashed
    assert as_json(f"tokens/{token}") == [{"service_request_id": tracking, "token": token}]
    assert as_xml(f"tokens/{token}")[0].findtext("service_request_id") == tracking
    errors_of(get(f"requests/{tracking}.json"), 404)  # not yet verified: not public
    case_forward(actor=world.verifier, case=case, agency=world.dinas)
    for fmt in ("json", "xml"):
        body = get(f"requests.{fmt}").content + get(f"requests/{tracking}.{fmt}").content
        assert tracking.encode() in body
        for secret in (b"Budi", b"Tersembunyi", b"budi.rahasia", token.encode()):
            assert secret not in body


def test_rahasia_case_never_shown(world: World, key: str) -> None:
    hidden = public_case(world, rahasia=True)
    response = post(**{"attribute[rahasia]": "true", "address_id": VILLAGE})
    posted = json.loads(response.content)[0]["service_request_id"]
    case_forward(
        actor=world.verifier, case=Case.objects.get(tracking_id=posted), agency=world.dinas
    )
    for fmt in ("json", "xml"):
        everything = b"".join(
            get(path).content
            for path in (f"requests.{fmt}", f"requests/{hidden.tracking_id}.{fmt}",
                         f"requests/{posted}.{fmt}", f"services.{fmt}")
        )  # fmt: skip
        assert hidden.tracking_id.encode() not in everything and posted.encode() not in everything


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"api_key": ""}, 403, "api_key"),
        ({"api_key": "salah"}, 403, "api_key"),
        ({"service_code": "tidak-ada"}, 400, "service_code"),
        ({"service_code": ""}, 400, "service_code"),
        ({"lat": "", "long": ""}, 400, "lokasi"),
        ({"lat": "51.5", "long": "-0.1"}, 400, "Indonesia"),
        ({"description": "pendek"}, 400, "text"),
        ({"description": "x" * 4001}, 400, "description"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"attribute[kind]": "<bad/>"}, 400, "kind"),
        ({"attribute[anonim]": "mungkin"}, 400, "anonim"),
        ({"email": "bukan surel"}, 400, "contact"),
        ({"address_id": "99.99"}, 400, "region"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_errors(world: World, key: str, fields: dict[str, str], status: int, words: str,
                     fmt: str) -> None:  # fmt: skip
    assert words in errors_of(post(fmt, **fields), status)
    assert not Case.objects.exists()


def test_post_ten_megabytes_and_revoked_key(world: World, key: str) -> None:
    for fmt in ("json", "xml"):
        assert "request" in errors_of(post(fmt, description="x" * 10 * 1024 * 1024), 400)
    call_command("terbuka_participation", "apikey", "uji", "--revoke", stdout=io.StringIO())
    errors_of(post(), 403)
    assert not Case.objects.exists()


def test_injection_is_escaped(world: World, key: str) -> None:
    text = 'Jalan rusak </description><status>closed</status> "]}, {"x": 1 \x08\x1b parah sekali'
    response = post("xml", description=text)
    tracking = ET.fromstring(response.content)[0].findtext("service_request_id")
    case_forward(actor=world.verifier, case=Case.objects.get(tracking_id=tracking),
                 agency=world.dinas)  # fmt: skip
    row = as_xml(f"requests/{tracking}")[0]
    assert row.findtext("status") == "open" and "</description>" in (
        row.findtext("description") or ""
    )
    assert as_json(f"requests/{tracking}")[0]["description"].endswith("parah sekali")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_nul_characters_refused(world: World, key: str, fmt: str) -> None:
    assert "NUL" in errors_of(
        post(fmt, description="Jalan rusak parah \x00 sekali sejak lama"), 400
    )
    errors_of(get(f"requests.{fmt}", service_code="a\x00b"), 400)
    errors_of(get(f"requests/LPR-%00.{fmt}"), 400)
    errors_of(get(f"tokens/%00.{fmt}"), 400)
    errors_of(get(f"services/%00.{fmt}"), 400)
    assert not Case.objects.exists()


def test_rate_limit_applies(world: World, key: str) -> None:
    for n in range(20):
        assert post(email=f"warga{n}@example.org").status_code == 200
    assert "jam" in errors_of(post("xml", email="lain@example.org"), 400)


def test_apikey_command_prints_hashed_revocable_key(world: World) -> None:
    out = io.StringIO()
    call_command("terbuka_participation", "apikey", "aplikasi-kota", stdout=out)
    printed = out.getvalue().strip()
    stored = ApiKey.objects.get(name="aplikasi-kota")
    assert printed.startswith("t311_") and printed not in stored.key_hash
    assert post(api_key=printed).status_code == 200
    call_command("terbuka_participation", "apikey", "aplikasi-kota", "--revoke", stdout=out)
    errors_of(post(api_key=printed), 403)
    assert "revoked 1" in out.getvalue()
    with pytest.raises(CommandError, match="empty"):
        call_command("terbuka_participation", "apikey", "  ", stdout=out)


def test_xml_render_golden() -> None:
    assert xml_render([{"code": 404, "description": "a<b"}], "errors", "error") == (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b"<errors><error><code>404</code><description>a&lt;b</description></error></errors>"
    )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.booleans())
def test_xml_render_round_trips_any_text(text: str, flag: bool) -> None:
    """Any text parses back (stdlib) as itself minus the characters XML 1.0 forbids."""
    rows = [{"description": text, "metadata": flag, "formats": [text]}]
    root = ET.fromstring(xml_render(rows, "service_requests", "request"))
    allowed = NOT_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    assert (root[0].findtext("description") or "") == allowed
    assert root[0].findtext("metadata") == ("true" if flag else "false")
    assert (root[0].findtext("formats/format") or "") == allowed
    assert json.loads(json.dumps(rows)) == rows


@pytest.mark.parametrize(
    "fields",
    [{"service_code": '"><service_code>x'}, {"attribute[rahasia]": "</value>"},
     {"address_id": "35.22'--"}, {"lat": '"]}', "long": "1"}],
)  # fmt: skip
def test_injection_in_structured_fields_is_an_error(
    world: World, key: str, fields: dict[str, str]
) -> None:
    for fmt in ("json", "xml"):
        errors_of(post(fmt, **fields), 400)
    errors_of(get("requests.xml", status="open<x/>"), 400)
    errors_of(get("requests.json", start_date='2026-01-01"}'), 400)
    assert not Case.objects.exists()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_date_parser_never_crashes(text: str) -> None:
    try:
        moment = _date(text, "start_date")
    except Open311Error as exc:
        assert exc.status == 400
    else:
        assert moment.tzinfo is not None
