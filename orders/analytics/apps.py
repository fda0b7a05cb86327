from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Nested in orders: Django and Celery find this package's admin and tasks on their own.

    Its models keep ``app_label = "orders"`` (see models.py), so this label owns no tables.
    """

    name = "orders.analytics"
    label = "orders_analytics"
    verbose_name = "Analytics: rollups and reports"

    def ready(self):
        from orders.analytics import receivers  # noqa: F401  (connects the signal receivers)
