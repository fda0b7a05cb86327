from django.apps import AppConfig


class MarketingConfig(AppConfig):
    """Nested in orders: Django and Celery find this package's admin and tasks on their own.

    Its models keep ``app_label = "orders"`` (see models.py), so this label owns no tables.
    """

    name = "orders.marketing"
    label = "orders_marketing"
    verbose_name = "Marketing: coupons, discounts, campaigns, LIVE"

    def ready(self):
        from orders.marketing import receivers  # noqa: F401  (connects the signal receivers)
