"""Route URLs to the apps: portal at /, operators at /kelola/, API at /api/, log at /log/."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Accounts and agencies are managed on Terbuka's own audited screens (/akun/pengguna/),
    # not in Django's admin, whose edits would bypass the services' checks and audit trail.
    path("admin/", RedirectView.as_view(pattern_name="accounts:users", permanent=False)),
    path("akun/", include("terbuka_web.accounts.urls")),
    path("kelola/", include("terbuka_web.contracting.urls")),
    path("api/", include("terbuka_web.api.urls")),
    path("log/", include("terbuka_web.transparency.urls")),
    path("", include("terbuka_web.portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
