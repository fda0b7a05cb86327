"""Orders and shipping, tried as a new user would: a buyer orders from the storefront, the
seller ships in two packages, the carrier delivers, and the window closes the order. A seller
builds a shipping template and previews quotes."""

import json
import re
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scope

from common.policy import POLICY
from common.webhooks import signed_headers
from orders.models import Order
from orders.services.fulfillment.delivery import complete_delivered_orders
from tests.browser.conftest import buyer_fills_the_cart, screenshot, sign_in, sunny_threads
from tests.factories import MembershipFactory, ShopFactory, SKUFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECRET = "browser-carrier-secret"


def test_buyer_orders_two_products_and_the_seller_ships_them_in_two_packages(
    page, password, settings
):
    settings.CARRIER_WEBHOOK_SECRET = SECRET
    shop, seller = sunny_threads()
    SKUFactory(product__shop=shop, product__title="Cozy Hoodie", price=Decimal("30.00"))
    SKUFactory(product__shop=shop, product__title="Canvas Tote", price=Decimal("15.00"))

    # --- the buyer ---------------------------------------------------------------------------
    page.goto("/store/sunny/?src=video")
    for title in ("Cozy Hoodie", "Canvas Tote"):
        page.click(f"text={title}")
        page.click("text=Add to cart")
        page.wait_for_url("**/store/sunny/cart/")
        page.click(".store-name")
    page.click(".store-cart")
    buyer_fills_the_cart(page)
    assert "$8.00" in page.inner_text("#quote")  # per item: 6 + 2
    page.fill("#b-postcode", "12207")
    screenshot(page, "orders-1-storefront-cart")
    page.click("#place-order")
    page.wait_for_url("**/store/sunny/orders/**")
    with scope(shop=shop):
        order = Order.objects.get()
    assert order.number in page.content() and order.total == Decimal("53.00")
    assert page.inner_text("#buyer-order-status") == "Awaiting shipment"
    screenshot(page, "orders-5-buyer-order-page")
    [email] = mail.outbox
    assert page.url.split("/store/")[1] in email.body  # the email carries the same signed link

    # --- the seller: awaiting shipment, ship-by date ------------------------------------------
    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    page.click("nav.sidenav >> text=Orders")
    page.click(".tabs >> text=Awaiting shipment")
    screenshot(page, "orders-4-awaiting-shipment-tab")
    row = page.locator("#order-table tbody tr", has_text=order.number)
    ship_by = order.ship_by.astimezone(ZoneInfo(settings.PLATFORM_TIME_ZONE)).strftime("%b %-d")
    assert ship_by in row.inner_text()
    row.locator("a").click()
    assert "Ship by" in page.inner_text("#ship-by")

    # Ship the hoodie now with UPS, the tote later.
    with scope(shop=shop):
        tote = order.lines.get(title="Canvas Tote")
    page.fill(f"input[name=qty_{tote.pk}]", "0")
    page.select_option("select[name=carrier]", "ups")
    page.select_option("select[name=service]", "UPS Ground")
    page.fill("input[name=tracking_number]", "1Z12345E0205271688")
    screenshot(page, "orders-2-ship-first-package")
    page.click("text=Ship package")
    page.wait_for_selector("#order-status >> text=Partially shipped")

    # A typo in the second tracking number is refused clearly; then it ships.
    page.select_option("select[name=service]", "UPS 2nd Day Air")
    page.fill("input[name=tracking_number]", "1Z123")
    page.click("text=Ship package")
    assert "not a UPS tracking number" in page.inner_text("#order-error")
    page.fill("input[name=tracking_number]", "1Z12345E1305277940")
    page.click("text=Ship package")
    page.wait_for_selector("#order-status >> text=Awaiting collection")
    assert page.locator("#packages tbody tr").count() == 2
    order_page = page.url
    page.goto(order_page + "packing-slip/")
    assert "Packing slip" in page.content() and "Canvas Tote" in page.content()
    screenshot(page, "orders-6-packing-slip")
    page.goto(order_page)

    # --- the carrier delivers both parcels ----------------------------------------------------
    for tracking in ("1Z12345E0205271688", "1Z12345E1305277940"):
        body = json.dumps({"carrier": "ups", "tracking_number": tracking, "event": "delivered"})
        response = page.request.post(
            "/webhooks/carrier/",
            data=body,
            headers={
                "Content-Type": "application/json",
                **signed_headers(secret=SECRET, event_id=f"evt-{tracking}", body=body.encode()),
            },
        )
        assert response.status == 200, response.text()
    page.reload()
    assert page.inner_text("#order-status") == "Delivered"

    # --- after the return window, the beat task completes it ----------------------------------
    window = POLICY.return_window_days
    assert complete_delivered_orders(now=timezone.now() + timedelta(days=window, minutes=1)) == 1
    page.reload()
    assert page.inner_text("#order-status") == "Completed"
    history = page.inner_text("#history")
    for step in ("Partially shipped", "Awaiting collection", "Delivered", "Completed"):
        assert step in history


