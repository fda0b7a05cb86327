"""The product form's shipping template search, the zone form's rate fields and removing a saved
variant, driven in Chromium as a seller would; axe finds no critical or serious violation on
either form as the seller leaves it (the screenshots at both widths: test_ux_pages.py)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope
from playwright.sync_api import expect

from catalog.models import SKU, Product
from orders.models import ShippingTemplate, ShippingZone
from tests.browser.axe import axe_violations, describe
from tests.browser.conftest import screenshot, sign_in
from tests.browser.ux_shop import build_ux_shop
from tests.factories import ShopFactory, SKUFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(page, password):
    shop, seller, _ = build_ux_shop()
    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    return shop


def _edit_url(product_id: int, shop) -> str:
    return reverse(
        "catalog:product_edit", kwargs={"shop_slug": shop.slug, "product_id": product_id}
    )


def test_a_product_links_a_shipping_template_found_by_its_title(page, password):
    shop = _signed_in(page, password)
    with scope(shop=shop):
        express = ShippingTemplate.objects.create(shop=shop, name="Express 2-day")
        ShippingTemplate.objects.create(shop=shop, name="Bulky freight")
        product = Product.objects.get(title="Organic cotton tee")
    other = ShopFactory(name="Glow Lab", slug="glow")
    with scope(shop=other):
        ShippingTemplate.objects.create(shop=other, name="Express overnight")
    page.goto(_edit_url(product.pk, shop))
    expect(page.locator("#template-search")).to_be_visible()  # script shows the search
    page.fill("#template-q", "expr")
    status = page.locator("#template-search-status")
    expect(status).to_have_text("1 template matches “expr”: choose one in the list.")
    options = page.locator("#id_shipping_template option").all_inner_texts()
    assert options == ["The shop's default (Standard)", "Express 2-day"]
    page.press("#template-q", "Enter")  # searches again; never submits the product form
    expect(status).to_contain_text("1 template matches")
    assert page.url.endswith("/edit/")
    found = axe_violations(page)
    assert not found, describe(found)
    screenshot(page, "form/product-template-search")
    page.select_option("#id_shipping_template", label="Express 2-day")
    page.click("button[name=save]")
    page.wait_for_selector("#product-status")
    with scope(shop=shop):
        assert Product.objects.get(pk=product.pk).shipping_template_id == express.pk
    page.goto(_edit_url(product.pk, shop))
    chosen = page.locator("#id_shipping_template option:checked")
    expect(chosen).to_have_text("Express 2-day")


def test_a_zone_shows_only_the_rate_fields_its_type_needs(page, password):
    shop = _signed_in(page, password)
    with scope(shop=shop):
        template = ShippingTemplate.objects.get(shop=shop, name="Standard")
    page.goto(
        reverse(
            "orders:shipping_template",
            kwargs={"shop_slug": shop.slug, "shipping_template_id": template.pk},
        )
    )
    flat, first, extra, tiers = "#z-flat", "#z-first", "#z-add", "#z-tiers"
    expect(page.locator(flat)).to_be_visible()  # "Flat rate per order" is chosen first
    for hidden in (first, extra, tiers):
        expect(page.locator(hidden)).to_be_hidden()
    page.fill(flat, "7.00")
    page.select_option("#z-rate", "per_item")
    expect(page.locator(flat)).to_be_hidden()
    expect(page.locator(first)).to_be_visible()
    expect(page.locator(extra)).to_be_visible()
    page.select_option("#z-rate", "weight")
    expect(page.locator(tiers)).to_be_visible()
    for hidden in (flat, first, extra):
        expect(page.locator(hidden)).to_be_hidden()
    found = axe_violations(page)
    assert not found, describe(found)
    screenshot(page, "form/zone-weight-tiers")
    page.fill("#z-name", "Islands")
    page.check("input[name=states][value=HI]")
    page.fill(tiers, "500=6.00\n2000=11.00")
    page.click("button:has-text('Add zone')")
    page.wait_for_selector("text=Zone “Islands” added.")
    with scope(shop=shop):
        zone = ShippingZone.objects.get(template=template, name="Islands")
    assert zone.rate_type == "weight" and zone.flat_rate == 0  # the hidden 7.00 was not kept
    assert zone.weight_tiers[-1] == {"up_to_grams": 2000, "rate": "11.00"}


def test_a_saved_variant_is_removed_after_confirming_unless_orders_hold_it(page, password):
    shop = _signed_in(page, password)
    with scope(shop=shop):
        product = Product.objects.get(title="Linen overshirt")
        held, spare = product.skus.order_by("pk")
        held.seller_sku, held.reserved = "SHIRT-M", 1
        held.save(update_fields=["seller_sku", "reserved"])
        spare.seller_sku = "SHIRT-L"
        spare.save(update_fields=["seller_sku"])
        SKUFactory(product=product, seller_sku="SHIRT-XL", price=Decimal("24.50"))
    page.goto(_edit_url(product.pk, shop))
    rows = page.locator("tr.variant-row")
    expect(rows).to_have_count(3)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept() if "SHIRT-XL" not in dialog.message else dialog.dismiss()

    page.on("dialog", answer)
    page.click("button[aria-label='Remove variant 1 (SHIRT-M)']")
    status = page.locator("#variant-status")
    expect(status).to_contain_text("SHIRT-M cannot be removed: 1 unit is reserved for open orders.")
    expect(rows).to_have_count(3)  # refused: the row stays
    page.click("button[aria-label='Remove variant 3 (SHIRT-XL)']")  # asked, then kept
    page.click("button[aria-label='Remove variant 2 (SHIRT-L)']")
    expect(status).to_contain_text("Variant SHIRT-L removed.")
    expect(page.locator("#product-badge")).to_have_text("Issues")  # re-checked without it
    expect(rows).to_have_count(2)
    screenshot(page, "form/variant-removed")
    assert [m.split("?")[0] for m in dialogs] == [
        "Remove variant SHIRT-M",
        "Remove variant SHIRT-XL",
        "Remove variant SHIRT-L",
    ]
    page.fill("input[name=title]", "Linen overshirt, relaxed")  # the rest of the form still saves
    page.click("button[name=save]")
    page.wait_for_selector("#product-status")
    with scope(shop=shop):
        codes = sorted(SKU.objects.filter(product=product).values_list("seller_sku", flat=True))
        assert Product.objects.get(pk=product.pk).title == "Linen overshirt, relaxed"
    assert codes == ["SHIRT-M", "SHIRT-XL"]
