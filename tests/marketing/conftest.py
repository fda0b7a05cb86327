from django_scopes import scope

from orders.services.checkout import CartLine, checkout_place

# The checkout fixtures (a shipping template, priced SKUs) come from the orders tests.
from tests.orders.conftest import buyer, sku, sku2, template  # noqa: F401


def place(shop, *pairs, coupon_code="", now=None, **buyer_overrides):
    """Place an order through the real checkout (in the shop's scope, as the storefront does),
    with a coupon code if given."""
    with scope(shop=shop):
        order, _ = checkout_place(
            shop=shop,
            lines=[CartLine(sku_id=s.pk, quantity=q) for s, q in pairs],
            buyer=buyer(**buyer_overrides),
            coupon_code=coupon_code,
            now=now,
        )
    return order
