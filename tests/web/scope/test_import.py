"""Imported processes: category from tender.mainProcurementCategory, events from the compiled
release, obligation rows written in the import's transaction, never retroactive."""

from __future__ import annotations

import copy
import json
from typing import Any

from tests.paths import OCDS_FIXTURES

from terbuka.ocds.package import package_format
from terbuka_web.accounts.models import Role, User
from terbuka_web.contracting.imports import package_import
from terbuka_web.contracting.models import Process
from terbuka_web.scope.models import ProcessScope, StageDue

from .conftest import POLICY, World, scope_decide

FICTIONAL = OCDS_FIXTURES / "sample-data" / "fictional-example" / "1.1"


def _releases(shift: bool) -> list[dict[str, Any]]:
    files = sorted(FICTIONAL.glob("ocds-213czf-000-00001-0*.json"))
    releases = [r for p in files for r in json.loads(p.read_text())["releases"]]
    if shift:  # the same lifecycle, its tender opening after the scope's effective date
        releases = copy.deepcopy(releases)
        for release in releases:
            release["ocid"] = release["ocid"].replace("00001", "00002")
            release["id"] = release["id"].replace("00001", "00002")
            period = (release.get("tender") or {}).get("tenderPeriod")
            if period and "endDate" in period:
                period["startDate"], period["endDate"] = (
                    "2027-01-04T09:00:00Z",
                    "2027-01-18T09:00:00Z",
                )
    return releases


def _import(releases: list[dict[str, Any]], admin: User) -> Process:
    package = {"uri": "https://example.org/p.json", "version": "1.1",
               "publishedDate": "2025-01-01T00:00:00Z", "publisher": {"name": "Contoh"},
               "releases": releases}  # fmt: skip
    package_import(data=package_format(package), actor=admin, source_name="p.json")
    return Process.objects.get(ocid=releases[0]["ocid"])


def test_imported_process_is_judged_by_its_compiled_release(world: World) -> None:
    admin = User.objects.create_user("admin9", role=Role.ADMIN)
    works = {**POLICY, "rules": [{"name": "Pekerjaan konstruksi", "categories": ["works"]}]}
    scope_decide(world, works)  # in force from now
    old = _import(_releases(shift=False), admin)
    assert old.procurement_category == "works"
    scope = ProcessScope.objects.get(process=old)
    assert not scope.obligatory and "not retroactive" in scope.reason_en
    new = _import(_releases(shift=True), admin)
    assert ProcessScope.objects.get(process=new).obligatory
    assert set(StageDue.objects.filter(process=new).values_list("stage", flat=True)) == {
        "tender",
        "award",
    }
