"""URLs of the benefits app, mounted at /bantuan/."""

from django.urls import path

from terbuka_web.benefits import views

app_name = "benefits"
urlpatterns = [
    path("", views.programmes, name="programmes"),
    path("kelola/desa/<str:code>/", views.village_registry, name="village"),
    path("<slug:slug>/", views.programme, name="programme"),
]
