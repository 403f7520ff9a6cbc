"""Views of the accounts app: login, logout, one's own password, and the admin's screens for
accounts and agencies (thin wrappers over accounts.forms, selectors and services)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from math import ceil
from typing import Any

from axes.helpers import get_cool_off
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from terbuka.errors import TerbukaError
from terbuka_web.accounts import selectors, services
from terbuka_web.accounts.forms import AgencyForm, LoginForm, PasswordChangeForm, UserForm
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.common.views import confirm_then, form_errors, page_of, service_error_attach
from terbuka_web.regions.selectors import region_get

View = Callable[..., HttpResponse]


class LoginView(auth_views.LoginView):
    """Log an official in; axes locks username+IP after AXES_FAILURE_LIMIT failures."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: object
) -> HttpResponse:
    """Answer a login that axes locked (AXES_LOCKOUT_CALLABLE): 429 with the page that says
    how many minutes the lock lasts after the last failure, and the same in Retry-After."""
    seconds = int((get_cool_off(request) or timedelta(0)).total_seconds())
    response = render(request, "429.html", {"minutes": max(1, ceil(seconds / 60))}, status=429)
    response["Retry-After"] = str(seconds)
    return response


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, CSRF-protected) and return to the home page."""

    next_page = "/"


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password; required before anything else after a one-time password."""
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except TerbukaError as exc:
            service_error_attach(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Sandi diganti."))
            target = request.GET.get("next", "")
            safe = url_has_allowed_host_and_scheme(target, {request.get_host()})
            return redirect(target if safe and target else "contracting:dashboard")
    context = {"form": form, **form_errors(form)}
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", context, status=status)


def _admin_only(action: Action) -> Callable[[View], View]:
    """Wrap a view so that only users allowed action reach it (others get 403)."""

    def wrap(view: View) -> View:
        @login_required
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not user_can(request.user, action):  # type: ignore[arg-type]
                raise HttpForbidden
            return view(request, *args, **kwargs)

        checked.__doc__ = view.__doc__
        return checked

    return wrap


@_admin_only(Action.USER_MANAGE)
def user_list(request: HttpRequest) -> HttpResponse:
    """List accounts, 50 a page, searchable and filtered by role, agency and active state."""
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    agency = request.GET.get("agency", "")
    state = request.GET.get("state", "")
    active = {"active": True, "inactive": False}.get(state)
    page, query = page_of(
        request,
        selectors.user_list(
            q=q,
            role=role if role in Role.values else "",
            agency=agency,
            active=active,
        ),
    )
    context = {
        "page": page,
        "query": query,
        "filters": {"q": q, "role": role, "agency": agency, "state": state},
        "roles": Role.choices,
        "agencies": Agency.objects.order_by("name").values_list("code", "name"),
    }
    return render(request, "accounts/user_list.html", context)


@_admin_only(Action.USER_MANAGE)
@require_http_methods(["GET", "POST"])
def user_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create an account (no pk) with a one-time password shown once to the admin, or change
    an account's role, agency, name and e-mail."""
    account = get_object_or_404(User.objects.select_related("agency"), pk=pk) if pk else None
    initial = {}
    if account is not None:
        initial = {
            "full_name": account.first_name,
            "email": account.email,
            "role": account.role,
            "agency": account.agency.code if account.agency else "",
        }
    form = UserForm(request.POST or None, initial=initial, editing=account is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor: User = request.user  # type: ignore[assignment]
        fields = {
            "role": data["role"],
            "agency": Agency.objects.filter(code=data["agency"]).first()
            if data["agency"]
            else None,
            "full_name": data["full_name"],
            "email": data["email"],
        }
        password = services.password_temporary()
        try:
            if account is None:
                created = services.user_create(
                    actor=actor,
                    username=data["username"],
                    password=password,
                    temporary=True,
                    **fields,
                )
            else:
                services.user_update(actor=actor, user=account, **fields)
        except TerbukaError as exc:
            service_error_attach(form, exc)
        else:
            if account is None:
                return _password_show(request, created, password, created=True)
            messages.success(request, _("Akun %(name)s disimpan.") % {"name": account.username})
            return redirect("accounts:users")
    context = {"form": form, "editing": account, **form_errors(form)}
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/user_form.html", context, status=status)


def _password_show(
    request: HttpRequest, user: User, password: str, *, created: bool
) -> HttpResponse:
    """Render the one-time password once, right after it was set (it is never stored plain)."""
    context = {"account": user, "password": password, "created": created}
    response = render(request, "accounts/password_temporary.html", context)
    response["Cache-Control"] = "no-store"
    return response


@_admin_only(Action.USER_MANAGE)
@require_http_methods(["GET", "POST"])
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first (GET), then give the account a new one-time password (POST) and show it."""
    account = get_object_or_404(User, pk=pk)

    def reset() -> HttpResponse:
        password = services.password_temporary()
        services.user_password_reset(actor=request.user, user=account, password=password)  # type: ignore[arg-type]
        return _password_show(request, account, password, created=False)

    return confirm_then(
        request,
        act=reset,
        title=_("Atur ulang sandi %(name)s") % {"name": account.username},
        message=_(
            "Sandi lama berhenti berlaku dan sesi yang terbuka berakhir. Anda akan melihat sandi "
            "sekali pakai baru satu kali; pengguna wajib menggantinya saat masuk."
        ),
        confirm_label=_("Ya, atur ulang sandi"),
        cancel_url=reverse("accounts:user_edit", args=[account.pk]),
    )


@_admin_only(Action.USER_MANAGE)
@require_http_methods(["GET", "POST"])
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first (GET), then deactivate the account (POST)."""
    account = get_object_or_404(User, pk=pk)

    def deactivate() -> HttpResponse:
        services.user_active_set(actor=request.user, user=account, active=False)  # type: ignore[arg-type]
        messages.success(request, _("Akun %(name)s dinonaktifkan.") % {"name": account.username})
        return redirect("accounts:users")

    return confirm_then(
        request,
        act=deactivate,
        title=_("Nonaktifkan akun %(name)s") % {"name": account.username},
        message=_(
            "Akun ini tidak dapat masuk lagi dan sesinya yang terbuka berakhir. Jejak audit dan "
            "paket yang pernah dikerjakannya tetap ada. Akun dapat diaktifkan kembali."
        ),
        confirm_label=_("Ya, nonaktifkan"),
        cancel_url=reverse("accounts:user_edit", args=[account.pk]),
    )


@_admin_only(Action.USER_MANAGE)
@require_POST
def user_activate(request: HttpRequest, pk: int) -> HttpResponse:
    """Reactivate an account (POST; not destructive, so no confirmation)."""
    account = get_object_or_404(User, pk=pk)
    services.user_active_set(actor=request.user, user=account, active=True)  # type: ignore[arg-type]
    messages.success(request, _("Akun %(name)s diaktifkan.") % {"name": account.username})
    return redirect("accounts:user_edit", pk=account.pk)


@_admin_only(Action.AGENCY_MANAGE)
def agency_list(request: HttpRequest) -> HttpResponse:
    """List agencies, 50 a page, searchable by name or code, with their number of accounts."""
    q = request.GET.get("q", "").strip()
    page, query = page_of(request, selectors.agency_list(q=q))
    return render(request, "accounts/agency_list.html", {"page": page, "query": query, "q": q})


@_admin_only(Action.AGENCY_MANAGE)
@require_http_methods(["GET", "POST"])
def agency_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create an agency (no pk) or change one's name, kind and government."""
    agency = get_object_or_404(Agency.objects.select_related("government"), pk=pk) if pk else None
    if agency is not None:
        initial = {"name": agency.name, "kind": agency.kind, "government": agency.government_id}
    else:
        first = Agency.objects.order_by("id").values_list("government_id", flat=True).first()
        initial = {"government": first or ""}
    form = AgencyForm(request.POST or None, initial=initial, editing=agency is not None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = _agency_save(request.user, agency, form.cleaned_data)  # type: ignore[arg-type]
        except TerbukaError as exc:
            service_error_attach(form, exc)
        else:
            messages.success(
                request, _("Perangkat daerah %(name)s disimpan.") % {"name": agency.name}
            )
            return redirect("accounts:agencies")
    context = {"form": form, "editing": agency, **form_errors(form)}
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/agency_form.html", context, status=status)


def _agency_save(actor: User, agency: Agency | None, data: dict[str, Any]) -> Agency:
    """Create (agency None) or update the agency from the form's data; a government code that
    names no region is reported on the government field."""
    try:
        government = region_get(code=data["government"].strip())
    except TerbukaError as exc:
        raise TerbukaError(exc.message_id, exc.message_en, where="government") from exc
    fields = {"name": data["name"], "kind": data["kind"], "government": government}
    if agency is None:
        return services.agency_create(actor=actor, code=data["code"], **fields)
    return services.agency_update(actor=actor, agency=agency, **fields)
