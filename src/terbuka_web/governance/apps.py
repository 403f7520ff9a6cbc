from django.apps import AppConfig


class Config(AppConfig):
    name = "terbuka_web.governance"
    label = "governance"

    def ready(self) -> None:
        """Register the governance app's own proposal types (admission, quorum, disputes…)."""
        from terbuka_web.governance.handlers import handlers_register

        handlers_register()
