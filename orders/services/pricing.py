"""Discounts and coupons at checkout.

The marketing issue builds discounts (percentage or fixed, time-limited) and coupons (code,
minimum spend, usage limits); it plugs them in here. Checkout already calls this inside its
transaction, so a coupon's usage counter can be taken atomically with the order.
"""

from dataclasses import dataclass
from decimal import Decimal

from shops.models import Shop


@dataclass(frozen=True)
class PricedLine:
    sku_id: int
    product_id: int
    quantity: int
    unit_price: Decimal


def apply_promotions(
    *,
    shop: Shop,
    lines: list[PricedLine],
    subtotal: Decimal,
    shipping_fee: Decimal,
    coupon_code: str = "",
    buyer_email: str = "",
) -> Decimal:
    """The discount on this cart (never more than subtotal + shipping). None exist yet: zero."""
    return Decimal("0.00")
