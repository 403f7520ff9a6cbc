"""URLs of the accounts app, mounted at /akun/: login, logout, one's own password, and the
admin's screens for accounts (pengguna) and agencies (perangkat daerah)."""

from django.urls import path

from terbuka_web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("sandi/", views.password_change, name="password_change"),
    path("pengguna/", views.user_list, name="users"),
    path("pengguna/baru/", views.user_form, name="user_create"),
    path("pengguna/<int:pk>/", views.user_form, name="user_edit"),
    path("pengguna/<int:pk>/sandi/", views.user_password_reset, name="user_password_reset"),
    path("pengguna/<int:pk>/nonaktifkan/", views.user_deactivate, name="user_deactivate"),
    path("pengguna/<int:pk>/aktifkan/", views.user_activate, name="user_activate"),
    path("instansi/", views.agency_list, name="agencies"),
    path("instansi/baru/", views.agency_form, name="agency_create"),
    path("instansi/<int:pk>/", views.agency_form, name="agency_edit"),
]
