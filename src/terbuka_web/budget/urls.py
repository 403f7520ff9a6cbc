"""URLs of the budget app: /anggaran/ and /anggaran/<region code>/?tahun=YYYY."""

from django.urls import path

from terbuka_web.budget import views

app_name = "budget"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.region, name="region"),
    path("<str:code>/unggah/", views.upload, name="upload"),
    path("<str:code>/papan/", views.board, name="board"),
]
