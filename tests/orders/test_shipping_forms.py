"""The shipping forms read what was typed: a bad value is refused next to its field with status
400 and nothing saved, and another shop's product cannot be pointed at a template."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from django_scopes import scope

from catalog.models import Product
from orders.models import ShippingTemplate, ShippingZone
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def detail_url(template):
    return reverse(
        "orders:shipping_template",
        kwargs={"shop_slug": template.shop.slug, "shipping_template_id": template.pk},
    )


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"free_shipping_threshold": "fifty"}, "free_shipping_threshold",
         "Free shipping threshold must be a number like 10 or 4.99."),
        ({"discount_percent": "half"}, "discount_percent", "Discounted shipping must be a whole number."),
        ({"platform_shipping": "teleport"}, "platform_shipping", "Unknown platform shipping option."),
        ({"free_shipping_threshold": "0"}, "free_shipping_threshold",
         "The free shipping threshold must be above $0."),
    ],
)  # fmt: skip
def test_a_bad_new_template_is_refused_next_to_its_field(owner_client, shop, typed, field, message):
    url = reverse("orders:shipping", kwargs={"shop_slug": shop.slug})
    response = owner_client.post(url, {"name": "Standard", **typed})
    assert response.status_code == 400
    assert response.context["template_form"].errors[field] == [message]
    assert escape(message) in response.content.decode()
    with scope(shop=shop):
        assert not ShippingTemplate.objects.exists()


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"flat_rate": "abc"}, "flat_rate", "Flat rate must be a number like 10 or 4.99."),
        ({"flat_rate": "-1"}, "flat_rate", "Flat rate must be a number like 10 or 4.99, from 0 to 100,000."),
        ({"states": ["ZZ"]}, "states", "Unknown state code: ZZ."),
        ({"rate_type": "weight", "weight_tiers": "heavy=5"}, "weight_tiers",
         "A tier's weight limit must be a whole number."),
        ({"min_days": "6", "max_days": "3"}, "max_days",
         "Delivery time: minimum days must not exceed maximum days."),
    ],
)  # fmt: skip
def test_a_bad_zone_is_refused_next_to_its_field_and_what_was_typed_stays(
    owner_client, template, typed, field, message
):
    posted = {"form": "zone", "name": "Pacific", "states": ["NV"], "rate_type": "flat",
              "flat_rate": "4.50", **typed}  # fmt: skip
    response = owner_client.post(detail_url(template), posted)
    assert response.status_code == 400
    assert response.context["zone_form"].errors[field] == [message]
    assert escape(message) in response.content.decode()
    assert 'value="Pacific"' in response.content.decode()
    with scope(shop=template.shop):
        assert not ShippingZone.objects.filter(name="Pacific").exists()


@pytest.fixture
def theirs(other_shop):
    return ProductFactory(shop=other_shop)


def test_a_product_of_another_shop_cannot_use_a_template(owner_client, template, theirs):
    response = owner_client.post(detail_url(template), {"form": "product", "product_id": theirs.pk})
    assert response.status_code == 400
    assert "There is no product with that ID in this shop." in response.content.decode()
    with scope(shop=template.shop):
        assert not Product.objects.filter(shipping_template_id__isnull=False).exists()


def test_a_bad_quote_preview_says_what_is_wrong(owner_client, template):
    response = owner_client.get(
        detail_url(template),
        {"state": "CA", "quantity": "0", "subtotal": "20"},
        headers={"HX-Request": "true"},
    )
    assert "Items must be between 1 and 999." in response.content.decode()
