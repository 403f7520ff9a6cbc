"""The catalog app: the open-data catalogue at /data/ (DCAT-AP 3) and the CKAN Action API."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "terbuka_web.catalog"
    label = "catalog"

    def ready(self) -> None:
        """Register the datasets of the apps on main; other apps register theirs in ready()."""
        from terbuka_web.catalog.providers import main_datasets
        from terbuka_web.catalog.registry import provider_register

        provider_register("main", main_datasets)
