from django.apps import AppConfig


class Config(AppConfig):
    name = "terbuka_web.notifications"
    label = "notifications"
