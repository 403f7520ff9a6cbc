"""Views of the federation app: harvested processes (public) and remotes with alerts (admin)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.federation import selectors
from terbuka_web.portal.selectors import clean_text


@require_safe
def harvested(request: HttpRequest) -> HttpResponse:
    """List harvested processes, each with the instance it comes from ("dari <origin>")."""
    q = " ".join(clean_text(request.GET.get("q", "")[:200]).split())
    rows = selectors.harvested_processes(q=q, limit=100)
    return render(request, "federation/harvested.html", {"rows": rows, "q": q})


@require_safe
def remotes(request: HttpRequest) -> HttpResponse:
    """List the harvested instances, their last checkpoint and the alerts (admins only)."""
    if not user_can(request.user, Action.FEDERATION_MANAGE):  # type: ignore[arg-type]
        raise PermissionDenied
    context = {"remotes": selectors.remotes(), "alerts": selectors.alerts_latest()}
    return render(request, "federation/remotes.html", context)
