"""URLs of the red-flag pages, under /tanda-bahaya/: the dashboard, per agency (and one
agency), per region, per supplier, and the methodology."""

from django.urls import path

from terbuka_web.flags import views

app_name = "flags"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("perangkat-daerah/", views.groups, {"by": "agency"}, name="agencies"),
    path("perangkat-daerah/<slug:code>/", views.agency, name="agency"),
    path("wilayah/", views.groups, {"by": "region"}, name="regions"),
    path("penyedia/", views.groups, {"by": "supplier"}, name="suppliers"),
    path("metodologi/", views.methodology, name="methodology"),
]
