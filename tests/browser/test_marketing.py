"""Marketing, tried as a new user would: the seller creates a coupon
and a discount, a buyer sees the sale price struck through and uses the coupon at checkout, the
order shows the discount, and the Marketing page shows the coupon's one use and its revenue."""

from decimal import Decimal

import pytest
from django_scopes import scope

from lifecycle.models import EligibilityEvaluation
from orders.models import Order
from tests.browser.conftest import buyer_fills_the_cart, screenshot, sign_in, sunny_threads
from tests.factories import CampaignFactory, SKUFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_seller_creates_a_coupon_and_a_buyer_uses_it_at_checkout(browser, page, password):
    shop, seller = sunny_threads()
    CampaignFactory(name="Black Friday")
    SKUFactory(product__shop=shop, product__title="Cozy Hoodie", price=Decimal("40.00"))
    SKUFactory(product__shop=shop, product__title="Canvas Tote", price=Decimal("15.00"))

    # --- the seller: an empty Marketing page, then a coupon and a discount ---------------------
    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    assert "Black Friday" in page.inner_text("#campaigns")  # the Home campaigns panel
    screenshot(page, "marketing-0-home-campaigns")
    page.click("nav.sidenav >> text=Marketing")
    assert "No coupons yet" in page.content()
    page.click("text=New coupon")
    page.fill("#f-code", "welcome5")
    page.select_option("#f-kind", "fixed")
    page.fill("#f-value", "5")
    page.fill("#f-min", "20")
    page.fill("#f-limit", "100")
    screenshot(page, "marketing-1-new-coupon")
    page.click("text=Create coupon")
    page.wait_for_selector("#coupons >> text=WELCOME5")
    assert "Coupon WELCOME5 saved." in page.inner_text(".toasts")

    page.click(".tabs >> text=Discounts")
    page.click("text=New discount")
    page.fill("#f-name", "Hoodie week")
    page.fill("#f-value", "150")  # a typo: more than 100%
    page.check("label:has-text('Cozy Hoodie') input")
    page.click("text=Create discount")
    assert "A discount cannot be more than 100%." in page.inner_text("#form-error")
    page.fill("#f-value", "25")
    page.click("text=Create discount")
    page.wait_for_selector("#discounts >> text=Hoodie week")
    screenshot(page, "marketing-2-discounts")

    # --- the buyer, in another browser: struck-through price, coupon at checkout ---------------
    buyer_context = browser.new_context(base_url=page.url.split("/shops/")[0])
    buyer = buyer_context.new_page()
    buyer.set_default_timeout(15_000)
    buyer.goto("/store/sunny/")
    hoodie = buyer.locator(".product-card", has_text="Cozy Hoodie")
    assert hoodie.locator(".was-price").inner_text() == "$40.00"
    assert hoodie.locator(".sale-price").inner_text() == "$30.00"
    screenshot(buyer, "marketing-3-storefront-sale-price")
    hoodie.click()
    buyer.click("text=Add to cart")
    buyer.wait_for_url("**/store/sunny/cart/")
    assert buyer.inner_text("#cart-subtotal") == "$30.00"
    buyer_fills_the_cart(buyer, city="Los Angeles", state="CA")
    buyer.fill("#b-postcode", "90001")
    buyer.fill("#b-coupon", "WELCOME6")
    buyer.click("#place-order")
    buyer.wait_for_selector("#checkout-error:not([hidden])")
    assert "There is no coupon “WELCOME6” at Sunny Threads." in buyer.inner_text("#checkout-error")
    buyer.fill("#b-coupon", "welcome5")
    screenshot(buyer, "marketing-4-cart-with-coupon")
    buyer.click("#place-order")
    buyer.wait_for_url("**/store/sunny/orders/**")
    with scope(shop=shop):
        order = Order.objects.get()
    # $40 hoodie at 25% off = $30, $5 coupon, $5 shipping → $30 paid.
    assert (order.discount, order.total) == (Decimal("15.00"), Decimal("30.00"))
    assert "−$15.00" in buyer.content() and "$30.00" in buyer.content()
    screenshot(buyer, "marketing-5-buyer-order-with-discount")
    buyer_context.close()

    # --- the seller sees the order's discount and the coupon's use and revenue ------------------
    page.click("nav.sidenav >> text=Orders")
    page.locator("#order-table tbody tr", has_text=order.number).locator("a").first.click()
    totals = page.content()
    assert "−$15.00" in totals
    assert "−$10.00 discount “Hoodie week”" in totals and "−$5.00 coupon WELCOME5" in totals
    screenshot(page, "marketing-7-seller-order-discount")
    page.click("nav.sidenav >> text=Marketing")
    row = page.locator("#coupons tbody tr", has_text="WELCOME5")
    assert row.locator("td").nth(3).inner_text().strip() == "1 / 100"
    assert row.locator(".coupon-orders").inner_text() == "1"
    assert row.locator(".coupon-revenue").inner_text() == "$30.00"
    screenshot(page, "marketing-6-coupon-performance")
    with page.expect_download() as download:
        page.click("text=Download CSV")
    assert download.value.suggested_filename == "sunny-coupons.csv"
    page.click(".tabs >> text=Campaigns")
    assert "not eligible" in page.inner_text("main")
    screenshot(page, "marketing-8-campaigns-tab")

    # Once eligible, the seller registers the tote for Black Friday (a too-high price first).
    EligibilityEvaluation.objects.create(shop=shop, trigger="on_demand", eligible=True)
    page.reload()
    page.click("text=Register products")
    page.select_option(
        "#f-product", label="Canvas Tote — regular $15.00, campaign price at most $12.00"
    )
    page.fill("#f-price", "12.50")
    page.click("text=Register product")
    assert "at most $12.00" in page.inner_text("#form-error")
    screenshot(page, "marketing-9-campaign-register-refused")
    page.fill("#f-price", "11.99")
    page.click("text=Register product")
    page.wait_for_selector("#registrations >> text=Canvas Tote")
    screenshot(page, "marketing-10-campaign-registered")
