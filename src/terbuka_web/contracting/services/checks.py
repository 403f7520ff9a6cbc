"""Check what the contracting services share: stage names, imported processes, stage
data (bounds, schema, plausibility); lock a process row.

Part of contracting.services (see its docstring).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone

from terbuka.bounds import json_faults, pointer
from terbuka.errors import ValidationError
from terbuka.ocds.build import release_build, release_validate
from terbuka.ocds.codes import STAGES
from terbuka.ocds.plausibility import Concern, stage_concerns
from terbuka_web.contracting.models import Process, StageDraft


def _stage_check(stage: str) -> None:
    """Raise ValidationError unless stage is one of the five stages."""
    if stage not in STAGES:
        raise ValidationError(f"tahap {stage!r} tidak dikenal", f"unknown stage {stage!r}")


def _native_require(process: Process) -> None:
    """Raise ValidationError when process was imported: its own publisher publishes it.

    Imports never change a process published through Terbuka (contracting.imports), and
    Terbuka never publishes into an imported one: the two never share an ocid or a release id.
    """
    if process.imported:
        raise ValidationError(
            "proses ini diimpor dari penerbit lain; perubahannya diterbitkan penerbit itu, "
            "bukan lewat Terbuka",
            "this process was imported from another publisher, which publishes its changes; "
            "Terbuka does not",
            where="process",
        )


def _prefix_of(process: Process) -> list[str]:
    """Return the ocid prefix process's releases carry: the instance's when it was created.

    An ocid is permanent (OCDS 1.1.5 §Open Contracting ID): a process created before
    TERBUKA_OCID_PREFIX changed keeps its ocid and is still published under it; new
    processes take the new prefix. Example: "ocds-demo00-dpu-2026-000001" → ["ocds-demo00"].
    """
    return ["-".join(process.ocid.split("-", 2)[:2])]


def _process_info(process: Process) -> dict[str, Any]:
    """Return the process facts the release builder needs (title and buyer)."""
    agency = process.agency
    buyer = {"id": agency.code, "name": agency.name} if agency else {"id": "", "name": ""}
    return {
        "title": process.title,
        "description": process.description,
        "buyer": buyer,
        "category": process.procurement_category,
    }


class UnconfirmedWarnings(ValidationError):
    """Report implausible values of a stage that the operator has not confirmed yet."""

    code = "unconfirmed_warnings"

    def __init__(self, warnings: list[Concern]) -> None:
        keys = ", ".join(w.key for w in warnings)
        super().__init__(
            f"nilai tidak lazim perlu dikonfirmasi: {keys}",
            f"implausible values need a confirmation: {keys}",
            where=f"/{warnings[0].field}",
        )
        self.warnings = warnings


def stage_warnings(*, process: Process, stage: str, data: dict[str, Any]) -> list[Concern]:
    """Return the implausible values of data for process's stage (terbuka.ocds.plausibility).

    Raises ValidationError (where = the field) for the first impossible value.
    """
    earlier = dict(
        StageDraft.objects.filter(
            process=process, stage__in=STAGES[: STAGES.index(stage)]
        ).values_list("stage", "data")
    )
    return _warnings_given(process, stage, data, earlier)


def _warnings_given(
    process: Process, stage: str, data: dict[str, Any], earlier: dict[str, Any]
) -> list[Concern]:
    """Return stage_warnings of data given earlier, the drafts of the stages before stage."""
    concerns = stage_concerns(stage, data, earlier, process.fiscal_year)
    for concern in concerns:
        if concern.severity == "error":
            where = f"/{concern.field}"
            raise ValidationError(concern.message_id, concern.message_en, where=where)
    return concerns


def stage_data_check(*, process: Process, stage: str, data: dict[str, Any]) -> None:
    """Raise ValidationError unless data builds a schema-valid release of stage."""
    text_check(data)
    release = release_build(
        ocid=process.ocid,
        stage=stage,
        data=data,
        previous_tags=[],
        process_info=_process_info(process),
        date=timezone.now().isoformat(),
        release_id=f"{process.ocid}-check",
    )
    release_validate(release, prefixes=_prefix_of(process))


def _process_lock(process: Process) -> None:
    """Lock process's row until the transaction ends, so its writes run one at a time.

    SQLite needs no query: its transactions begin IMMEDIATE (settings), holding the database's
    write lock from the start, and it has no SELECT … FOR UPDATE.
    """
    if connection.features.has_select_for_update:
        Process.objects.select_for_update().filter(pk=process.pk).values_list("pk").first()


def text_check(value: Any) -> None:
    """Raise ValidationError at the pointer of value's first NUL, lone surrogate, bad number."""
    for fault in json_faults(value):
        raise ValidationError(fault.message_id, fault.message_en, where=pointer(fault.path))
