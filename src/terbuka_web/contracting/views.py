"""Views of the contracting app under /kelola/: thin wrappers over forms, selectors and services."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from terbuka.errors import TerbukaError
from terbuka.ocds.codes import STAGES
from terbuka_web.accounts.models import Agency, User
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.common.bilingual import in_both
from terbuka_web.common.views import confirm_then, form_errors, page_of, service_error_attach
from terbuka_web.contracting import services
from terbuka_web.contracting.forms import (
    ROW_LEGENDS,
    DocumentForm,
    ProcessForm,
    draft_fields,
    field_label,
    stage_data_of,
    stage_forms_bind,
)
from terbuka_web.contracting.labels import LABELS
from terbuka_web.contracting.models import Document, Process
from terbuka_web.contracting.selectors import (
    ProcessListFilters,
    process_draft_visible,
    process_list_filtered,
    process_stage_status,
    process_stage_statuses,
    process_years_visible,
)
from terbuka_web.contracting.uploads import upload_too_large
from terbuka_web.flags.selectors import monitoring_of


def _process(request: HttpRequest, pk: int, stage: str | None = None) -> Process:
    """Return the process pk when user may see its drafts, else raise 403 (or 404)."""
    if stage is not None and stage not in STAGES:
        raise Http404(stage)
    process = get_object_or_404(Process.objects.select_related("agency"), pk=pk)
    if not process_draft_visible(user=request.user, process=process):  # type: ignore[arg-type]
        raise HttpForbidden
    return process


def _require(request: HttpRequest, action: Action, process: Process) -> None:
    """Raise 403 unless the user may take action on process's agency."""
    if not user_can(request.user, action, process.agency):  # type: ignore[arg-type]
        raise HttpForbidden


STATUS_LABELS = {
    "unpublished": gettext_lazy("Belum terbit sama sekali"),
    "published": gettext_lazy("Sudah terbit"),
    "new_documents": gettext_lazy("Ada dokumen baru belum terbit"),
}


