"""URLs of the CKAN Action API subset, mounted at both /api/3/action/ and /api/action/."""

from django.urls import path

from terbuka_web.catalog import ckan_views

app_name = "ckan"
urlpatterns = [path("<str:name>", ckan_views.action, name="action")]
