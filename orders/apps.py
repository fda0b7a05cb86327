from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders, returns, customer service and finance"

    def ready(self):
        # Returns, inbox and finance (issue 6): the completed-order receiver and beat tasks.
        # Marketing (issue 7): a cancelled order gives its coupon use back.
        from orders import (  # noqa: F401
            admin_aftersales,
            aftersales_tasks,
            finance_receivers,
            marketing_receivers,  # noqa: F401
        )
