"""URLs of the scope app, mounted at /cakupan/."""

from django.urls import path

from terbuka_web.scope import views

app_name = "scope"
urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("<str:code>/", views.agency, name="agency"),
]
