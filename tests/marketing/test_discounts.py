"""Discounts (SPEC §8): percentage or fixed, on chosen products, time-limited; the storefront
shows the sale price with the original struck through, and checkout charges the same."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from common.clock import platform_tz
from orders.marketing.models import Discount, OrderPromotion
from tests.factories import DiscountFactory
from tests.marketing.conftest import place

pytestmark = pytest.mark.django_db


def test_running_discount_applies_only_to_its_products(shop, sku, sku2):
    with scope(shop=shop):
        discount = DiscountFactory(
            shop=shop, kind="percent", value=Decimal("25"), products=[sku.product]
        )
        order = place(shop, (sku, 1), (sku2, 2))
        assert order.subtotal == Decimal("45.00")  # lines keep regular prices
        assert order.discount == Decimal("5.00")  # 25% of the $20 hoodie only
        assert order.total == Decimal("45.00")  # 45 + 5 shipping − 5
        promo = OrderPromotion.objects.get(order=order)
    assert (promo.kind, promo.discount_id) == ("discount", discount.pk)


def test_fixed_discount_is_per_item(shop, sku):
    DiscountFactory(shop=shop, kind="fixed", value=Decimal("3.50"), products=[sku.product])
    assert place(shop, (sku, 3)).discount == Decimal("10.50")


def test_discount_window_boundaries(shop, sku):
    now = timezone.now()
    DiscountFactory(
        shop=shop, products=[sku.product], starts_at=now, ends_at=now + timedelta(hours=1)
    )
    assert place(shop, (sku, 1), now=now).discount == Decimal("5.00")  # starts_at counts
    assert place(shop, (sku, 1), now=now - timedelta(seconds=1)).discount == 0
    assert place(shop, (sku, 1), now=now + timedelta(hours=1)).discount == 0  # ends_at does not


def test_storefront_strikes_through_the_original_price(client, shop, sku):
    DiscountFactory(shop=shop, value=Decimal("25"), products=[sku.product])
    home = client.get(reverse("store:home", kwargs={"store_slug": shop.slug})).content.decode()
    assert '<s class="was-price">$20.00</s> <span class="sale-price">$15.00</span>' in home
    kw = {"store_slug": shop.slug, "product_id": sku.product_id}
    product = client.get(reverse("store:product", kwargs=kw)).content.decode()
    assert '<s class="was-price">$20.00</s>' in product
    assert "$15.00 (was $20.00)" in product
    client.post(reverse("store:cart", kwargs={"store_slug": shop.slug}), {"sku_id": sku.pk})
    cart = client.get(reverse("store:cart", kwargs={"store_slug": shop.slug})).content.decode()
    assert '<s class="was-price">$20.00</s> <span class="sale-price">$15.00</span>' in cart
    assert "−$5.00" in cart


def test_storefront_shows_plain_prices_without_a_discount(client, shop, sku):
    home = client.get(reverse("store:home", kwargs={"store_slug": shop.slug})).content.decode()
    assert "$20.00" in home and "was-price" not in home


# --- the seller's discount form -----------------------------------------------------------------
def discount_form(product, **overrides):
    now = timezone.now().astimezone(platform_tz())
    values = {
        "name": "Spring sale",
        "kind": "percent",
        "value": "20",
        "starts_at": f"{now:%Y-%m-%dT%H:%M}",
        "ends_at": f"{now + timedelta(days=3):%Y-%m-%dT%H:%M}",
        "products": [product.pk],
    }
    values.update(overrides)
    return values


def test_seller_creates_a_discount(owner_client, shop, sku):
    url = reverse("marketing:discount_create", kwargs={"shop_slug": shop.slug})
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(url, discount_form(sku.product))
    assert response.status_code == 302
    with scope(shop=shop):
        discount = Discount.objects.get(shop=shop)
        assert list(discount.products.all()) == [sku.product]
        assert place(shop, (sku, 1)).discount == Decimal("4.00")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"value": "100.01"}, "A discount cannot be more than 100%."),
        ({"value": "-1"}, "A discount cannot be below 0."),
        ({"value": "0"}, "A discount must be more than 0."),
        ({"kind": "fixed", "value": "20"}, "$20.00 off would make “Cozy Hoodie” free"),
        ({"products": []}, "Choose at least one product."),
        ({"ends_at": "2020-01-01T00:00"}, "The discount must end after it starts."),
    ],
)
def test_bad_discount_input_gets_a_clear_message(owner_client, shop, sku, overrides, message):
    url = reverse("marketing:discount_create", kwargs={"shop_slug": shop.slug})
    response = owner_client.post(url, discount_form(sku.product, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    with scope(shop=shop):
        assert not Discount.objects.filter(shop=shop).exists()


def test_a_product_of_another_shop_cannot_be_put_on_discount(owner_client, shop, other_shop):
    from tests.factories import SKUFactory

    theirs = SKUFactory(product__shop=other_shop)
    url = reverse("marketing:discount_create", kwargs={"shop_slug": shop.slug})
    response = owner_client.post(url, discount_form(theirs.product))
    assert response.status_code == 400
    assert "Choose among your own products." in response.content.decode()
    with scope(shop=shop):
        assert not Discount.objects.exists()


def test_ending_a_discount_stops_it_at_once(owner_client, shop, sku):
    discount = DiscountFactory(shop=shop, products=[sku.product])
    kw = {"shop_slug": shop.slug, "discount_id": discount.pk}
    assert owner_client.get(reverse("marketing:discount_end", kwargs=kw)).status_code == 405
    owner_client.post(reverse("marketing:discount_end", kwargs=kw))
    discount.refresh_from_db()
    assert discount.status() == "ended"
    assert place(shop, (sku, 1)).discount == 0


def test_changing_a_discount_is_audited_field_by_field(owner_client, shop, sku):
    from accounts.models import AuditEvent

    discount = DiscountFactory(shop=shop, name="Old name", products=[sku.product])
    kw = {"shop_slug": shop.slug, "discount_id": discount.pk}
    form = discount_form(sku.product, name="New name", value="25")
    assert owner_client.post(reverse("marketing:discount_edit", kwargs=kw), form).status_code == 302
    event = AuditEvent.objects.get(action="marketing.discount_updated")
    assert event.changes["name"] == ["Old name", "New name"]
    assert "value" not in event.changes  # 25% before and after
