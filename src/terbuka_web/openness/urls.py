"""URLs of the openness index, under /keterbukaan/: the ranking, one agency, its badge."""

from django.urls import path

from terbuka_web.openness import views

app_name = "openness"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("<slug:code>/", views.agency, name="agency"),
    path("<slug:code>/lencana.svg", views.badge, name="badge"),
]
