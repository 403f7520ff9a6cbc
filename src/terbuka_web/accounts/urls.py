"""URLs of the accounts app, mounted at /akun/: login and logout (Django auth views)."""

from django.urls import path

from terbuka_web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
]
