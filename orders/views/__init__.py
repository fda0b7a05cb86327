from orders.views.analytics import (
    analytics,
    analytics_best_sellers,
    analytics_conversion,
    analytics_customers,
    analytics_traffic,
)
from orders.views.orders import order_detail, order_list
from orders.views.placeholders import finance, inbox, return_list, shipping

__all__ = [
    "analytics",
    "analytics_best_sellers",
    "analytics_conversion",
    "analytics_customers",
    "analytics_traffic",
    "finance",
    "inbox",
    "order_detail",
    "order_list",
    "return_list",
    "shipping",
]
