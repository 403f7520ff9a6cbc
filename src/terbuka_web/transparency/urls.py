"""URLs of the transparency app, mounted at /log/ (C2SP tlog-tiles layout)."""

from django.urls import path, re_path

from terbuka_web.transparency import views

app_name = "transparency"
urlpatterns = [
    path("", views.log_page, name="log"),
    path("saksi/", views.witnesses_page, name="witnesses"),
    path("saksi/kebijakan.txt", views.policy_file, name="policy"),
    path("checkpoint", views.checkpoint, name="checkpoint"),
    re_path(r"^(?P<path>tile/[0-9a-z./]+)$", views.tile, name="tile"),
    path("receipt/<int:index>", views.receipt, name="receipt"),
]
