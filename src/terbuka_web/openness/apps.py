from django.apps import AppConfig


class Config(AppConfig):
    name = "terbuka_web.openness"
    label = "openness"

    def ready(self) -> None:
        """Register the app's dataset in the open-data catalogue."""
        from terbuka_web.catalog.registry import provider_register
        from terbuka_web.openness.datasets import openness_datasets

        provider_register("openness", openness_datasets)
