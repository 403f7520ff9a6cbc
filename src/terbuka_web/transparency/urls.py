"""URLs of the transparency app."""

from django.urls import path  # noqa: F401

app_name = "transparency"
urlpatterns: list = []