def _filters(request: HttpRequest) -> ProcessListFilters:
    """Return the dashboard filters from the query string; a year that is not a number is
    ignored."""
    get = request.GET
    year = get.get("year", "").strip()
    return ProcessListFilters(
        q=get.get("q", "").strip(),
        stage=get.get("stage", ""),
        status=get.get("status", ""),
        agency=get.get("agency", ""),
        year=int(year) if year.isdigit() else None,
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """List the processes the user may see, 50 a page, searchable and filtered by stage reached,
    status, agency and year, each with its five stages' status."""
    user: User = request.user  # type: ignore[assignment]
    filters = _filters(request)
    page, query = page_of(request, process_list_filtered(user=user, filters=filters))
    processes = list(page.object_list)
    statuses = process_stage_statuses(processes=processes)
    global_view = user.agency_id is None
    context = {
        "page": page,
        "query": query,
        "rows": [(p, statuses[p.pk]) for p in processes],
        "filters": filters,
        "stages": LABELS["stage"],
        "status_choices": STATUS_LABELS,
        "years": process_years_visible(user=user),
        "agencies": Agency.objects.order_by("name").values_list("code", "name")
        if global_view
        else [],
        "can_create": user_can(user, Action.PROCESS_CREATE, user.agency),
        "can_manage_users": user_can(user, Action.USER_MANAGE),
        # the agency's own late work (issue 15 part 3), one aggregate query
        "late": monitoring_of(user.agency_id, timezone.localdate()) if user.agency_id else None,
    }
    return render(request, "contracting/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def process_create(request: HttpRequest) -> HttpResponse:
    """Show and handle the form that creates a process for the user's own agency."""
    agency = getattr(request.user, "agency", None)
    if not user_can(request.user, Action.PROCESS_CREATE, agency):  # type: ignore[arg-type]
        raise HttpForbidden
    form = ProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        process = services.process_create(user=request.user, agency=agency, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Paket pekerjaan dibuat: %(ocid)s") % {"ocid": process.ocid})
        return redirect("contracting:process", pk=process.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, **form_errors(form)}
    return render(request, "contracting/process_form.html", context, status=status)


@login_required
def process_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a process: each stage's draft, documents, releases and the allowed actions."""
    process = _process(request, pk)
    user = request.user
    native = not process.imported  # an imported process is published by its own publisher
    context = {
        "process": process,
        "stages": [
            replace(s, fields=draft_fields(s.stage, s.draft))
            for s in process_stage_status(process=process)
        ],
        "documents": process.documents.order_by("stage", "id"),
        "releases": process.releases.order_by("id"),
        "can_edit": native and user_can(user, Action.STAGE_EDIT, process.agency),  # type: ignore[arg-type]
        "can_upload": native and user_can(user, Action.DOCUMENT_UPLOAD, process.agency),  # type: ignore[arg-type]
        "can_publish": native and user_can(user, Action.STAGE_PUBLISH, process.agency),  # type: ignore[arg-type]
        "can_delete": native
        and not process.first_published_at
        and user_can(user, Action.PROCESS_DELETE, process.agency),  # type: ignore[arg-type]
    }
    return render(request, "contracting/process_detail.html", context)


def _stage_error_attach(form: Any, formsets: dict[str, Any], exc: TerbukaError) -> None:
    """Attach a service error to the stage form field, or formset row field, it names
    ("/amount", "/milestones/0/date"); else to the whole form."""
    parts = exc.where.strip("/").split("/")
    if len(parts) == 3 and parts[0] in formsets and parts[1].isdigit():
        rows = formsets[parts[0]].forms
        if int(parts[1]) < len(rows) and parts[2] in rows[int(parts[1])].fields:
            rows[int(parts[1])].add_error(parts[2], f"{exc.message_id} / {exc.message_en}")
            return
    service_error_attach(form, exc)


def _publish_error(stage: str, exc: TerbukaError) -> str:
    """Return a publication refusal as people read it, naming the field and stage it concerns:
    "Tanggal tanda tangan (tahap Kontrak): tanggal … / Signing date (Contract stage): …"."""
    if not exc.where or field_label(stage, exc.where) is None:
        return f"{exc.message_id} / {exc.message_en}"
    where_id, where_en = in_both(
        lambda: (
            _("%(field)s (tahap %(stage)s)")
            % {"field": field_label(stage, exc.where), "stage": LABELS["stage"][stage]}
        )
    )
    return f"{where_id}: {exc.message_id} / {where_en}: {exc.message_en}"


@login_required
@require_http_methods(["GET", "POST"])
def stage_edit(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """Show and handle one stage's form; a valid post saves the draft."""
    process = _process(request, pk, stage)
    _require(request, Action.STAGE_EDIT, process)
    draft = process.drafts.filter(stage=stage).first()
    post = request.POST if request.method == "POST" else None
    form, formsets = stage_forms_bind(stage, post, draft.data if draft else {})
    warnings: list[Any] = []
    if post is not None and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        try:
            services.stage_draft_save(
                user=request.user,  # type: ignore[arg-type]
                process=process,
                stage=stage,
                data=stage_data_of(form, formsets),
                confirmed=post.getlist("confirm"),
            )
        except PermissionDenied as exc:
            raise HttpForbidden from exc
        except services.UnconfirmedWarnings as exc:
            warnings = [(w, field_label(stage, w.field) or w.field) for w in exc.warnings]
        except TerbukaError as exc:
            _stage_error_attach(form, formsets, exc)
        else:
            messages.success(request, _("Draf tersimpan."))
            return redirect("contracting:process", pk=process.pk)
    context = {
        "process": process,
        "stage": stage,
        "stage_label": LABELS["stage"][stage],
        "form": form,
        "formsets": [(key, ROW_LEGENDS[key], fs) for key, fs in formsets.items()],
        "warnings": warnings,
        **form_errors(form, formsets),
    }
    status = 400 if post is not None else 200
    return render(request, "contracting/stage_form.html", context, status=status)


class UploadLimitHandler(FileUploadHandler):
    """Skip and flag a file beyond MAX_UPLOAD_BYTES; the rest is read and dropped, not stored."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_BYTES:
            self.request.upload_too_large = True  # type: ignore[union-attr]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@csrf_exempt
def document_upload(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """Install the size-limit upload handler before CSRF reads the body, then upload."""
    request.upload_handlers.insert(0, UploadLimitHandler(request))
    return _document_upload(request, pk, stage)


@csrf_protect
@login_required
@require_http_methods(["GET", "POST"])
def _document_upload(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """Show and handle the PDF upload form of one stage."""
    process = _process(request, pk, stage)
    _require(request, Action.DOCUMENT_UPLOAD, process)
    form = DocumentForm(request.POST or None, request.FILES or None, stage=stage)
    if request.method == "POST":
        if getattr(request, "upload_too_large", False):
            form.is_valid()
            refusal = upload_too_large(None)
            form.errors["file"] = form.error_class([f"{refusal.message_id} / {refusal.message_en}"])
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services.document_upload(
                    user=request.user,  # type: ignore[arg-type]
                    process=process,
                    stage=stage,
                    document_type=form.cleaned_data["document_type"],
                    title=form.cleaned_data["title"],
                    stream=upload,
                    filename=upload.name,
                )
            except PermissionDenied as exc:
                raise HttpForbidden from exc
            except TerbukaError as exc:
                service_error_attach(form, exc)
            else:
                messages.success(request, _("Dokumen diunggah."))
                return redirect("contracting:process", pk=process.pk)
    context = {"process": process, "stage": stage, "stage_label": LABELS["stage"][stage]}
    context |= {"form": form, "max_upload": settings.MAX_UPLOAD_BYTES, **form_errors(form)}
    status = 400 if request.method == "POST" else 200
    return render(request, "contracting/document_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    """Ask first (GET), then delete a draft document of the process (POST), then show it."""
    process = _process(request, pk)
    _require(request, Action.DOCUMENT_UPLOAD, process)
    document = get_object_or_404(Document, pk=doc, process=process)

    def delete() -> HttpResponse:
        services.document_delete(user=request.user, document=document)  # type: ignore[arg-type]
        messages.success(request, _("Dokumen draf dihapus."))
        return redirect("contracting:process", pk=process.pk)

    return confirm_then(
        request,
        act=delete,
        title=_("Hapus dokumen draf %(title)s?") % {"title": document.title},
        message=_(
            "Berkas %(filename)s (SHA-256 %(sha)s) dihapus dari paket %(process)s dan tidak "
            "ikut diterbitkan. Penghapusan dicatat di jejak audit."
        )
        % {"filename": document.filename, "sha": document.sha256[:12], "process": process.title},
        confirm_label=_("Ya, hapus dokumen"),
        cancel_url=reverse("contracting:process", args=[process.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first (GET), then delete a process that has published nothing (POST)."""
    process = _process(request, pk)
    _require(request, Action.PROCESS_DELETE, process)

    def delete() -> HttpResponse:
        services.process_delete(user=request.user, process=process)  # type: ignore[arg-type]
        messages.success(request, _("Paket %(ocid)s dihapus.") % {"ocid": process.ocid})
        return redirect("contracting:dashboard")

    return confirm_then(
        request,
        act=delete,
        title=_("Hapus paket %(title)s?") % {"title": process.title},
        message=_(
            "Paket %(ocid)s belum pernah terbit. Semua draf tahap dan PDF draf-nya dihapus dan "
            "tidak dapat dikembalikan; penghapusan dicatat di jejak audit."
        )
        % {"ocid": process.ocid},
        confirm_label=_("Ya, hapus paket"),
        cancel_url=reverse("contracting:process", args=[process.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage_publish(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """Ask for confirmation (GET), then publish the stage (POST)."""
    process = _process(request, pk, stage)
    _require(request, Action.STAGE_PUBLISH, process)
    statuses = {s.stage: s for s in process_stage_status(process=process)}
    error = ""
    if request.method == "POST":
        try:
            release = services.stage_publish(user=request.user, process=process, stage=stage)  # type: ignore[arg-type]
        except PermissionDenied as exc:
            raise HttpForbidden from exc
        except TerbukaError as exc:
            error = _publish_error(stage, exc)
        else:
            messages.success(
                request,
                _("Tahap diterbitkan sebagai rilis %(id)s (SHA-256 %(sha)s).")
                % {"id": release.release_id, "sha": release.sha256},
            )
            return redirect("contracting:process", pk=process.pk)
    context = {
        "process": process,
        "stage": stage,
        "stage_label": LABELS["stage"][stage],
        "status": statuses[stage],
        "error": error,
    }
    return render(
        request, "contracting/publish_confirm.html", context, status=400 if error else 200
    )


@require_GET
def document_file(request: HttpRequest, name: str) -> FileResponse:
    """Serve the uploaded PDF stored as name: to anyone once published, else only to officials
    who may see the process's drafts (404 to others, as for a file that does not exist).

    Sent as a download (Content-Disposition: attachment, the uploaded file name), as
    application/pdf with nosniff and a sandboxing CSP, so no browser runs it as a page.
    Published files never change (content-addressed), so they may be cached by anyone;
    drafts are never stored by a cache.
    """
    sha256 = name.rsplit("/", 1)[-1][:64]
    document = (
        Document.objects.select_related("process__agency").filter(sha256=sha256, file=name).first()
    )
    if document is None:
        raise Http404(name)
    published = document.release_id is not None
    if not published and not process_draft_visible(user=request.user, process=document.process):  # type: ignore[arg-type]
        raise Http404(name)
    try:
        handle = document.file.storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404(name) from exc
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if published else "private, no-store"
    )
    return response
