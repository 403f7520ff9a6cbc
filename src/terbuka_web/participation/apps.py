from django.apps import AppConfig


class Config(AppConfig):
    name = "terbuka_web.participation"
    label = "participation"

    def ready(self) -> None:
        """Register the app's dataset in the open-data catalogue."""
        from terbuka_web.catalog.registry import provider_register
        from terbuka_web.participation.datasets import participation_datasets

        provider_register("participation", participation_datasets)
