from django.apps import AppConfig


class Config(AppConfig):
    name = "terbuka_web.benefits"
    label = "benefits"

    def ready(self) -> None:
        """Register the programme_rules proposal type (adopting a rule version is a decision)
        and the per-village totals in the open-data catalogue."""
        from terbuka_web.benefits.datasets import benefits_datasets
        from terbuka_web.benefits.handlers import handlers_register
        from terbuka_web.catalog.registry import provider_register

        handlers_register()
        provider_register("benefits", benefits_datasets)
