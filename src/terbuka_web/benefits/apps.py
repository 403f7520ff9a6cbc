from django.apps import AppConfig


class Config(AppConfig):
    name = "terbuka_web.benefits"
    label = "benefits"

    def ready(self) -> None:
        """Register the programme_rules proposal type: adopting a rule version is a decision."""
        from terbuka_web.benefits.handlers import handlers_register

        handlers_register()
