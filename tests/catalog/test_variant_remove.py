"""Removing a saved variant from the product form: in place (htmx, after the browser's "Remove
…?") or through a confirmation page without script. Refused while open orders hold reserved
units of it, and for the product's last variant; past orders keep their copy, the security log
keeps the removal, another shop's variant is a 404."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope

from accounts.models import AuditEvent
from catalog.models import SKU
from orders.models import OrderLine
from tests.catalog.test_product_form import form_data
from tests.factories import OrderLineFactory, SKUFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def tees(shop):
    with scope(shop=shop):
        small = SKUFactory(product__shop=shop, seller_sku="TEE-S", price=Decimal("24"), on_hand=3)
        medium = SKUFactory(product=small.product, seller_sku="TEE-M", price=Decimal("24"))
    return small, medium


def remove_url(sku, **query):
    path = reverse(
        "catalog:product_variant_remove",
        kwargs={"shop_slug": sku.shop.slug, "product_id": sku.product_id, "sku_id": sku.pk},
    )
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def edit_url(sku):
    return reverse(
        "catalog:product_edit", kwargs={"shop_slug": sku.shop.slug, "product_id": sku.product_id}
    )


def test_saved_rows_have_a_remove_button_that_asks_first(owner_client, tees):
    small, _ = tees
    html = owner_client.get(edit_url(small)).text
    assert html.count("remove-saved-variant") == 2
    assert 'hx-confirm="Remove variant TEE-S?' in html
    assert f'hx-post="{remove_url(small, confirm=1, row=0).replace("&", "&amp;")}"' in html
    assert 'aria-label="Remove variant 1 (TEE-S)"' in html
    assert 'id="variant-status"' in html and 'aria-live="polite"' in html


def test_removing_in_place_marks_the_row_and_announces_it(owner_client, shop, tees):
    small, medium = tees
    with scope(shop=shop):
        line = OrderLineFactory(order__shop=shop, sku=small, seller_sku="TEE-S", title="Tee, S")
    response = owner_client.post(remove_url(small, confirm=1, row=0), headers=HTMX)
    assert response.status_code == 200
    assert '<input type="hidden" name="variants-0-DELETE" value="on">' in response.text
    # The factory's live product has no image: without TEE-S it is re-checked, as after an edit.
    assert (
        "Variant TEE-S removed. The product is no longer live — fix: Add at least one image."
    ) in response.text
    assert 'id="product-badge" hx-swap-oob="true">Issues</span>' in response.text
    with scope(shop=shop):
        assert list(SKU.objects.values_list("seller_sku", flat=True)) == ["TEE-M"]
        line = OrderLine.objects.get(pk=line.pk)  # the past order keeps its copy
        assert (line.sku_id, line.seller_sku, line.title) == (None, "TEE-S", "Tee, S")
        event = AuditEvent.objects.get(action="product.variant_removed")
    assert event.changes["variant"][0].startswith("TEE-S") and event.changes["on hand"][0] == 3


def test_the_form_saved_after_a_removal_skips_the_removed_row(owner_client, shop, category, tees):
    small, medium = tees
    owner_client.post(remove_url(small, confirm=1, row=0), headers=HTMX)
    rows = [
        {"DELETE": "on"},  # what the removed row left in the form
        {"sku_id": medium.pk, "version": medium.version, "seller_sku": "TEE-M", "price": "26.00"},
    ]
    data = form_data(category, rows, **{"variants-INITIAL_FORMS": "2"})
    response = owner_client.post(edit_url(medium), data)
    assert response.status_code == 302, response.context and response.context["error_summary"]
    with scope(shop=shop):
        assert list(SKU.objects.values_list("seller_sku", "price")) == [("TEE-M", Decimal("26"))]


def test_a_variant_with_units_reserved_for_open_orders_is_refused(owner_client, shop, tees):
    small, _ = tees
    with scope(shop=shop):
        SKU.objects.filter(pk=small.pk).update(reserved=2)
    response = owner_client.post(remove_url(small, confirm=1, row=0), headers=HTMX)
    assert response.status_code == 409
    assert response["HX-Reswap"] == "none"  # the row stays as the seller left it
    assert (
        "TEE-S cannot be removed: 2 units are reserved for open orders. "
        "Ship or cancel those orders first."
    ) in response.text
    with scope(shop=shop):
        assert SKU.objects.filter(pk=small.pk).exists()
        assert not AuditEvent.objects.filter(action="product.variant_removed").exists()


def test_the_last_variant_is_refused(owner_client, shop, tees):
    small, medium = tees
    owner_client.post(remove_url(medium, confirm=1, row=1), headers=HTMX)
    response = owner_client.post(remove_url(small, confirm=1, row=0), headers=HTMX)
    assert response.status_code == 409
    assert (
        "TEE-S is the product&#x27;s only variant: add another before removing it." in response.text
    )
    with scope(shop=shop):
        assert SKU.objects.filter(pk=small.pk).exists()


def test_without_script_a_confirmation_page_comes_first(owner_client, shop, tees):
    small, _ = tees
    page = owner_client.post(remove_url(small), {"row": "0", "title": "typed"})
    assert page.status_code == 200
    assert "Remove variant TEE-S?" in page.text
    with scope(shop=shop):
        assert SKU.objects.filter(pk=small.pk).exists()  # nothing removed yet
    done = owner_client.post(remove_url(small), {"confirm": "1"})
    assert done.status_code == 302 and done["Location"] == edit_url(small)
    with scope(shop=shop):
        assert not SKU.objects.filter(pk=small.pk).exists()


def test_another_shops_variant_or_another_products_is_a_404(owner_client, shop, other_shop, tees):
    small, _ = tees
    with scope(shop=other_shop):
        theirs = SKUFactory(product__shop=other_shop)
    with scope(shop=shop):
        elsewhere = SKUFactory(product__shop=shop)
    forged = reverse(
        "catalog:product_variant_remove",
        kwargs={"shop_slug": shop.slug, "product_id": small.product_id, "sku_id": theirs.pk},
    )
    assert owner_client.post(forged + "?confirm=1").status_code == 404
    mixed = reverse(
        "catalog:product_variant_remove",
        kwargs={"shop_slug": shop.slug, "product_id": small.product_id, "sku_id": elsewhere.pk},
    )
    assert owner_client.post(mixed + "?confirm=1").status_code == 404
    with scope(shop=other_shop):
        assert SKU.objects.filter(pk=theirs.pk).exists()
    assert owner_client.get(remove_url(small)).status_code == 405
