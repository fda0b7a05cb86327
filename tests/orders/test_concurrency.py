"""PostgreSQL: real concurrent buyers on separate connections. The daily cap is never overrun,
stock is never oversold, and the tab counters match the orders afterwards."""

from decimal import Decimal

import pytest
from django_scopes import scope

from catalog.models import SKU
from common.policy import POLICY
from orders.models import DailyOrderCount, Order
from orders.selectors import order_status_counts
from orders.services.checkout import CartLine, checkout_place
from tests.concurrency import at_once, ok_or_refusal
from tests.factories import SKUFactory
from tests.orders.conftest import buyer, make_template

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WORKERS = 16  # connections are shared with other suites on the same server


def run_concurrently(shop, carts):
    def attempt(cart):
        with scope(shop=shop):
            lines = [CartLine(sku_id=s.pk, quantity=q) for s, q in cart]
            return ok_or_refusal(lambda: checkout_place(shop=shop, lines=lines, buyer=buyer()))

    return at_once(attempt, carts, workers=WORKERS)


def counted(shop) -> dict[str, int]:
    """The order list's tab counts, the statuses that have orders."""
    with scope(shop=shop):
        return {k: v for k, v in order_status_counts(shop=shop).items() if v and k != "all"}


def counters_match_orders(shop):
    with scope(shop=shop):
        assert counted(shop) == {"awaiting_shipment": Order.objects.count()}


def test_100_concurrent_checkouts_against_an_investigation_cap_of_10_make_exactly_10(
    shop, settings
):
    assert POLICY.investigation_daily_order_cap == 10
    shop.in_investigation = True
    shop.save()
    make_template(shop)
    sku = SKUFactory(product__shop=shop, price=Decimal("10.00"), on_hand=1000)
    results = run_concurrently(shop, [[(sku, 1)]] * 100)
    assert results.count("ok") == 10
    assert all("limit of 10 orders" in r for r in results if r != "ok")
    with scope(shop=shop):
        assert Order.objects.count() == 10
        assert DailyOrderCount.objects.get().count == 10
        assert SKU.objects.get(pk=sku.pk).reserved == 10
    counters_match_orders(shop)


def test_concurrent_checkouts_never_oversell_and_never_deadlock(shop):
    make_template(shop)
    a = SKUFactory(product__shop=shop, price=Decimal("5.00"), on_hand=7)
    b = SKUFactory(product__shop=shop, price=Decimal("5.00"), on_hand=100)
    # Half the carts list the SKUs in the opposite order: reservations still lock in id order.
    carts = [[(a, 1), (b, 1)] if i % 2 else [(b, 1), (a, 1)] for i in range(60)]
    results = run_concurrently(shop, carts)
    assert results.count("ok") == 7
    assert all("Not enough stock" in r for r in results if r != "ok")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.on_hand, a.reserved) == (7, 7)
    assert b.reserved == 7  # the failed carts released everything they had taken
    with scope(shop=shop):
        assert Order.objects.count() == 7
    counters_match_orders(shop)


def test_cancels_and_checkouts_of_the_same_stock_interleave_without_deadlock(shop, owner):
    from orders.services.fulfillment.cancel import order_cancel

    make_template(shop)
    sku = SKUFactory(product__shop=shop, price=Decimal("5.00"), on_hand=40)
    with scope(shop=shop):
        placed = [
            checkout_place(shop=shop, lines=[CartLine(sku.pk, 1)], buyer=buyer())[0]
            for _ in range(10)
        ]

    def work(i):
        with scope(shop=shop):
            if i < len(placed):
                order_cancel(shop=shop, actor=owner, order=placed[i], reason="Out of stock")
            else:
                checkout_place(shop=shop, lines=[CartLine(sku.pk, 1)], buyer=buyer())
        return "ok"

    results = at_once(work, range(30), workers=WORKERS)
    assert results == ["ok"] * 30  # no deadlock victim, no error
    sku.refresh_from_db()
    with scope(shop=shop):
        assert sku.reserved == 20 == Order.objects.filter(status="awaiting_shipment").count()
    assert counted(shop) == {"awaiting_shipment": 20, "cancelled": 10}
