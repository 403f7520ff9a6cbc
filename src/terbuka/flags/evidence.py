"""Read back, from a compiled release, the facts that made a process-local indicator flag it.

The indicators (terbuka.flags.indicators) give a code and a value; people need the data
behind it: the submission period in days beside the threshold, the number of tenderers, the
award beside the contract value. Each fact is (key, number or text); a missing fact is left
out, never invented. Example: flag_evidence("R003", release) →
{"days": 7, "threshold": 15, "start": "2026-03-02T00:00:00+07:00", "end": "…"}.
"""

from __future__ import annotations

from typing import Any

from terbuka.flags.indicators.id002 import DEFAULT_CEILINGS
from terbuka.flags.indicators.r003 import DEFAULT_THRESHOLD, whole_days
from terbuka.flags.release import (
    JsonObject,
    array,
    bid_price,
    bids,
    has_status,
    obj,
    rfc3339,
    submitted_bids,
    text,
)

ID001_THRESHOLD = 0.1

Facts = dict[str, Any]


def flag_evidence(code: str, release: JsonObject) -> Facts:
    """Return the facts behind indicator code for release (an empty dict for other codes).

    Keys per code: R003 days, threshold, start, end; R018 tenderers, method; R028 price,
    bids; R030 deadline, late; R035 disqualified, valid; R036 lowest, bids; ID001 award,
    contract, increase, threshold; ID002 award, ceiling, share.
    """
    reader = _READERS.get(code)
    return {k: v for k, v in reader(release).items() if v is not None} if reader else {}


def _r003(release: JsonObject) -> Facts:
    period = obj(obj(release, "tender"), "tenderPeriod")
    start, end = text(period, "startDate"), text(period, "endDate")
    begun, ended = rfc3339(start), rfc3339(end)
    days = whole_days(begun, ended) if begun is not None and ended is not None else None
    # the default threshold: the web project stores flags with Cardinal's defaults
    return {"days": days, "threshold": DEFAULT_THRESHOLD, "start": start, "end": end}


def _r018(release: JsonObject) -> Facts:
    tender = obj(release, "tender")
    return {
        "tenderers": tender.get("numberOfTenderers"),
        "method": text(tender, "procurementMethodDetails"),
    }


def _r028(release: JsonObject) -> Facts:
    prices = [p[0] for bid in submitted_bids(release) if (p := bid_price(bid)) is not None]
    repeated = sorted({p for p in prices if prices.count(p) > 1})
    return {"price": repeated[0] if repeated else None, "bids": len(prices)}


def _r030(release: JsonObject) -> Facts:
    deadline = text(obj(obj(release, "tender"), "tenderPeriod"), "endDate")
    end = rfc3339(deadline)
    late = [
        day
        for bid in bids(release)
        if has_status(bid, "valid")
        and (day := text(bid, "date")) is not None
        and end is not None
        and (received := rfc3339(day)) is not None
        and received > end
    ]
    return {"deadline": deadline, "late": late[0] if late else None}


def _r035(release: JsonObject) -> Facts:
    statuses = [text(bid, "status") for bid in bids(release)]
    return {"disqualified": statuses.count("disqualified"), "valid": statuses.count("valid")}


def _r036(release: JsonObject) -> Facts:
    prices = [p[0] for bid in submitted_bids(release) if (p := bid_price(bid)) is not None]
    return {"lowest": min(prices) if prices else None, "bids": len(prices)}


def _id001(release: JsonObject) -> Facts:
    awards = [p[0] for a in array(release, "awards") if (p := bid_price(a)) is not None]
    contracts = [p[0] for c in array(release, "contracts") if (p := bid_price(c)) is not None]
    award, contract = (awards[0] if awards else None), (contracts[0] if contracts else None)
    increase = (contract - award) / award if award and contract is not None else None
    return {
        "award": award,
        "contract": contract,
        "increase": increase,
        "threshold": ID001_THRESHOLD,
    }


def _id002(release: JsonObject) -> Facts:
    details = text(obj(release, "tender"), "procurementMethodDetails") or ""
    ceiling = DEFAULT_CEILINGS.get(details)
    amounts = [
        p[0]
        for a in array(release, "awards")
        if has_status(a, "active") and (p := bid_price(a)) is not None
    ]
    award = max(amounts) if amounts else None
    share = award / ceiling if award is not None and ceiling else None
    return {"award": award, "ceiling": ceiling, "share": share}


_READERS = {
    "R003": _r003,
    "R018": _r018,
    "R028": _r028,
    "R030": _r030,
    "R035": _r035,
    "R036": _r036,
    "ID001": _id001,
    "ID002": _id002,
}
