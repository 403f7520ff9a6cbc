"""URLs of the contracting app."""

from django.urls import path  # noqa: F401

app_name = "contracting"
urlpatterns: list = []
