"""URLs of the portal app: search at /, processes at /proses/<ocid>/ (with
/perubahan/ comparing two releases and /rilis/<release id>.json), /kelengkapan/, /unduh/."""

from django.urls import path

from terbuka_web.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("proses/<str:ocid>/", views.process_detail, name="process"),
    path("proses/<str:ocid>/record.json", views.process_record, name="process_record"),
    path("proses/<str:ocid>/perubahan/", views.process_diff, name="process_diff"),
    path("proses/<str:ocid>/rilis/<path:release_id>.json", views.release_json, name="release_json"),
    path("kelengkapan/", views.completeness, name="completeness"),
    path("unduh/", views.downloads, name="downloads"),
]
