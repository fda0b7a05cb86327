from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders, returns, customer service and finance"

    def ready(self):
        # Returns, inbox and finance (issue 6): the completed-order receiver and beat tasks.
        # Marketing (issue 7): a cancelled order gives its coupon use back.
        # Home at scale (issue 10): order changes refresh the cached figures they affect.
        from orders import (  # noqa: F401
            admin_aftersales,
            aftersales_tasks,
            figure_receivers,
            finance_receivers,
            marketing_receivers,  # noqa: F401
        )
