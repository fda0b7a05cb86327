from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders, returns, customer service and finance"

    def ready(self):
        # Returns, inbox and finance (issue 6): the completed-order receiver and beat tasks.
        from orders import admin_aftersales, aftersales_tasks, finance_receivers  # noqa: F401
