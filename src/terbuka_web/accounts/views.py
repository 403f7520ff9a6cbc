"""Views of the accounts app: login (throttled by django-axes) and logout (POST only)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    """Log an official in; axes locks username+IP after AXES_FAILURE_LIMIT failures."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, CSRF-protected) and return to the home page."""

    next_page = "/"
