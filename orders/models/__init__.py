"""Orders core models: orders, packages, shipping templates and storefront visits.

The neighbouring domains keep their models in their own nested apps (orders.returns.models,
orders.inbox.models, orders.finance.models, orders.analytics.models, orders.marketing.models).
"""

from orders.models.carrier_events import CarrierEventReceipt
from orders.models.orders import (
    CancellationRequest,
    DailyOrderCount,
    Order,
    OrderLine,
    OrderStatusChange,
    Package,
    PackageLine,
)
from orders.models.shipping import ShippingTemplate, ShippingZone
from orders.models.visits import Visit

__all__ = [
    "CancellationRequest",
    "CarrierEventReceipt",
    "DailyOrderCount",
    "Order",
    "OrderLine",
    "OrderStatusChange",
    "Package",
    "PackageLine",
    "ShippingTemplate",
    "ShippingZone",
    "Visit",
]
