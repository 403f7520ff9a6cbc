"""Tests of terbuka.ocds.package and terbuka.ocds.flatten: builders, wire format, streaming."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.paths import OCDS_FIXTURES

from terbuka.bounds import pointer
from terbuka.ocds.errors import OcdsFormatError, OcdsValidationError
from terbuka.ocds.flatten import flatten_package
from terbuka.ocds.package import (
    CC_BY_4,
    PackageMeta,
    build_record,
    group_by_ocid,
    package_format,
    package_parse,
    record_package,
    release_package,
    write_record_package,
    write_release_package,
)
from terbuka.ocds.validate import errors_only, validate_package, validate_record_package

FICTIONAL = OCDS_FIXTURES / "sample-data/fictional-example/1.1"
META = PackageMeta(
    uri="https://data.contoh.go.id/ocds/releases.json",
    published_date="2025-01-10T09:00:00Z",
    publisher={"name": "Pemkab Contoh"},
    publication_policy="https://data.contoh.go.id/kebijakan",
)


def lifecycle() -> list[dict[str, Any]]:
    files = sorted(FICTIONAL.glob("ocds-213czf-000-00001-0*.json"))
    return [r for p in files for r in json.loads(p.read_text())["releases"]]


def synthetic(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {
            "ocid": f"ocds-tbk352-{i // 5:06d}",
            "id": f"r{i % 5}",
            "date": f"2025-01-{1 + i % 5:02d}T00:00:00Z",
            "tag": ["tender"],
            "initiationType": "tender",
            "tender": {"id": "t", "title": f"Paket pekerjaan nomor {i}"},
        }


def test_golden_release_package_bytes() -> None:
    meta = PackageMeta(uri="https://x/p.json", published_date="2025-01-01T00:00:00Z")
    release = {"ocid": "ocds-tbk352-1", "id": "1", "tender": {"title": "Jalan Desa"}}
    assert package_format(release_package([release], meta)) == (
        b'{"uri":"https://x/p.json","version":"1.1","publishedDate":"2025-01-01T00:00:00Z",'
        b'"publisher":{"name":"Terbuka"},"license":"https://creativecommons.org/licenses/by/4.0/",'
        b'"releases":[{"ocid":"ocds-tbk352-1","id":"1","tender":{"title":"Jalan Desa"}}]}'
    )


def test_release_package_validates_and_carries_cc_by() -> None:
    package = release_package(lifecycle(), META)
    assert package["license"] == CC_BY_4 and package["version"] == "1.1"
    assert package["publicationPolicy"] == META.publication_policy
    assert errors_only(validate_package(package)) == []


def test_fictional_lifecycle_record_package_equals_expected() -> None:
    expected = json.loads((FICTIONAL / "record/ocds-213czf-000-00001.json").read_text())
    uri = expected["packages"][0]
    meta = PackageMeta(
        uri=expected["uri"],
        published_date=expected["publishedDate"],
        publisher=expected["publisher"],
        publication_policy=expected["publicationPolicy"],
        license=expected["license"],
    )
    record = build_record(lifecycle(), package_uri=uri)
    assert record_package([record], meta, packages=[uri]) == expected
    assert validate_record_package(expected) == []


@pytest.mark.parametrize("linked", [True, False])
def test_our_record_packages_validate(linked: bool) -> None:
    record = build_record(lifecycle(), package_uri=META.uri if linked else None, versioned=True)
    package = record_package([record], META, packages=[META.uri])
    assert validate_record_package(package) == []
    assert validate_record_package(package_parse(package_format(package))) == []


def test_streamed_release_package_equals_in_memory_and_validates() -> None:
    sink = io.BytesIO()
    assert write_release_package(sink, iter(lifecycle()), META) == 6
    assert sink.getvalue() == package_format(release_package(lifecycle(), META))
    assert errors_only(validate_package(package_parse(sink.getvalue()))) == []


def test_streamed_record_package_validates() -> None:
    sink = io.BytesIO()
    records = (build_record(group) for group in group_by_ocid(synthetic(50)))
    assert write_record_package(sink, records, META) == 10
    package = package_parse(sink.getvalue())
    assert validate_record_package(package) == []
    assert [len(r["releases"]) for r in package["records"]] == [5] * 10


def test_empty_streams_are_valid_packages() -> None:
    sink = io.BytesIO()
    assert write_release_package(sink, iter([]), META) == 0
    assert package_parse(sink.getvalue())["releases"] == []


class CountingSink(io.RawIOBase):
    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.size += len(b)
        return len(b)


def test_streaming_writer_memory_stays_flat() -> None:
    sink = CountingSink()
    tracemalloc.start()
    try:
        count = write_release_package(sink, synthetic(20_000), META)  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000 and sink.size > 3_000_000
    assert peak < 200_000  # a few releases' worth, not the package's megabytes


def test_malformed_json_names_line_and_column() -> None:
    with pytest.raises(OcdsFormatError) as info:
        package_parse(b'{\n  "releases": [\n    {"id": 1,}\n  ]\n}')
    assert info.value.where == "line 3 column 14"
    assert "baris 3 kolom 14" in info.value.message_id
    assert "line 3 column 14" in info.value.message_en


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b'{"a": 1, "a": 2}', "'a'"),
        (b'{"a": NaN}', "NaN"),
        (b'{"a": "\xff"}', "UTF-8"),
        (b"[" * 100_000, "nested"),
    ],
)
def test_parse_rejects_what_json_forbids(data: bytes, fragment: str) -> None:
    with pytest.raises(OcdsFormatError) as info:
        package_parse(data)
    assert fragment in info.value.message_en


def test_parse_accepts_bom() -> None:
    assert package_parse(b'\xef\xbb\xbf{"releases":[]}') == {"releases": []}


TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53 - 1), 2**53 - 1) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(TEXT, JSON, max_size=5))
def test_format_parse_round_trip(value: dict[str, Any]) -> None:
    assert package_parse(package_format(value)) == value


@given(
    st.dictionaries(TEXT, JSON, min_size=1, max_size=3),
    st.sampled_from(['"a\\u0000"', '"\\udfff"', "9007199254740992", "-1e309", "1" * 4301]),
)
def test_parse_names_the_pointer_of_a_value_out_of_bounds(value: dict[str, Any], bad: str) -> None:
    key = sorted(value)[0]
    text = package_format({**value, key: [0, "x"]}).decode()
    text = text.replace('[0,"x"]', f"[0,{bad}]", 1)
    with pytest.raises(OcdsValidationError) as info:
        package_parse(text.encode())
    assert info.value.where == f"/{pointer((key,))[1:]}/1"


@given(st.binary(max_size=200))
def test_parse_fuzz_raises_only_format_or_bounds_errors(data: bytes) -> None:
    try:
        package_parse(data)
    except (OcdsFormatError, OcdsValidationError) as exc:
        assert exc.message_id and exc.message_en


def test_flatten_fictional_lifecycle(tmp_path: Path) -> None:
    source = tmp_path / "releases.json"
    source.write_bytes(package_format(release_package(lifecycle(), META)))
    files = flatten_package(source, tmp_path / "out")
    with zipfile.ZipFile(files.csv_zip) as zf:
        assert {"releases.csv", "awards.csv", "parties.csv"} <= set(zf.namelist())
        rows = list(csv.DictReader(io.TextIOWrapper(zf.open("releases.csv"), "utf-8-sig")))
    assert [r["id"] for r in rows] == [r["id"] for r in lifecycle()]
    assert {r["ocid"] for r in rows} == {"ocds-213czf-000-00001"}
    book = openpyxl.load_workbook(files.xlsx, read_only=True)
    assert "releases" in book.sheetnames and "awards" in book.sheetnames
    book.close()


def test_flatten_rejects_a_non_package(tmp_path: Path) -> None:
    source = tmp_path / "bad.json"
    source.write_text("{nope")
    with pytest.raises(OcdsFormatError) as info:
        flatten_package(source, tmp_path / "out")
    assert "tidak dapat diratakan" in info.value.message_id


def _with_breakdown(release: dict[str, Any]) -> dict[str, Any]:
    budget = {
        "amount": {"amount": 1_500_000_000, "currency": "IDR"},
        "budgetBreakdown": [
            {
                "id": "1.03.10.2.01.0001/5.2.04.01.01.0001",
                "amount": {"amount": 1_500_000_000, "currency": "IDR"},
                "classifications": {"akun": "5.2.04.01.01.0001"},
                "measures": {"dpa": 1_500_000_000},
            }
        ],
    }
    return {**release, "planning": {**release.get("planning", {}), "budget": budget}}


def test_packages_declare_the_budget_extensions_only_when_a_release_uses_them() -> None:
    from terbuka.ocds.extensions import EXTENSIONS, extensions_used

    plain = [
        r for r in lifecycle() if "budgetBreakdown" not in r.get("planning", {}).get("budget", {})
    ]
    assert "extensions" not in release_package(plain, META)
    used = [*plain[:-1], _with_breakdown(plain[-1])]
    package = release_package(used, META)
    assert list(package)[:3] == ["uri", "version", "extensions"]
    assert package["extensions"] == list(EXTENSIONS)
    assert errors_only(validate_package(package)) == []
    records = record_package([build_record(used)], META)
    assert records["extensions"] == list(EXTENSIONS)
    assert errors_only(validate_record_package(records)) == []
    assert extensions_used([{"compiledRelease": used[-1]}]) == EXTENSIONS
    assert extensions_used([{"compiledRelease": {}, "releases": [used[-1]]}]) == EXTENSIONS
    assert extensions_used([{"planning": {"budget": {"amount": {}}}}, {"planning": None}]) == ()


def test_a_streamed_package_declares_what_its_meta_names() -> None:
    from dataclasses import replace

    from terbuka.ocds.extensions import EXTENSIONS

    used = [_with_breakdown(r) for r in lifecycle()]
    meta = replace(META, extensions=EXTENSIONS)
    out = io.BytesIO()
    write_release_package(out, iter(used), meta)
    assert out.getvalue() == package_format(release_package(used, META))
