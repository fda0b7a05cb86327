"""Finance, the product form and orders in bulk, driven in the browser as a seller would."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from catalog.models import SKU, Product
from common.clock import local_date
from orders.finance import services as finance_svc
from orders.models import Order
from tests.browser.conftest import sign_in
from tests.browser.ux_shop import build_ux_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_reads_as_money_events_and_the_statement_prints(page, password):
    shop, seller, sold = build_ux_shop(settle=False)
    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    page.click("nav.sidenav >> text=Finance")
    # Nothing available yet: Withdraw is disabled and says why.
    assert page.is_disabled("#withdraw-form button")
    assert "Nothing to withdraw yet" in page.inner_text("#withdraw-why")
    assert page.inner_text("#balance-pending") == "$94.60"

    finance_svc.finance_settle_due(as_of=timezone.now())
    page.reload()
    rows = page.locator("#ledger tbody tr")
    assert rows.count() == 3  # sale, commission, and the settlement once
    settled = page.locator("#ledger tr.ledger-settlement")
    assert settled.count() == 1
    assert f"Order {sold.number} settled: $94.60 now available" in settled.inner_text()
    assert page.is_enabled("#withdraw-form button")
    settled.locator(f"a:has-text('{sold.number}')").click()
    page.wait_for_url(f"**/orders/{sold.pk}/")

    month = local_date(timezone.now()).strftime("%Y-%m")
    page.goto(
        reverse("orders:finance_statement", kwargs={"shop_slug": shop.slug}) + f"?month={month}"
    )
    events = page.locator("#ledger tbody tr").count()  # this month's share of the three
    assert f"1\u2013{events} of {events}" in page.inner_text(".pagination")
    page.click("#printable")
    page.emulate_media(media="print")
    assert not page.is_visible("nav.sidenav") and not page.is_visible("header.topbar")
    assert page.locator("#ledger tbody tr").count() == events
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.click("text=Download CSV")
    assert download.value.path().read_text().count(",Settlement,") == 2


def test_product_form_adds_and_removes_variants_and_shows_every_error(page, password):
    shop, seller, _ = build_ux_shop()
    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    page.goto(reverse("catalog:product_create", kwargs={"shop_slug": shop.slug}))
    assert page.locator("tr.variant-row").count() == 1
    for _ in range(3):
        page.click("#add-variant")
    page.wait_for_selector("input[name=variants-3-seller_sku]")
    assert page.input_value("#id_variants-TOTAL_FORMS") == "4"
    page.click("tr.variant-row:nth-child(2) .remove-variant")  # the second row goes
    expect(page.locator("tr.variant-row")).to_have_count(3)
    for index, code in ((0, "CAP-S"), (2, "CAP-M"), (3, "CAP-L")):
        page.fill(f"input[name=variants-{index}-seller_sku]", code)
        page.fill(f"input[name=variants-{index}-price]", "19.00")
    page.fill("input[name=variants-3-price]", "0")
    page.click("button[name=save]")  # no title, one bad price: both reported at once
    summary = page.inner_text("#form-errors")
    assert "Title: This field is required." in summary
    assert "Variant" in summary and "Price" in summary
    assert page.is_visible("#id_title_error")  # and again at the field
    assert page.locator("tr.variant-row").count() == 3  # the removed row stays removed
    page.fill("input[name=title]", "Corduroy cap")
    page.fill("input[name=variants-3-price]", "21.00")
    page.click("button[name=save]")
    page.wait_for_selector("#product-status")
    with scope(shop=shop):
        product = Product.objects.get(title="Corduroy cap")
        codes = sorted(SKU.objects.filter(product=product).values_list("seller_sku", flat=True))
    assert codes == ["CAP-L", "CAP-M", "CAP-S"]
    page.click("a:has-text('Edit')")
    assert page.locator("tr.variant-row").count() == 3  # editing shows no empty row


def test_orders_are_selected_in_bulk_and_marked_shipped(page, password):
    shop, seller, _ = build_ux_shop()
    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    page.goto(reverse("orders:order_list", kwargs={"shop_slug": shop.slug}) + "?status=to_ship")
    assert page.is_disabled("button:has-text('Mark shipped')")
    page.check("input[data-select-all=order-bulk]")
    assert page.inner_text("[data-selected-count=order-bulk]") == "6 selected"
    page.uncheck("#order-table tbody tr:nth-child(6) input[name=ids]")
    page.uncheck("#order-table tbody tr:nth-child(5) input[name=ids]")
    page.uncheck("#order-table tbody tr:nth-child(4) input[name=ids]")
    page.uncheck("#order-table tbody tr:nth-child(3) input[name=ids]")
    assert page.inner_text("[data-selected-count=order-bulk]") == "2 selected"
    page.click("button:has-text('Mark shipped')")
    page.wait_for_selector("h1:has-text('Mark 2 orders shipped')")
    inputs = page.locator("input[name^=tracking_]")
    inputs.nth(0).fill("1Z999AA10123456784")
    inputs.nth(1).fill("1Z999AA10123456785")
    page.click("button:has-text('Mark 2 shipped')")
    page.wait_for_selector("text=2 orders shipped.")
    with scope(shop=shop):
        assert Order.objects.filter(status=Order.Status.AWAITING_COLLECTION).count() == 2
