from django.apps import AppConfig


class Config(AppConfig):
    name = "terbuka_web.governance"
    label = "governance"

    def ready(self) -> None:
        """Register the governance app's own proposal types (admission, quorum, disputes…)
        and its members' witnesses as a source of the log's witness policy."""
        from terbuka_web.governance.handlers import handlers_register
        from terbuka_web.governance.selectors import witness_source
        from terbuka_web.transparency.witnesses import witness_source_register

        handlers_register()
        witness_source_register(witness_source)
