"""Home and Analytics, tried as a new user would: the seller sees every
tile with real numbers, an order placed in another tab shows up on the tiles after a refresh,
and last month's sales CSV agrees with the report."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest

from common.clock import day_start, local_date, previous_month_range
from orders.analytics.services import rollup_rebuild
from tests.browser.conftest import buyer_fills_the_cart, screenshot, sign_in, sunny_threads
from tests.factories import (
    OrderFactory,
    OrderLineFactory,
    SKUFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tile(page, key: str) -> str:
    return page.inner_text(f"[data-tile='{key}'] .tile-value")


def test_home_tiles_follow_a_storefront_order_and_analytics_downloads_last_month(page, password):
    shop, seller = sunny_threads()
    SKUFactory(product__shop=shop, product__title="Cozy Hoodie", price=Decimal("30.00"))
    first, last = previous_month_range(local_date())
    for i in range(4):  # last month's sales
        order = OrderFactory(
            shop=shop,
            total=Decimal("25.00"),
            placed_at=day_start(first + timedelta(days=i)) + timedelta(hours=12),
        )
        OrderLineFactory(order=order, quantity=2, line_total=Decimal("25.00"))
    rollup_rebuild(start=first - timedelta(days=40), end=local_date())

    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    for key in (
        "visitors",
        "items_sold",
        "revenue",
        "orders",
        "aov",
        "conversion",
        "returns",
        "response_rate",
        "late",
        "low_stock",
        "live",
        "health",
    ):
        assert page.locator(f"[data-tile='{key}']").count() == 1, key
    assert tile(page, "orders") == "0 today"

    # A buyer orders in another tab; the seller refreshes the tiles (htmx) and sees it.
    buyer = page.context.new_page()
    buyer.goto("/store/sunny/?src=live")
    buyer.click("text=Cozy Hoodie")
    buyer.click("text=Add to cart")
    buyer.wait_for_url("**/store/sunny/cart/")
    buyer_fills_the_cart(buyer)
    buyer.fill("#b-postcode", "12207")
    buyer.click("#place-order")
    buyer.wait_for_url("**/store/sunny/orders/**")
    buyer.close()

    page.click("button:has-text('Refresh')")
    page.locator("[data-tile='orders'] .tile-value", has_text="1 today").wait_for()
    screenshot(page, "dashboard-home")

    # Analytics → Last month → Download CSV: the rows add up to last month's orders.
    page.click("nav.sidenav >> text=Analytics")
    page.click("text=Last month")
    page.wait_for_selector("text=Download CSV")
    with page.expect_download() as download:
        page.click("text=Download CSV")
    rows = list(csv.DictReader(io.StringIO(open(download.value.path()).read())))
    assert len(rows) == (last - first).days + 1
    assert sum(int(r["Orders"]) for r in rows) == 4
    assert sum(Decimal(r["Revenue"]) for r in rows) == Decimal("100.00")
    assert sum(int(r["Items sold"]) for r in rows) == 8
    screenshot(page, "dashboard-analytics")
