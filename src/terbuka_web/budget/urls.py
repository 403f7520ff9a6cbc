"""URLs of the budget app: /anggaran/, /anggaran/<region code>/?tahun=YYYY, a village's
APBDes board: /anggaran/<code>/papan/ (page), papan.pdf and papan.png (?ukuran=a1|ponsel),
and the open-data downloads /anggaran/data/<year>/ (CSV, Fiscal Data Package)."""

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
    path("<str:code>/papan.pdf", views.board_download, {"fmt": "pdf"}, name="board_pdf"),
    path("<str:code>/papan.png", views.board_download, {"fmt": "png"}, name="board_png"),
]
