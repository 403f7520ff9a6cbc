"""Route URLs to the apps: portal at /, operators at /kelola/, API at /api/, log at /log/,
open-data catalogue at /data/ with the CKAN Action API at /api/3/action/ and /api/action/.

Uploaded PDFs are served at /media/ by contracting.views.document_file in every mode, never
straight from the storage: a draft only to its agency's officials.
"""

from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic.base import RedirectView

from terbuka_web.contracting.views import document_file

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Accounts and agencies are managed on Terbuka's own audited screens (/akun/pengguna/),
    # not in Django's admin, whose edits would bypass the services' checks and audit trail.
    path("admin/", RedirectView.as_view(pattern_name="accounts:users", permanent=False)),
    path("akun/pemberitahuan/", include("terbuka_web.notifications.urls")),
    path("akun/", include("terbuka_web.accounts.urls")),
    path("kelola/", include("terbuka_web.contracting.urls")),
    # CKAN Action API (plain Django views, CKAN's envelope), before the JSON API's catch-all 404.
    path("api/3/action/", include("terbuka_web.catalog.ckan_urls", namespace="ckan3")),
    path("api/action/", include("terbuka_web.catalog.ckan_urls", namespace="ckan")),
    path("api/", include("terbuka_web.api.urls")),
    path("data/", include("terbuka_web.catalog.urls")),
    path("log/", include("terbuka_web.transparency.urls")),
    path("konsorsium/", include("terbuka_web.governance.urls")),
    path("cakupan/", include("terbuka_web.scope.urls")),
    path("tanda-bahaya/", include("terbuka_web.flags.urls")),
    path("keterbukaan/", include("terbuka_web.openness.urls")),
    path("lapor/", include("terbuka_web.participation.urls")),
    path("open311/v2/", include("terbuka_web.participation.open311_urls")),
    path("anggaran/", include("terbuka_web.budget.urls")),
    path("bantuan/", include("terbuka_web.benefits.urls")),
    path("federasi/", include("terbuka_web.federation.urls")),
    path("dompet/", include("terbuka_web.wallets.urls")),
    # Browsers and feed readers ask /favicon.ico of any page, the JSON and text ones too.
    path("favicon.ico", RedirectView.as_view(url=lazy(static_url, str)("terbuka/favicon.ico"))),
    path("media/<path:name>", document_file, name="document_file"),
    path("", include("terbuka_web.portal.urls")),
]
