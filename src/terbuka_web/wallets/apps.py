from django.apps import AppConfig


class Config(AppConfig):
    name = "terbuka_web.wallets"
    label = "wallets"

    def ready(self) -> None:
        """Credit enrolled wallets when a disbursement cycle of their programme is done."""
        from terbuka_web.benefits.signals import cycle_done
        from terbuka_web.wallets.handlers import on_cycle_done

        cycle_done.connect(on_cycle_done, dispatch_uid="wallets-credit")
