"""Arbitrary, schema-shaped compiled releases never crash the indicators or the preparation.

Fields take their OCDS type most of the time and a wrong JSON type some of the time, as
imported data does; the computation must still finish with Cardinal-shaped, valid JSON.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terbuka.flags.compute import flags_compute, results_json
from terbuka.flags.errors import FlagsInputError, FlagsSettingsError
from terbuka.flags.jsonl import read_objects
from terbuka.flags.prepare import Preparer
from terbuka.flags.registry import settings_default, settings_load

wrong = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=3), st.just([]), st.just({})
)
ids = st.one_of(st.sampled_from(["A", "B", "C", "S"]), st.integers(0, 3))
codes = st.sampled_from(["open", "selective", "limited", "direct", "Pengadaan Langsung", "x"])
statuses = st.sampled_from(
    ["valid", "disqualified", "pending", "invited", "withdrawn", "active", "cancelled"]
)
dates = st.sampled_from(
    ["2026-03-02T00:00:00+07:00", "2026-03-20T10:00:00Z", "invalid", "2026-03-02"]
)
amounts = st.one_of(st.integers(-5, 10**16), st.floats(allow_nan=False), st.just(0))


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Return values of strategy mostly, a wrong JSON type sometimes."""
    return st.one_of(strategy, strategy, strategy, wrong)


def shaped(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Return objects with any subset of the fields."""
    return maybe(st.fixed_dictionaries({}, optional={k: maybe(v) for k, v in fields.items()}))


org = shaped(id=ids)
value = shaped(amount=amounts, currency=st.sampled_from(["IDR", "USD"]))
item = shaped(
    classification=shaped(id=st.sampled_from(["45233140", "72000000", "1"]), scheme=codes)
)
bid = shaped(
    status=statuses,
    date=dates,
    value=value,
    tenderers=st.lists(org, max_size=3),
    items=st.lists(item, max_size=2),
)
award = shaped(
    id=ids,
    status=statuses,
    value=value,
    suppliers=maybe(st.lists(org, max_size=3)),
    items=st.lists(item, max_size=3),
)
contract = shaped(
    awardID=ids,
    status=statuses,
    value=value,
    amendments=st.lists(st.just({"rationale": "x"}), max_size=2),
)
tender = shaped(
    status=statuses,
    procurementMethod=codes,
    procurementMethodDetails=codes,
    numberOfTenderers=st.one_of(st.integers(-1, 3), st.floats(0, 2)),
    tenderPeriod=shaped(startDate=dates, endDate=dates),
    procuringEntity=org,
)
release = st.fixed_dictionaries(
    {"ocid": maybe(st.sampled_from(["ocds-213czf-1", "ocds-213czf-2", "ocds-213czf-3"]))},
    optional={
        "buyer": org,
        "tender": tender,
        "bids": shaped(details=st.lists(bid, max_size=4)),
        "awards": maybe(st.lists(award, max_size=3)),
        "contracts": maybe(st.lists(contract, max_size=2)),
        "parties": maybe(st.lists(shaped(id=ids, roles=st.lists(codes, max_size=2)), max_size=3)),
        "auctions": maybe(
            st.lists(shaped(stages=st.lists(shaped(bids=st.lists(bid, max_size=2)))))
        ),
    },
)
PREPARE = settings_load(
    "[defaults]\ncurrency = IDR\nbid_status = valid\naward_status = active\nparty_roles = true\n"
    "item_classification_scheme = UNSPSC\n[redactions]\norganization_id = 0\namount = 0\n"
    "[corrections]\naward_status_by_contract_status = true\n[modifications]\nmove_auctions = true\n"
    "prefix_tenderer_or_supplier_id = ID-\nsplit_procurement_method_details = -\n",
    source="fuzz.ini",
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(release, max_size=12))
def test_indicators_never_crash_and_give_cardinal_shaped_json(
    releases: list[dict[str, Any]],
) -> None:
    results = json.loads(results_json(flags_compute(releases, settings_default())))
    assert set(results) <= {"OCID", "Buyer", "ProcuringEntity", "Tenderer"}
    for found in results.values():
        for codes_values in found.values():
            assert all(value is None or isinstance(value, float) for value in codes_values.values())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(release, max_size=6))
def test_prepared_releases_still_compute(releases: list[dict[str, Any]]) -> None:
    preparer = Preparer(PREPARE)
    prepared = copy.deepcopy(releases)
    for number, one in enumerate(prepared, 1):
        for issue in preparer.prepare(one, number):
            assert issue[0] == number and issue[5] in ("not set", "invalid", "is zero")
    json.dumps(prepared)
    results_json(flags_compute(prepared, settings_default()))


@given(st.text(max_size=200))
def test_settings_parser_returns_settings_or_a_located_error(text: str) -> None:
    try:
        settings_load(text, source="acak.ini")
    except FlagsSettingsError as exc:
        assert exc.where.startswith("acak.ini:")


@given(st.lists(st.binary(max_size=40), max_size=5))
def test_line_reader_returns_objects_or_a_located_error(lines: list[bytes]) -> None:
    try:
        for number, found in read_objects(lines, source="acak.jsonl"):
            assert isinstance(found, dict) and 1 <= number <= len(lines)
    except FlagsInputError as exc:
        assert exc.where.startswith("acak.jsonl:")
