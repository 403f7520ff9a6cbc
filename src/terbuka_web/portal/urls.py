"""URLs of the portal app: search at /, processes at /proses/<ocid>/, /kelengkapan/, /unduh/."""

from django.urls import path

from terbuka_web.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("proses/<str:ocid>/", views.process_detail, name="process"),
    path("proses/<str:ocid>/record.json", views.process_record, name="process_record"),
    path("kelengkapan/", views.completeness, name="completeness"),
    path("unduh/", views.downloads, name="downloads"),
]
