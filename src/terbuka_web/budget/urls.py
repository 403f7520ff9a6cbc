"""URLs of the budget app: /anggaran/, /anggaran/<region code>/?tahun=YYYY and the open-data
downloads /anggaran/data/<year>/ (CSV, Fiscal Data Package)."""

from django.urls import path

from terbuka_web.budget import exports, views

app_name = "budget"
urlpatterns = [
    path("", views.index, name="index"),
    path("data/<int:year>/anggaran.csv", exports.lines_csv, name="lines_csv"),
    path("data/<int:year>/datapackage.json", exports.datapackage, name="datapackage"),
    path("<str:code>/", views.region, name="region"),
    path("<str:code>/unggah/", views.upload, name="upload"),
    path("<str:code>/papan/", views.board, name="board"),
]
