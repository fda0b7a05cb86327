from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """Nested in orders: Django and Celery find this package's admin and tasks on their own.

    Its models keep ``app_label = "orders"`` (see models.py), so this label owns no tables.
    """

    name = "orders.finance"
    label = "orders_finance"
    verbose_name = "Finance: ledger, settlements, withdrawals"

    def ready(self):
        from orders.finance import receivers  # noqa: F401  (connects the signal receivers)
