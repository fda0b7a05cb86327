from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    """Nested in orders: Django and Celery find this package's admin and tasks on their own.

    Its models keep ``app_label = "orders"`` (see models.py), so this label owns no tables.
    """

    name = "orders.returns"
    label = "orders_returns"
    verbose_name = "Returns and refunds"
