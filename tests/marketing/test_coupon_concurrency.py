"""PostgreSQL: real concurrent buyers on separate connections racing for a coupon's last uses."""

from decimal import Decimal

import pytest
from django_scopes import scope

from orders.marketing.models import Coupon, OrderPromotion
from orders.models import Order
from orders.services.checkout import CartLine, checkout_place
from tests.concurrency import at_once, ok_or_refusal
from tests.factories import CouponFactory, SKUFactory
from tests.orders.conftest import buyer, make_template

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WORKERS = 16  # connections are shared with other suites on the same server


def race(shop, emails, code):
    def attempt(email):
        with scope(shop=shop):
            return ok_or_refusal(
                lambda: checkout_place(
                    shop=shop,
                    lines=[CartLine(sku_id=shop._sku.pk, quantity=1)],
                    buyer=buyer(email=email),
                    coupon_code=code,
                )
            )

    return at_once(attempt, emails, workers=WORKERS)


def test_50_concurrent_checkouts_with_a_coupon_limited_to_20_uses_make_exactly_20(shop):
    make_template(shop)
    shop._sku = SKUFactory(product__shop=shop, price=Decimal("10.00"), on_hand=1000)
    coupon = CouponFactory(shop=shop, code="RUSH", usage_limit=20, per_buyer_limit=1)
    results = race(shop, [f"buyer{i}@example.com" for i in range(50)], "rush")
    assert results.count("ok") == 20
    assert all("RUSH has been used up" in r for r in results if r != "ok")
    with scope(shop=shop):
        assert Coupon.objects.get(pk=coupon.pk).uses == 20
        assert Order.objects.filter(shop=shop).count() == 20
        assert OrderPromotion.objects.filter(coupon=coupon).count() == 20


def test_one_buyer_racing_themselves_gets_the_per_buyer_limit_once(shop):
    make_template(shop)
    shop._sku = SKUFactory(product__shop=shop, price=Decimal("10.00"), on_hand=1000)
    coupon = CouponFactory(shop=shop, code="SOLO", per_buyer_limit=1)
    results = race(shop, ["same@example.com"] * 16, "SOLO")
    assert results.count("ok") == 1
    assert all("once per buyer" in r for r in results if r != "ok")
    with scope(shop=shop):
        assert Coupon.objects.get(pk=coupon.pk).uses == 1
