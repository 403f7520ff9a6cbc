"""URLs of the budget app: /anggaran/, /anggaran/<region code>/?tahun=YYYY and a village's
APBDes board: /anggaran/<code>/papan/ (page), papan.pdf and papan.png (?ukuran=a1|ponsel)."""

from django.urls import path

from terbuka_web.budget import views

app_name = "budget"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.region, name="region"),
    path("<str:code>/unggah/", views.upload, name="upload"),
    path("<str:code>/papan/", views.board, name="board"),
    path("<str:code>/papan.pdf", views.board_download, {"fmt": "pdf"}, name="board_pdf"),
    path("<str:code>/papan.png", views.board_download, {"fmt": "png"}, name="board_png"),
]
