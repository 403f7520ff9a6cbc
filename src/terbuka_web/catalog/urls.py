"""URLs of the catalogue, mounted at /data/."""

from django.urls import path

from terbuka_web.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.catalog_page, name="index"),
    path("catalog.jsonld", views.catalog_jsonld, name="jsonld"),
    path("catalog.ttl", views.catalog_turtle, name="turtle"),
    path("wilayah.csv", views.regions_csv, name="regions_csv"),
    path("wilayah.json", views.regions_json, name="regions_json"),
    path("<slug:name>/", views.dataset_page, name="dataset"),
]
