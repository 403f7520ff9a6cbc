"""URLs of the api app: the django-ninja API, and a JSON 404 for every unmatched /api/ path."""

from django.urls import re_path

from terbuka_web.api.api import api
from terbuka_web.api.errors import not_found_view

app_name = "api"
urlpatterns = [*api.urls[0], re_path(r"^.*$", not_found_view, name="not_found")]
