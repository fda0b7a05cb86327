from orders.views.orders import order_detail, order_list
from orders.views.placeholders import analytics, finance, inbox, return_list, shipping

__all__ = ["analytics", "finance", "inbox", "order_detail", "order_list", "return_list", "shipping"]
