"""URLs of Open311 GeoReport v2, mounted at /open311/v2/ (format: .json or .xml)."""

from django.urls import re_path

from terbuka_web.participation import open311_views as views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[^/]{1,100})" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(
        r"^requests/(?P<service_request_id>[^/]{1,40})" + FMT, views.request_one, name="request"
    ),
    re_path(r"^tokens/(?P<token>[^/]{1,100})" + FMT, views.token, name="token"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
