"""URLs of the contracting app, mounted at /kelola/."""

from django.urls import path

from terbuka_web.contracting import views

app_name = "contracting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("proses/baru/", views.process_create, name="process_create"),
    path("proses/<int:pk>/", views.process_detail, name="process"),
    path("proses/<int:pk>/hapus/", views.process_delete, name="process_delete"),
    path("proses/<int:pk>/<str:stage>/", views.stage_edit, name="stage_edit"),
    path("proses/<int:pk>/<str:stage>/dokumen/", views.document_upload, name="document_upload"),
    path("proses/<int:pk>/<str:stage>/terbitkan/", views.stage_publish, name="stage_publish"),
    path(
        "proses/<int:pk>/dokumen/<int:doc>/hapus/",
        views.document_delete,
        name="document_delete",
    ),
]
