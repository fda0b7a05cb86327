from orders.views.analytics import (
    analytics,
    analytics_best_sellers,
    analytics_conversion,
    analytics_customers,
    analytics_traffic,
)
from orders.views.finance import finance, finance_statement, finance_withdraw
from orders.views.inbox import inbox, inbox_conversation, inbox_read, inbox_reply, inbox_resolve
from orders.views.orders import order_detail, order_list
from orders.views.returns import (
    return_act,
    return_detail,
    return_list,
    return_photo,
    return_policy,
)

__all__ = [
    "analytics",
    "analytics_best_sellers",
    "analytics_conversion",
    "analytics_customers",
    "analytics_traffic",
    "finance",
    "finance_statement",
    "finance_withdraw",
    "inbox",
    "inbox_conversation",
    "inbox_read",
    "inbox_reply",
    "inbox_resolve",
    "order_detail",
    "order_list",
    "return_act",
    "return_detail",
    "return_list",
    "return_photo",
    "return_policy",
]
