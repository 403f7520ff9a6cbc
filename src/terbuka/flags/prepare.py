"""Prepare compiled releases for the indicators, as Cardinal's `prepare` command does.

Each release is corrected in place, in this order (Cardinal's `prepare` documentation):

1. Normalize ID fields: integer ids of parties, buyer, procuring entity, tenderers,
   suppliers, awards, `contracts[].awardID` and award item classifications become strings;
   a single supplier/tenderer object becomes a one-element array.
2. Redact placeholders: `[redactions] organization_id` (pipe-separated) removes those
   organization ids; `amount` removes those bid amounts.
3. Modify: prefix buyer/procuring entity ids and tenderer/supplier ids (`[modifications]
   prefix_…`), cut `tender.procurementMethodDetails` at a separator
   (`split_procurement_method_details`), move `auctions[].stages[].bids` to `bids.details`
   (`move_auctions`).
4. Fill in defaults (`[defaults]`: bid `value.currency`, item classification `scheme`, bid
   and award `status`; `party_roles = true` adds the roles implied by references).
5. Re-map codes (`[codelists.bid_status]`, `[codelists.award_status]`: old = new).
6. Correct award status: with `[corrections] award_status_by_contract_status = true`, an
   award whose contracts are all cancelled becomes cancelled.

Problems the settings could fix are reported as issue rows (line, ocid, path, array
indexes, value, "not set" / "invalid" / "is zero"), like Cardinal's CSV on standard error.
Example row: (1, "ocds-213czf-1", "/bids/details[]/status", "0", "", "not set").
"""

from __future__ import annotations

from typing import Any

from terbuka.flags.prepare_ids import (
    IdRules,
    Report,
    bids_prepare,
    organizations_prepare,
    report_under,
    status_prepare,
    stringify,
)
from terbuka.flags.release import JsonObject, array, obj, text
from terbuka.flags.settings import Settings

AWARD_STATUS = frozenset({"pending", "active", "cancelled", "unsuccessful"})
Issue = tuple[int, Any, str, str, str, str]


class Preparer:
    """Apply the settings' corrections to releases, one at a time."""

    def __init__(self, settings: Settings) -> None:
        self.rules = IdRules.from_settings(settings)
        modifications = settings.section("modifications")
        self.split = modifications.text("split_procurement_method_details")
        self.move_auctions = modifications.boolean("move_auctions")
        self.by_contract = settings.section("corrections").boolean(
            "award_status_by_contract_status"
        )
        self.award_default = settings.section("defaults").text("award_status")
        codes = settings.section("codelists.award_status").entries
        self.award_codes = {old: entry.value for old, entry in codes.items()}

    def prepare(self, release: JsonObject, line: int) -> list[Issue]:
        """Correct release in place; return its issues, numbered with line."""
        issues: list[Issue] = []
        ocid = release.get("ocid")

        def report(path: str, where: str, value: str, description: str) -> None:
            issues.append((line, ocid, path, where, value, description))

        roles = organizations_prepare(release, self.rules)
        tender = obj(release, "tender")
        details = text(tender, "procurementMethodDetails")
        if self.split and details is not None:
            tender["procurementMethodDetails"] = details.split(self.split, 1)[0].rstrip()
        if self.move_auctions:
            _auctions_move(release)
        bids_prepare(release, self.rules, roles, report)
        self._awards_prepare(release, roles, report)
        self.rules.roles_write(release, roles)
        return issues

    def _awards_prepare(
        self, release: JsonObject, roles: dict[str, set[str]], report: Report
    ) -> None:
        """Normalize award ids, item classifications, statuses and suppliers."""
        cancelled = _contracts_all_cancelled(release) if self.by_contract else {}
        awards_report = report_under(report, "/awards[]")
        for j, award in enumerate(array(release, "awards")):
            if not isinstance(award, dict):
                continue
            stringify(award, "id")
            for k, item in enumerate(array(award, "items")):
                self.rules.scheme_fill(
                    item, f"{j}.{k}", report_under(awards_report, "/items[]"), stringify_id=True
                )
            status_prepare(
                award, self.award_default, self.award_codes, AWARD_STATUS, f"{j}", awards_report
            )
            award_id = text(award, "id")
            if award_id is not None and cancelled.get(award_id, False):
                award["status"] = "cancelled"
            self.rules.references_prepare(award, "suppliers", "supplier", roles)


def _auctions_move(release: JsonObject) -> None:
    """Move every `auctions[].stages[].bids[]` into `bids.details` when `bids` is free."""
    auctions = release.get("auctions")
    if "bids" in release or not isinstance(auctions, list):
        return
    details: list[Any] = []
    for auction in auctions:
        for stage in array(auction, "stages"):
            if isinstance(stage, dict) and isinstance(stage.get("bids"), list):
                details.extend(stage.pop("bids"))
    release["bids"] = {"details": details}


def _contracts_all_cancelled(release: JsonObject) -> dict[str, bool]:
    """Return, per awardID (made a string), whether every contract naming it is cancelled."""
    cancelled: dict[str, bool] = {}
    for contract in array(release, "contracts"):
        if not isinstance(contract, dict):
            continue
        stringify(contract, "awardID")
        award_id = text(contract, "awardID")
        if award_id is not None:
            is_cancelled = contract.get("status") == "cancelled"
            cancelled[award_id] = cancelled.get(award_id, True) and is_cancelled
    return cancelled
