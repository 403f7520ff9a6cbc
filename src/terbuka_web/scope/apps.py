from django.apps import AppConfig


class Config(AppConfig):
    name = "terbuka_web.scope"
    label = "scope"

    def ready(self) -> None:
        """Register the scope_change proposal type: its payload check (the policy and its dry
        run) and its effect (a new scope version, from the decision's effective date)."""
        from terbuka_web.governance.effects import effect_register
        from terbuka_web.scope.services import scope_decision_apply, scope_payload_check

        effect_register("scope_change", check=scope_payload_check, apply=scope_decision_apply)
