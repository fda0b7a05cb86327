"""The product form links a shipping template chosen by its title: the search lists this shop's
templates only, another shop's template id is refused at the field with nothing saved, and the
quote at checkout uses the template the form saved."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from catalog.models import Product
from orders.models import ShippingTemplate, ShippingZone
from orders.services.shipping import QuoteItem, shipping_quote
from tests.catalog.test_product_form import form_data, two_variants, url
from tests.factories import SKUFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(shop, other_shop):
    with scope(shop=shop):
        standard = ShippingTemplate.objects.create(shop=shop, name="Standard", is_default=True)
        express = ShippingTemplate.objects.create(shop=shop, name="Express 2-day")
        ShippingTemplate.objects.create(shop=shop, name="Bulky freight")
        for template, rate in ((standard, "5.00"), (express, "15.00")):
            ShippingZone.objects.create(
                shop=shop, template=template, name="CA", states=["CA"], rate_type="flat",
                flat_rate=Decimal(rate),
            )  # fmt: skip
    with scope(shop=other_shop):
        theirs = ShippingTemplate.objects.create(shop=other_shop, name="Express overnight")
    return {"standard": standard, "express": express, "theirs": theirs}


def search(client, shop, **params):
    return client.get(
        url(shop, "catalog:product_shipping_templates"), params, headers={"HX-Request": "true"}
    )


def test_the_form_offers_the_shops_templates_with_the_default_named(owner_client, shop, templates):
    html = owner_client.get(url(shop)).content.decode()
    assert '<label for="id_shipping_template">Shipping template:</label>' in html
    assert '<option value="" selected>The shop&#x27;s default (Standard)</option>' in html
    assert f'<option value="{templates["express"].pk}">Express 2-day</option>' in html
    assert "Express overnight" not in html  # another shop's
    assert '<label for="template-q">Find a shipping template by title</label>' in html


def test_searching_by_title_lists_only_this_shops_matches_and_says_how_many(
    owner_client, shop, templates
):
    response = search(owner_client, shop, template_q="expr")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Express 2-day" in html and "Express overnight" not in html
    assert "Bulky freight" not in html
    assert "The shop&#x27;s default (Standard)" in html  # named, though "expr" does not match it
    assert "1 template matches “expr”" in html
    assert 'hx-swap-oob="innerHTML"' in html  # the status line a screen reader announces
    assert "No template matches “zzz”." in search(owner_client, shop, template_q="zzz").text


def test_a_search_keeps_the_chosen_template_and_drops_a_foreign_one(owner_client, shop, templates):
    chosen = templates["express"].pk
    html = search(owner_client, shop, template_q="bulky", shipping_template=chosen).text
    assert f'<option value="{chosen}" selected>Express 2-day</option>' in html
    assert "Bulky freight" in html
    foreign = templates["theirs"].pk
    html = search(owner_client, shop, template_q="", shipping_template=foreign).text
    assert str(foreign) not in html and "Express overnight" not in html


def test_the_chosen_template_is_saved_shown_again_and_used_by_the_quote(
    owner_client, shop, category, templates
):
    data = form_data(category, two_variants(), shipping_template=templates["express"].pk)
    assert owner_client.post(url(shop), data).status_code == 302
    with scope(shop=shop):
        product = Product.objects.get(shop=shop)
        assert product.shipping_template_id == templates["express"].pk
        quote = shipping_quote(
            shop=shop, state="CA",
            items=[QuoteItem(product_id=product.pk, quantity=1, unit_price=Decimal("24"))],
        )  # fmt: skip
    assert quote.fee == Decimal("15.00")
    edit = reverse(
        "catalog:product_edit", kwargs={"shop_slug": shop.slug, "product_id": product.pk}
    )
    html = owner_client.get(edit).content.decode()
    assert f'<option value="{templates["express"].pk}" selected>Express 2-day</option>' in html


def test_another_shops_template_id_is_refused_at_the_field_and_nothing_is_saved(
    owner_client, shop, category, templates
):
    data = form_data(category, two_variants(), shipping_template=templates["theirs"].pk)
    response = owner_client.post(url(shop), data)
    assert response.status_code == 400
    assert response.context["form"].errors["shipping_template"] == [
        "Choose one of this shop's shipping templates."
    ]
    assert '<a href="#id_shipping_template">Shipping template: Choose one' in response.text
    with scope(shop=shop):
        assert not Product.objects.exists()


def test_back_to_the_default_empties_the_link(owner_client, shop, category, templates):
    with scope(shop=shop):
        sku = SKUFactory(product__shop=shop, seller_sku="TEE-M", price=Decimal("24"))
        Product.objects.filter(pk=sku.product_id).update(
            shipping_template_id=templates["express"].pk
        )
    edit = reverse(
        "catalog:product_edit", kwargs={"shop_slug": shop.slug, "product_id": sku.product_id}
    )
    row = {"sku_id": sku.pk, "version": sku.version, "seller_sku": "TEE-M", "price": "24.00"}
    data = form_data(category, [row], shipping_template="", **{"variants-INITIAL_FORMS": "1"})
    assert owner_client.post(edit, data).status_code == 302
    with scope(shop=shop):
        assert Product.objects.get(pk=sku.product_id).shipping_template_id is None


def test_the_edit_page_runs_the_same_queries_with_more_variants_and_templates(
    owner_client, shop, templates
):
    with scope(shop=shop):
        sku = SKUFactory(product__shop=shop, seller_sku="A-1")
    edit = reverse(
        "catalog:product_edit", kwargs={"shop_slug": shop.slug, "product_id": sku.product_id}
    )
    owner_client.get(edit)  # warm the session and per-shop caches
    with CaptureQueriesContext(connection) as few:
        owner_client.get(edit)
    with scope(shop=shop):
        for n in range(2, 8):
            SKUFactory(product=sku.product, seller_sku=f"A-{n}")
        for n in range(5):
            ShippingTemplate.objects.create(shop=shop, name=f"Zone pack {n}")
    with CaptureQueriesContext(connection) as many:
        owner_client.get(edit)
    assert len(many) == len(few)
