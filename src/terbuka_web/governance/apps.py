from django.apps import AppConfig


class Config(AppConfig):
    name = "terbuka_web.governance"
    label = "governance"

    def ready(self) -> None:
        """Register the governance app's own proposal types (admission, quorum, disputes…),
        its members' witnesses as a source of the log's witness policy, and its decisions in
        the open-data catalogue."""
        from terbuka_web.catalog.registry import provider_register
        from terbuka_web.governance.datasets import governance_datasets
        from terbuka_web.governance.handlers import handlers_register
        from terbuka_web.governance.selectors import witness_source
        from terbuka_web.transparency.witnesses import witness_source_register

        handlers_register()
        witness_source_register(witness_source)
        provider_register("governance", governance_datasets)
