from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "terbuka_web.budget"
    label = "budget"
    verbose_name = "Anggaran / Budgets"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the budget dataset in the open-data catalogue."""
        from terbuka_web.budget.datasets import budget_datasets
        from terbuka_web.catalog.registry import provider_register

        provider_register("budget", budget_datasets)
