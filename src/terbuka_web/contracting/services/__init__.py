"""Services of the contracting app: create processes, save drafts, upload PDFs, publish stages.

Every write checks role and agency (accounts.services.permission_require), runs in one
transaction and records an audit event; publishing also appends the release and the hashes
of newly published documents to the transparency log in that same transaction.

By concern: processes (create, delete), drafts (check and save a stage's data), documents
(PDF uploads), publishing (releases and their log entries); checks holds what they share.
Callers import the services from here.
"""

from __future__ import annotations

from terbuka_web.contracting.services.checks import (
    UnconfirmedWarnings,
    stage_data_check,
    stage_warnings,
    text_check,
)
from terbuka_web.contracting.services.documents import (
    document_delete,
    document_upload,
    documents_protect,
)
from terbuka_web.contracting.services.drafts import stage_draft_save
from terbuka_web.contracting.services.processes import process_create, process_delete
from terbuka_web.contracting.services.publishing import stage_publish
from terbuka_web.contracting.uploads import UploadRefused

__all__ = [
    "UnconfirmedWarnings",
    "UploadRefused",
    "document_delete",
    "document_upload",
    "documents_protect",
    "process_create",
    "process_delete",
    "stage_data_check",
    "stage_draft_save",
    "stage_publish",
    "stage_warnings",
    "text_check",
]
