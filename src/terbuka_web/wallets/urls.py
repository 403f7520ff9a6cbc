"""URLs of the wallets app's pages under /dompet/ (the JSON API is /api/wallets/)."""

from django.urls import path

from terbuka_web.wallets import views

app_name = "wallets"
urlpatterns = [
    path("", views.citizen, name="citizen"),
    path("petugas/daftar/", views.desk, name="desk"),
    path("petugas/daftar/<int:pk>/", views.desk_challenge, name="desk_challenge"),
    path("petugas/daftar/<int:pk>/status", views.desk_status, name="desk_status"),
    path("pedagang/", views.merchant_check, name="merchant"),
    path("sw.js", views.service_worker, name="sw"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path(
        "pedagang/manifest.webmanifest",
        views.manifest,
        {"start": "wallets:merchant", "name": "Pedagang"},
        name="merchant_manifest",
    ),
    path("penyelesaian/", views.settlements, name="settlements"),
    path("penyelesaian/<str:key>/", views.settlement, name="settlement"),
    path("keberatan/", views.grievances, name="grievances"),
    path("penyelesaian/<str:key>.csv", views.settlement_report_csv, name="settlement_csv"),
]
