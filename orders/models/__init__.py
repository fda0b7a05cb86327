"""Orders app models, one module per area; import them from ``orders.models``."""

from orders.models.analytics import Visit
from orders.models.finance import CommissionRate, LedgerEntry, OrderSettlement, Withdrawal
from orders.models.inbox import Conversation, Message
from orders.models.live import LiveSession
from orders.models.marketing import Coupon, OrderPromotion
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
from orders.models.returns import ReturnPhoto, ReturnPolicy, ReturnRequest, ReturnStatusChange
from orders.models.rollups import DailyProductStats, DailyShopStats, DailySourceStats
from orders.models.shipping import ProductShipping, ShippingTemplate, ShippingZone

__all__ = [
    "Coupon",
    "OrderPromotion",
    "CancellationRequest",
    "CommissionRate",
    "LedgerEntry",
    "OrderSettlement",
    "ReturnPhoto",
    "ReturnPolicy",
    "ReturnStatusChange",
    "Withdrawal",
    "Conversation",
    "DailyOrderCount",
    "DailyProductStats",
    "DailyShopStats",
    "DailySourceStats",
    "LiveSession",
    "Message",
    "Order",
    "OrderLine",
    "OrderStatusChange",
    "OrderStatusCount",
    "Package",
    "PackageLine",
    "ProductShipping",
    "ReturnRequest",
    "ShippingTemplate",
    "ShippingZone",
    "Visit",
]