def test_seller_builds_a_two_zone_template_with_free_shipping_and_previews_quotes(page, password):
    shop = ShopFactory(name="Lumen Home", slug="lumen")
    seller = MembershipFactory(shop=shop, role="owner", user=UserFactory(email="li@lumen.test"))
    sign_in(page, seller.user.email, password)
    page.wait_for_url("**/shops/lumen/")
    page.click("nav.sidenav >> text=Shipping")
    assert "No shipping templates yet" in page.content()
    page.fill("#t-name", "Standard")
    page.fill("#t-free", "50")
    page.click("text=Create template")
    page.wait_for_url(re.compile(r".*/shipping/\d+/$"))

    def add_zone(name, states, rate_type, **rates):
        page.fill("#add-zone #z-name", name)
        for state in states:
            page.check(f"#add-zone input[name=states][value={state}]")
        page.select_option("#add-zone #z-rate", rate_type)
        for field, value in rates.items():
            page.fill(f"#add-zone input[name={field}]", value)
        page.click("text=Add zone")
        page.wait_for_selector(f"#zones >> text={name}")

    add_zone("West", ["CA", "OR", "WA"], "flat", flat_rate="5.00")
    add_zone(
        "East", ["NY", "NJ", "MA"], "per_item", first_item_rate="6.00", additional_item_rate="2"
    )
    # A state already in a zone is refused with a message that names the zone.
    add_zone_attempt = page.locator("#add-zone")
    page.fill("#add-zone #z-name", "Oops")
    add_zone_attempt.locator("input[name=states][value=CA]").check()
    page.click("text=Add zone")
    assert "CA (in West)" in page.inner_text("#template-error")
    assert page.input_value("#add-zone #z-name") == "Oops"  # what was typed stays

    def preview(state, quantity, subtotal, expect):
        page.select_option("#q-state", state)
        page.fill("#q-qty", str(quantity))
        page.fill("#q-sub", subtotal)
        with page.expect_response(lambda r: "state=" in r.url):
            page.click("text=Get quote")
        page.wait_for_selector(f"#quote-result >> text={expect}")
        return page.inner_text("#quote-result")

    assert "2–5 days" in preview("CA", 1, "20.00", "$5.00")
    assert "2–5 days" in preview("NY", 3, "30.00", "$10.00")
    assert "Free shipping on orders over $50.00" in preview("NY", 3, "50.00", "Free shipping")
    preview("TX", 1, "20.00", "does not ship to Texas")
    assert "TX" in page.inner_text("#not-shipped")
    preview("CA", 2, "75.00", "Free shipping")
    screenshot(page, "orders-3-shipping-template")
    page.goto("/shops/lumen/shipping/")
    assert "Default" in page.inner_text("#templates") and "over $50.00" in page.inner_text(
        "#templates"
    )
