from django.apps import AppConfig


class Config(AppConfig):
    name = "terbuka_web.wallets"
    label = "wallets"

    def ready(self) -> None:
        """Credit enrolled wallets when a disbursement cycle of their programme is done; claw
        back expired wallet balances at each benefits tick."""
        from terbuka_web.benefits.signals import cycle_done, programme_ticked
        from terbuka_web.wallets.handlers import on_cycle_done, on_programme_ticked

        cycle_done.connect(on_cycle_done, dispatch_uid="wallets-credit")
        programme_ticked.connect(on_programme_ticked, dispatch_uid="wallets-expire")
