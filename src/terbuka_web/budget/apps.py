from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "terbuka_web.budget"
    label = "budget"
    verbose_name = "Anggaran / Budgets"
    default_auto_field = "django.db.models.BigAutoField"
