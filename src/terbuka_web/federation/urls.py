"""URLs of the federation app, mounted at /federasi/."""

from django.urls import path

from terbuka_web.federation import views

app_name = "federation"
urlpatterns = [
    path("", views.harvested, name="harvested"),
    path("instansi/", views.remotes, name="remotes"),
]
