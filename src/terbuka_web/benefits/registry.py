"""Import the beneficiary registry: read a CSV/XLSX file, check every row, store it protected.

All or nothing: any row problem refuses the whole file (RegistryImportError lists each one by
row and field) and nothing is written. Stored rows hold only keyed hashes of NIK and KK and
sealed name and address (terbuka.registry.identity); duplicate NIK hashes are flagged on every
registrant that shares one.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from terbuka.registry.errors import RegistryImportError, RowProblem
from terbuka.registry.identity import kk_hash, nik_hash, seal
from terbuka.registry.rows import RegistryRow, rows_check
from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import audit_record, permission_require
from terbuka_web.benefits.keys import hmac_key, seal_key
from terbuka_web.benefits.models import Registrant, RegistryImport
from terbuka_web.benefits.totals import totals_refresh_all
from terbuka_web.regions.models import Region

BATCH = 1000


def _cell(value: Any) -> str:
    """Return a spreadsheet cell as text: 3522011203850001.0 → "3522011203850001"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def registry_file_rows(filename: str, data: bytes) -> tuple[list[str], list[list[str]]]:
    """Return (header, rows) of a CSV (UTF-8, BOM allowed) or XLSX (first sheet) file.

    Raises RegistryImportError (row 1) for a file that is neither.
    """
    if filename.lower().endswith(".xlsx"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise RegistryImportError(
                [RowProblem(1, "berkas", "XLSX tidak dapat dibaca", "the XLSX cannot be read")]
            ) from exc
        sheet = book.worksheets[0]
        table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RegistryImportError(
                [RowProblem(1, "berkas", "CSV harus UTF-8", "the CSV must be UTF-8")]
            ) from exc
        table = list(csv.reader(io.StringIO(text)))
    if not table:
        raise RegistryImportError([RowProblem(1, "berkas", "berkas kosong", "the file is empty")])
    return table[0], table[1:]


def _region_check(actor: User | None, rows: list[RegistryRow]) -> None:
    """Raise RegistryImportError for rows outside an agency-bound actor's government region."""
    if actor is None or actor.agency is None:
        return
    prefix = actor.agency.government.code + "."
    problems = [
        RowProblem(
            r.row, "kode_desa",
            f"desa di luar wilayah {actor.agency.government.name}",
            f"the village is outside {actor.agency.government.name}",
        )
        for r in rows if not r.kode_desa.startswith(prefix)
    ]  # fmt: skip
    if problems:
        raise RegistryImportError(problems[:200], total=len(problems))


def _registrant(source: RegistryImport, row: RegistryRow, hkey: bytes, skey: bytes) -> Registrant:
    return Registrant(
        source=source, row=row.row, nik_hash=nik_hash(hkey, row.nik),
        kk_hash=kk_hash(hkey, row.no_kk),
        name_sealed=seal(skey, row.nama, field="nama"),
        address_sealed=seal(skey, row.alamat, field="alamat"),
        village_code=row.kode_desa, household=row.anggota_keluarga, desil=row.desil,
        disabilitas=row.disabilitas, lansia=row.lansia, meninggal=row.meninggal,
    )  # fmt: skip


def duplicates_flag(hashes: set[str]) -> int:
    """Flag as duplicate every registrant whose NIK hash, among hashes, is held more than once."""
    shared = (
        Registrant.objects.filter(nik_hash__in=hashes)
        .values("nik_hash")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("nik_hash", flat=True)
    )
    return Registrant.objects.filter(nik_hash__in=list(shared)).update(duplicate=True)


@transaction.atomic
def registry_import(
    *, actor: User | None, filename: str, data: bytes, today: dt.date | None = None
) -> RegistryImport:
    """Check and store a registry file whole; return its RegistryImport.

    Raises RegistryImportError (every row problem; nothing written) or PermissionDenied.
    actor None is the system (`terbuka benefits import`); an agency-bound actor imports only
    villages of its agency's government region.
    """
    if actor is not None:
        permission_require(user=actor, action=Action.REGISTRY_IMPORT, agency=actor.agency)
    header, table = registry_file_rows(filename, data)
    villages = set(Region.objects.filter(level=Region.Level.VILLAGE).values_list("code", flat=True))
    rows = rows_check(
        header, table, known_village=villages.__contains__, today=today or timezone.localdate()
    )
    _region_check(actor, rows)
    source = RegistryImport.objects.create(
        filename=filename[:200], sha256=hashlib.sha256(data).hexdigest(), rows=len(rows),
        imported_by=actor,
    )  # fmt: skip
    hkey, skey = hmac_key(), seal_key()
    registrants = [_registrant(source, row, hkey, skey) for row in rows]
    Registrant.objects.bulk_create(registrants, batch_size=BATCH)
    duplicates = duplicates_flag({r.nik_hash for r in registrants})
    counts = Counter(r.meninggal for r in registrants)
    audit_record(
        actor=actor, action="benefits:registry:import", target=str(source.pk),
        data={"rows": len(rows), "deceased": counts[True], "duplicates_flagged": duplicates},
    )  # fmt: skip
    totals_refresh_all()
    return source
