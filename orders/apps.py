from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders, returns, customer service and finance"

    def ready(self):
        from orders import receivers  # noqa: F401  (connects the signal receivers)
