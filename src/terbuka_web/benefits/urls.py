"""URLs of the benefits app, mounted at /bantuan/."""

from django.urls import path

from terbuka_web.benefits import officer_views, views

app_name = "benefits"
urlpatterns = [
    path("", views.programmes, name="programmes"),
    path("kelola/desa/<str:code>/", views.village_registry, name="village"),
    path("kelola/bencana/", officer_views.disaster_new, name="disaster_new"),
    path("<slug:slug>/siklus/baru/", officer_views.cycle_new, name="cycle_new"),
    path("<slug:slug>/mulai/<int:pk>/ulang/", officer_views.start_retry_view, name="start_retry"),
    path("<slug:slug>/", views.programme, name="programme"),
    path("<slug:slug>/siklus/<int:number>/", views.cycle, name="cycle"),
    path("<slug:slug>/siklus/<int:number>/audit/", views.cycle_audit, name="cycle_audit"),
    path(
        "<slug:slug>/siklus/<int:number>/audit.csv", views.cycle_audit_csv, name="cycle_audit_csv"
    ),
    path(
        "<slug:slug>/siklus/<int:number>/audit.xlsx",
        views.cycle_audit_xlsx,
        name="cycle_audit_xlsx",
    ),
]
