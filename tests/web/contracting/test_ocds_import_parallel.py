"""The parallel import path (worker processes) gives byte-identical results to the serial one."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from terbuka.ocds.errors import OcdsValidationError
from terbuka_web.accounts.models import AuditEvent, Role, User
from terbuka_web.contracting.imports import package_import
from terbuka_web.contracting.models import Process, Release
from terbuka_web.transparency.models import LogEntry

from .test_ocds_import import BANDUNG, lifecycle, package

pytestmark = pytest.mark.django_db

PROCESS_FIELDS = [
    "ocid",
    "imported",
    "compiled_release",
    "title",
    "description",
    "fiscal_year",
    "method",
    "agency_id",
    "stage_reached",
    "stages_published",
    "value_idr",
    "buyer_name",
    "search_text",
    "first_published_at",
    "last_published_at",
]
RELEASE_FIELDS = ["ocid", "release_id", "date", "tags", "stage", "data", "sha256", "imported"]


class _Undo(Exception):
    """Roll a comparison run back, so the other path starts from the same database."""


def processes(count: int) -> list[dict[str, Any]]:
    """Return lifecycle() copied under count ocids (6 releases each)."""
    text = json.dumps(lifecycle())
    return [
        r
        for k in range(1, count + 1)
        for r in json.loads(text.replace("ocds-213czf-000-00001", f"ocds-213czf-000-{k:05d}"))
    ]


def snapshot() -> dict[str, Any]:
    """Return every row an import writes, without database ids and timestamps."""
    log = LogEntry.objects.order_by("id").values_list("kind", "ref", "data")
    return {
        "processes": list(Process.objects.order_by("ocid").values_list(*PROCESS_FIELDS)),
        "releases": list(
            Release.objects.order_by("ocid", "release_id").values_list(*RELEASE_FIELDS)
        ),
        "log": [(kind, ref, bytes(data)) for kind, ref, data in log],
        "audit": list(AuditEvent.objects.order_by("id").values_list("action", "target", "data")),
    }


def run(parallel: bool, packages: list[bytes], admin: User) -> tuple[dict[str, Any], list[Any]]:
    """Import packages in order (parallel or serial), snapshot, then undo every write."""
    config = {**_terbuka(), "IMPORT_WORKERS": 2 if parallel else 1, "IMPORT_PARALLEL_MIN": 0}
    results = []
    with override_settings(TERBUKA=config):
        try:
            with transaction.atomic():
                for data in packages:
                    results.append(package_import(data=data, actor=admin, source_name="p.json"))
                state = snapshot()
                raise _Undo
        except _Undo:
            pass
    return state, [(r.as_dict(), r.warnings) for r in results]


def _terbuka() -> dict[str, Any]:
    from django.conf import settings

    return dict(settings.TERBUKA)


@pytest.fixture
def admin() -> User:
    return User.objects.create_user(username="admin", password="x", role=Role.ADMIN)


def test_parallel_and_serial_imports_write_the_same_rows(admin: User) -> None:
    everything = processes(9)
    first = [r for r in everything[:30] if r["id"].endswith(("01-planning", "02-tender"))]
    packages = [package(first), package(everything), package(everything)]
    serial, serial_results = run(False, packages, admin)
    parallel, parallel_results = run(True, packages, admin)
    assert len(serial["releases"]) == len(everything) == 54
    assert len(serial["log"]) == 54 and len(serial["processes"]) == 9
    assert parallel == serial
    assert parallel_results == serial_results
    assert serial_results[2][0]["releases_skipped"] == 54
    assert (Process.objects.count(), Release.objects.count(), LogEntry.objects.count()) == (0, 0, 0)


def test_parallel_and_serial_imports_report_the_same_errors_in_order(admin: User) -> None:
    broken = processes(4)
    del broken[3]["date"]
    broken[20]["ocid"] = "bad-prefix"
    broken[21]["id"] = broken[19]["id"]
    bandung = json.loads(BANDUNG.read_bytes())
    for data in (package(broken), package(bandung["releases"])):
        found = []
        for parallel in (False, True):
            config = {**_terbuka(), "IMPORT_WORKERS": 2 if parallel else 1}
            parallel_config = {**config, "IMPORT_PARALLEL_MIN": 0}
            with (
                override_settings(TERBUKA=parallel_config),
                pytest.raises(OcdsValidationError) as info,
            ):
                package_import(data=data, actor=admin, source_name="p.json")
            found.append((info.value.message_id, info.value.message_en, info.value.issues))
        assert found[0] == found[1]
        assert len(found[0][2]) >= 3
    assert (Process.objects.count(), Release.objects.count(), LogEntry.objects.count()) == (0, 0, 0)
