"""URLs of the notifications app, mounted at /akun/pemberitahuan/."""

from django.urls import path

from terbuka_web.notifications import views

app_name = "notifications"
urlpatterns = [path("", views.outbox, name="outbox")]
