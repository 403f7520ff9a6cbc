"""URLs of the api app: the django-ninja API, and a JSON 404 for every unmatched /api/ path."""

from django.urls import URLPattern, re_path

from terbuka_web.api.api import api
from terbuka_web.api.errors import json_not_allowed, not_found_view

app_name = "api"


def _shaped(pattern: URLPattern) -> URLPattern:
    """Return pattern with its view answering 405 in the API's error shape."""
    pattern.callback = json_not_allowed(pattern.callback)
    return pattern


urlpatterns = [
    *(_shaped(p) for p in api.urls[0]),
    re_path(r"^.*$", not_found_view, name="not_found"),
]
