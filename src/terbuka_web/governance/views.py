"""Views of the governance pages at /konsorsium/: the public register, proposals with signed
votes and citizen comments, disputes, minutes; the secretariat's proposal and minutes forms.

Voting in the browser happens in static/governance/vote.js (WebCrypto Ed25519, the key kept
on the member's device); it posts to the API, as `terbuka governance sign` output pasted in
the vote form does through proposal_vote.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from terbuka.errors import TerbukaError
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.common.views import form_errors, service_error_attach
from terbuka_web.governance import selectors, services
from terbuka_web.governance.forms import (
    CommentForm,
    DisputeForm,
    MinutesForm,
    ProposalForm,
    VoteForm,
)
from terbuka_web.governance.models import Decision, Minutes, Proposal, StakeholderClass
from terbuka_web.scope import selectors as scope_selectors


def _proposal_or_404(uid: str) -> Proposal:
    proposal = selectors.proposal_get(uid[:40])
    if proposal is None:
        raise Http404(uid)
    return proposal


def _manager_require(request: HttpRequest) -> None:
    if not user_can(request.user, Action.GOVERNANCE_MANAGE):  # type: ignore[arg-type]
        raise HttpForbidden


@require_safe
def consortium(request: HttpRequest) -> HttpResponse:
    """Show members by class, the interests register, open proposals, decisions, disputes."""
    members = list(selectors.members_list())
    classes = [
        (label, [m for m in members if m.stakeholder_class == code])
        for code, label in StakeholderClass.choices
    ]
    context = {
        "classes": classes,
        "interests": selectors.interests_register(),
        "open": selectors.proposals_open(),
        "decisions": selectors.decisions_list(),
        "disputes": selectors.disputes_public(),
        "scope_now": scope_selectors.scope_in_force(),
        "scope_next": scope_selectors.scope_next(),
        "can_manage": user_can(request.user, Action.GOVERNANCE_MANAGE),  # type: ignore[arg-type]
    }
    return render(request, "governance/consortium.html", context)


def _proposal_page(
    request: HttpRequest, proposal: Proposal, *, vote: VoteForm, comment: CommentForm, status: int
) -> HttpResponse:
    context: dict[str, Any] = {
        "proposal": proposal,
        "decision": Decision.objects.filter(proposal=proposal).first(),
        "electorate": proposal.canonical["electorate"],
        "vote_form": vote,
        "comment_form": comment,
        "is_open": proposal in selectors.proposals_open(),
        **form_errors(vote if vote.is_bound else comment),
    }
    return render(request, "governance/proposal.html", context, status=status)


@require_safe
def proposal_detail(request: HttpRequest, uid: str) -> HttpResponse:
    """Show a proposal: its hash, recusals, signed votes, comments, decision and minutes."""
    proposal = _proposal_or_404(uid)
    return _proposal_page(request, proposal, vote=VoteForm(), comment=CommentForm(), status=200)


@require_POST
def proposal_vote(request: HttpRequest, uid: str) -> HttpResponse:
    """Count a signed vote pasted in the form (made offline with `terbuka governance sign`)."""
    return _proposal_post(request, uid, VoteForm(request.POST))


@require_POST
def proposal_comment(request: HttpRequest, uid: str) -> HttpResponse:
    """Publish a citizen's comment on an open proposal (no account, no personal data)."""
    return _proposal_post(request, uid, CommentForm(request.POST))


def _proposal_post(request: HttpRequest, uid: str, form: VoteForm | CommentForm) -> HttpResponse:
    """Pass a vote or comment form to its service; redirect to the proposal, or show why not."""
    proposal = _proposal_or_404(uid)
    if form.is_valid():
        try:
            if isinstance(form, VoteForm):
                services.vote_cast(proposal=proposal, signed=form.cleaned_data["vote"])
                messages.success(request, _("Suara diterima dan dicatat di log."))
            else:
                services.comment_post(proposal=proposal, text=form.cleaned_data["text"])
                messages.success(request, _("Komentar diterbitkan."))
        except TerbukaError as exc:
            service_error_attach(form, exc)
        else:
            return redirect("governance:proposal", uid=proposal.uid)
    vote = form if isinstance(form, VoteForm) else VoteForm()
    comment = form if isinstance(form, CommentForm) else CommentForm()
    return _proposal_page(request, proposal, vote=vote, comment=comment, status=400)


@require_safe
def key_page(request: HttpRequest) -> HttpResponse:
    """Let a member make a decision-signing key on this device (vote.js) and see its public key."""
    return render(request, "governance/key.html")


@require_safe
def minutes_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve minutes: text as text/plain, a PDF as a sandboxed download."""
    minutes = get_object_or_404(Minutes, pk=pk)
    if not minutes.file:
        return HttpResponse(minutes.text, content_type="text/plain; charset=utf-8")
    response = FileResponse(
        minutes.file.open("rb"), as_attachment=True, filename=minutes.filename,
        content_type="application/pdf",
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def dispute_new(request: HttpRequest) -> HttpResponse:
    """Open a dispute without an account; show its tracking code."""
    form = DisputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dispute = services.dispute_open(**form.cleaned_data)
        except TerbukaError as exc:
            service_error_attach(form, exc)
        else:
            return render(request, "governance/dispute.html", {"dispute": dispute, "new": True})
    status = 400 if form.is_bound else 200
    return render(
        request, "governance/dispute_form.html", {"form": form, **form_errors(form)}, status=status
    )


@require_safe
def dispute_track(request: HttpRequest) -> HttpResponse:
    """Show a dispute's status to whoever holds its tracking code (?kode=)."""
    code = request.GET.get("kode", "")
    dispute = selectors.dispute_by_code(code) if code else None
    if code and dispute is None:
        raise Http404(code[:20])
    return render(request, "governance/dispute.html", {"dispute": dispute, "new": False})


@login_required
def proposal_new(request: HttpRequest) -> HttpResponse:
    """Let the secretariat put a proposal to the members' vote."""
    _manager_require(request)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_create(
                actor=request.user,  # type: ignore[arg-type]
                type=data["type"], title=data["title"], body=data["body"],
                payload=data["payload"], deadline=data["deadline"], touches=form.touches(),
                effective_from=data.get("effective_from"),
            )  # fmt: skip
        except TerbukaError as exc:
            service_error_attach(form, exc)
        else:
            messages.success(request, _("Usulan dibuat dan dicatat di log."))
            return redirect("governance:proposal", uid=proposal.uid)
    status = 400 if form.is_bound else 200
    return render(
        request, "governance/proposal_form.html", {"form": form, **form_errors(form)}, status=status
    )


@login_required
def minutes_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Let the secretariat add a decision's minutes (text or a checked PDF)."""
    _manager_require(request)
    decision = get_object_or_404(Decision.objects.select_related("proposal"), pk=pk)
    form = MinutesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.minutes_add(
                actor=request.user,  # type: ignore[arg-type]
                decision=decision,
                text=form.cleaned_data["text"],
                stream=upload,
                filename=upload.name if upload else "",
            )
        except TerbukaError as exc:
            service_error_attach(form, exc)
        else:
            messages.success(request, _("Notula diterbitkan dan dicatat di log."))
            return redirect("governance:proposal", uid=decision.proposal.uid)
    context = {"form": form, "decision": decision, **form_errors(form)}
    return render(
        request, "governance/minutes_form.html", context, status=400 if form.is_bound else 200
    )
