"""Create and delete contracting processes.

Part of contracting.services (see its docstring).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import transaction

from terbuka.errors import ValidationError
from terbuka_web.accounts.models import Agency, User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import audit_record, permission_require
from terbuka_web.contracting.models import Category, Process


@transaction.atomic
def process_create(
    *,
    user: User,
    agency: Agency,
    title: str,
    description: str = "",
    fiscal_year: int,
    procurement_category: str = "",
) -> Process:
    """Create a draft process of agency and give it an ocid "<prefix>-<agency>-<year>-<id>".

    procurement_category is a contracting.models.Category value (or "" while unknown).
    Raises PermissionDenied unless user may create processes for agency, ValidationError
    for an unknown category.
    """
    permission_require(user=user, action=Action.PROCESS_CREATE, agency=agency)
    if procurement_category and procurement_category not in Category.values:
        raise ValidationError(
            f"kategori pengadaan {procurement_category!r} tidak dikenal",
            f"unknown procurement category {procurement_category!r}",
            where="procurement_category",
        )
    process = Process.objects.create(
        ocid=f"pending-{uuid.uuid4().hex}",
        agency=agency,
        buyer_name=agency.name,
        title=title,
        description=description,
        fiscal_year=fiscal_year,
        procurement_category=procurement_category,
        created_by=user,
    )
    prefix = settings.TERBUKA["OCID_PREFIX"]
    process.ocid = f"{prefix}-{agency.code}-{fiscal_year}-{process.pk:06d}"
    process.save(update_fields=["ocid"])
    audit_record(
        actor=user,
        action="contracting:process:create",
        target=process.ocid,
        agency=agency,
        data={"title": title, "fiscal_year": fiscal_year},
    )
    return process


@transaction.atomic
def process_delete(*, user: User, process: Process) -> None:
    """Delete a process that has published nothing, with its drafts and draft documents (their
    files once the transaction commits); audited as contracting:process:delete.

    A process with any release (published or imported) is part of the public record and its
    log: it is never deleted. Raises PermissionDenied unless user may delete its agency's
    processes, ValidationError when something is published (nothing deleted).
    """
    permission_require(user=user, action=Action.PROCESS_DELETE, agency=process.agency)
    process = Process.objects.select_for_update().get(pk=process.pk)
    if process.imported or process.releases.exists():
        raise ValidationError(
            "paket ini sudah menerbitkan rilis dan tidak dapat dihapus; terbitkan koreksi",
            "this process has published releases and cannot be deleted; publish a correction",
            where="process",
        )
    files = [(d.file.storage, d.file.name) for d in process.documents.all()]
    audit_record(
        actor=user,
        action="contracting:process:delete",
        target=process.ocid,
        agency=process.agency,
        data={"title": process.title, "drafts": process.drafts.count(), "documents": len(files)},
    )
    process.documents.all().delete()
    process.delete()
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
