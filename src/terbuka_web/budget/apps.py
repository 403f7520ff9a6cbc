from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "terbuka_web.budget"
    label = "budget"
    verbose_name = "Anggaran (APBD, APBDes)"
    default_auto_field = "django.db.models.BigAutoField"
