"""Normalize organization references, bids and item classifications (the `prepare` steps).

Helpers of `terbuka.flags.prepare`: ids become strings, placeholder ids are removed,
prefixes are added, defaults are filled in and bid statuses re-mapped, as in Cardinal's
`prepare` command. Example: with `[modifications] prefix_tenderer_or_supplier_id = DO-RPE-`,
`{"tenderers": [{"id": 2}]}` becomes `{"tenderers": [{"id": "DO-RPE-2"}]}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from terbuka.flags.release import JsonObject, array, obj, text
from terbuka.flags.settings import Settings

BID_STATUS = frozenset({"invited", "pending", "valid", "disqualified", "withdrawn"})
Report = Callable[[str, str, str, str], None]  # (path, array indexes, value, description)


def stringify(value: JsonObject, key: str) -> None:
    """Turn value[key] into a string when it is a JSON number (1 → "1")."""
    found = value.get(key)
    if isinstance(found, int | float) and not isinstance(found, bool):
        value[key] = str(found)


@dataclass(frozen=True)
class IdRules:
    """Hold the id, default and code settings that the preparation applies."""

    redacted_ids: frozenset[str]
    redacted_amounts: frozenset[float]
    buyer_prefix: str
    supplier_prefix: str
    party_roles: bool
    currency: str | None
    scheme: str | None
    bid_status: str | None
    bid_codes: dict[str, str]

    @classmethod
    def from_settings(cls, settings: Settings) -> IdRules:
        """Return the rules the settings' prepare sections set."""
        redactions, defaults = settings.section("redactions"), settings.section("defaults")
        modifications = settings.section("modifications")
        amounts = set()
        for part in redactions.pipe_list("amount"):
            try:
                amounts.add(float(part))
            except ValueError:
                continue  # Cardinal ignores a part that is not a number
        return cls(
            redacted_ids=redactions.pipe_list("organization_id"),
            redacted_amounts=frozenset(amounts),
            buyer_prefix=modifications.text("prefix_buyer_or_procuring_entity_id") or "",
            supplier_prefix=modifications.text("prefix_tenderer_or_supplier_id") or "",
            party_roles=defaults.boolean("party_roles"),
            currency=defaults.text("currency"),
            scheme=defaults.text("item_classification_scheme"),
            bid_status=defaults.text("bid_status"),
            bid_codes={
                k: e.value for k, e in settings.section("codelists.bid_status").entries.items()
            },
        )

    def reference_prepare(
        self, ref: Any, prefix: str, role: str, roles: dict[str, set[str]]
    ) -> None:
        """Stringify, redact or prefix one organization reference and note its role."""
        if not isinstance(ref, dict):
            return
        stringify(ref, "id")
        ref_id = text(ref, "id")
        if ref_id is None:
            return
        if ref_id in self.redacted_ids:
            del ref["id"]
            return
        if not ref_id.startswith(prefix):
            ref["id"] = ref_id = prefix + ref_id
        if role and ref_id in roles:
            roles[ref_id].add(role)

    def references_prepare(
        self, holder: Any, key: str, role: str, roles: dict[str, set[str]]
    ) -> None:
        """Prepare holder[key], an array of references (a single object becomes an array)."""
        if not isinstance(holder, dict):
            return
        if isinstance(holder.get(key), dict):
            holder[key] = [holder[key]]
        prefix = self.supplier_prefix if role in ("tenderer", "supplier") else ""
        for ref in array(holder, key):
            self.reference_prepare(ref, prefix, role, roles)

    def scheme_fill(self, item: Any, where: str, report: Report, *, stringify_id: bool) -> None:
        """Fill in a missing `classification.scheme`; with stringify_id, make its id a string."""
        classification = obj(item, "classification")
        if not classification:
            return
        if stringify_id:
            stringify(classification, "id")
        if "scheme" in classification:
            return
        if self.scheme is not None:
            classification["scheme"] = self.scheme
        else:
            report("/classification/scheme", where, "", "not set")

    def roles_write(self, release: JsonObject, roles: dict[str, set[str]]) -> None:
        """Write the sorted roles collected for each party (when `party_roles` is on)."""
        if not self.party_roles:
            return
        for party in array(release, "parties"):
            party_id = text(party, "id")
            if party_id is not None and roles.get(party_id):
                party["roles"] = sorted(roles[party_id])


def organizations_prepare(release: JsonObject, rules: IdRules) -> dict[str, set[str]]:
    """Prepare parties, buyer and procuring entity; return each party id's roles so far."""
    rules.references_prepare(release, "parties", "", {})
    roles: dict[str, set[str]] = {}
    if rules.party_roles:
        for party in array(release, "parties"):
            party_id = text(party, "id")
            if party_id is not None:
                roles[party_id] = {r for r in array(party, "roles") if isinstance(r, str)}
    rules.reference_prepare(release.get("buyer"), rules.buyer_prefix, "buyer", roles)
    tender = obj(release, "tender")
    rules.reference_prepare(
        tender.get("procuringEntity"), rules.buyer_prefix, "procuringEntity", roles
    )
    return roles


def bids_prepare(
    release: JsonObject, rules: IdRules, roles: dict[str, set[str]], report: Report
) -> None:
    """Redact amounts, fill in currency, scheme and status, re-map status, prepare tenderers."""
    bids_report = report_under(report, "/bids/details[]")
    for j, bid in enumerate(array(obj(release, "bids"), "details")):
        if not isinstance(bid, dict):
            continue
        if isinstance(bid.get("value"), dict):
            _amount_prepare(bid["value"], rules, f"{j}", report)
        for k, item in enumerate(array(bid, "items")):
            rules.scheme_fill(
                item,
                f"{j}.{k}",
                report_under(report, "/bids/details[]/items[]"),
                stringify_id=False,
            )
        status_prepare(bid, rules.bid_status, rules.bid_codes, BID_STATUS, f"{j}", bids_report)
        rules.references_prepare(bid, "tenderers", "tenderer", roles)


def status_prepare(
    holder: JsonObject,
    default: str | None,
    codes: dict[str, str],
    valid: frozenset[str],
    where: str,
    report: Report,
) -> None:
    """Fill in a missing status (or report "not set"), re-map it, report it when invalid."""
    if "status" not in holder:
        if default is not None:
            holder["status"] = default
        else:
            report("/status", where, "", "not set")
    status = holder.get("status")
    if isinstance(status, str):
        holder["status"] = status = codes.get(status, status)
        if status not in valid:
            report("/status", where, status, "invalid")


def _amount_prepare(value: JsonObject, rules: IdRules, where: str, report: Report) -> None:
    """Remove a redacted amount, report a zero amount, fill in a missing currency."""
    amount = value.get("amount")
    if isinstance(amount, int | float) and not isinstance(amount, bool):
        if _as_float(amount) in rules.redacted_amounts:
            del value["amount"]
        elif amount == 0:
            report("/bids/details[]/value/amount", where, "", "is zero")
    if "currency" not in value:
        if rules.currency is not None:
            value["currency"] = rules.currency
        else:
            report("/bids/details[]/value/currency", where, "", "not set")


def _as_float(amount: float) -> float | None:
    """Return amount as a float, None when it is too large for one."""
    try:
        return float(amount)
    except OverflowError:
        return None


def report_under(report: Report, prefix: str) -> Report:
    """Return a report that prefixes paths with prefix (an array path such as "/awards[]")."""
    return lambda path, where, value, description: report(prefix + path, where, value, description)
