"""Orders app models, one module per area; import them from ``orders.models``."""

from orders.models.analytics import Visit
from orders.models.inbox import Conversation, Message
from orders.models.orders import (
    CancellationRequest,
    DailyOrderCount,
    Order,
    OrderLine,
    OrderStatusChange,
    OrderStatusCount,
    Package,
    PackageLine,
)
from orders.models.returns import ReturnRequest
from orders.models.shipping import ProductShipping, ShippingTemplate, ShippingZone

__all__ = [
    "Conversation",
    "Message",
    "Order",
    "OrderLine",
    "OrderStatusChange",
    "ReturnRequest",
    "Visit",
    # fulfillment and shipping (issue 5)
    "CancellationRequest",
    "DailyOrderCount",
    "OrderStatusCount",
    "Package",
    "PackageLine",
    "ProductShipping",
    "ShippingTemplate",
    "ShippingZone",
]
