"""A small shop with something on every page: products with variants, orders (one settled, so
the ledger has a settlement), a return, for the accessibility, phone and screenshot tests."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope

from orders.finance import services as finance_svc
from orders.returns import services as returns_svc
from tests.factories import (
    MembershipFactory,
    OrderFactory,
    OrderLineFactory,
    ShopFactory,
    SKUFactory,
    UserFactory,
)
from tests.orders.aftersales import delivered_order
from tests.orders.conftest import make_template


def build_ux_shop(*, settle: bool = True):
    shop = ShopFactory(name="Sunny Threads", slug="sunny")
    seller = MembershipFactory(
        shop=shop, role="owner", user=UserFactory(email="sam@seller.test", full_name="Sam Seller")
    ).user
    make_template(shop)
    for title in ("Organic cotton tee", "Linen overshirt", "Wool beanie"):
        sku = SKUFactory(product__shop=shop, product__title=title, price=Decimal("1249.00"))
        SKUFactory(product=sku.product, price=Decimal("24.50"), attributes={"size": "L"})
    now = timezone.now()
    for i in range(6):
        order = OrderFactory(
            shop=shop,
            buyer_name=f"Buyer Number {i}",
            total=Decimal("36307.45") if i == 0 else Decimal("48.00"),
            placed_at=now - timedelta(hours=i * 5),
            ship_by=now + timedelta(days=2) if i else now - timedelta(hours=2),
        )
        OrderLineFactory(order=order, quantity=2)
    with scope(shop=shop):
        sold = delivered_order(shop, delivered_at=now - timedelta(days=12))
        sold.status = "completed"
        sold.save(update_fields=["status"])
        finance_svc.finance_book_sale(shop=shop, order=sold, now=now - timedelta(days=10))
        returned = delivered_order(shop, delivered_at=now - timedelta(days=2))
        returns_svc.return_open(
            shop=shop, order=returned, line=returned.lines.get(), kind="refund_only", reason="Other"
        )
    if settle:
        finance_svc.finance_settle_due(as_of=now)
    return shop, seller, sold
