"""Route URLs to the apps: portal at /, operators at /kelola/, API at /api/, log at /log/.

Uploaded PDFs are served at /media/ by contracting.views.document_file in every mode, never
straight from the storage: a draft only to its agency's officials.
"""

from django.contrib import admin
from django.urls import include, path

from terbuka_web.contracting.views import document_file

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("akun/", include("terbuka_web.accounts.urls")),
    path("kelola/", include("terbuka_web.contracting.urls")),
    path("api/", include("terbuka_web.api.urls")),
    path("log/", include("terbuka_web.transparency.urls")),
    path("media/<path:name>", document_file, name="document_file"),
    path("", include("terbuka_web.portal.urls")),
]
