"""LIVE selling, tried as a manager would: schedule a session, pin two products with live
prices, start it; the storefront shows the live price; orders placed through the JSON checkout
appear on the live dashboard within one refresh; the manager ends the session and downloads the
summary CSV."""

import json
from decimal import Decimal

import pytest
import requests

from tests.browser.conftest import screenshot, sign_in
from tests.factories import MembershipFactory, ShopFactory, SKUFactory, UserFactory
from tests.orders.conftest import buyer, make_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checkout(base_url: str, sku_id: int, email: str) -> int:
    with requests.Session() as http:
        http.get(f"{base_url}/store/glow/cart/", timeout=30)
        response = http.post(
            f"{base_url}/store/glow/checkout/",
            data=json.dumps(
                {"items": [{"sku_id": sku_id, "quantity": 1}], "buyer": buyer(email=email).__dict__}
            ),
            headers={
                "Content-Type": "application/json",
                "X-CSRFToken": http.cookies.get("csrftoken", ""),
            },
            timeout=30,
        )
        return response.status_code


def glow_shop():
    """Glow Beauty, its manager Max, a shipping template and a $30 Vitamin Serum (40 on hand)."""
    shop = ShopFactory(name="Glow Beauty", slug="glow")
    manager = MembershipFactory(shop=shop, role="manager", user=UserFactory(email="max@glow.test"))
    make_template(shop)
    serum = SKUFactory(product__shop=shop, product__title="Vitamin Serum", price=Decimal("30.00"),
                       on_hand=40)  # fmt: skip
    return shop, manager, serum


def test_manager_runs_a_live_session_from_schedule_to_summary(page, live_server, password):
    shop, manager, serum = glow_shop()
    balm = SKUFactory(product__shop=shop, product__title="Lip Balm", price=Decimal("8.00"),
                      on_hand=40)  # fmt: skip

    sign_in(page, manager.user.email, password)
    page.wait_for_url("**/shops/glow/")
    page.goto("/shops/glow/marketing/live/")
    assert "No LIVE sessions yet" in page.content()
    page.click("text=Schedule a session")
    page.fill("#f-title", "Glow LIVE")
    page.fill("#f-length", "0")
    page.click("button:has-text('Schedule')")
    assert "must end after it starts" in page.content()
    page.fill("#f-length", "45")
    page.click("button:has-text('Schedule')")
    page.wait_for_selector("#live-pin-form")

    for title, price in (("Vitamin Serum", "19.99"), ("Lip Balm", "5.00")):
        page.select_option("#f-product", label=title)
        page.fill("#f-live-price", price)
        page.fill("#f-allocation", "20")
        page.fill("#f-per-buyer", "2")
        page.click("#live-pin-submit")
        page.wait_for_selector(f"#live-pins >> text={title}")
    screenshot(page, "live-1-pinned")
    page.click("#live-start")
    page.wait_for_selector("#live-status >> text=Live")
    detail = page.url

    store = page.context.new_page()
    store.goto(f"/store/glow/products/{serum.product_id}/")
    assert store.is_visible("#live-badge") and "$19.99" in store.inner_text(".store-price")
    screenshot(store, "live-2-storefront")
    store.close()

    assert checkout(live_server.url, serum.pk, "ann@example.com") == 201
    assert checkout(live_server.url, balm.pk, "bo@example.com") == 201
    # The dashboard polls every few seconds: the orders appear without a reload.
    page.wait_for_selector('#live-orders:text-is("2")', timeout=20_000)
    assert page.url == detail
    assert "19 / 20" in page.inner_text("#live-pins")
    screenshot(page, "live-3-dashboard")

    page.click("#live-end")
    page.wait_for_selector("#live-end-confirm >> text=End “Glow LIVE”?")
    page.click("#live-end-yes")
    page.wait_for_selector("#live-status >> text=Ended")
    with page.expect_download() as download:
        page.click("#live-export")
    text = open(download.value.path(), encoding="utf-8").read()
    assert "Vitamin Serum" in text and "Lip Balm" in text and "19.99" in text
