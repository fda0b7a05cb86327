"""The marketing forms read what was typed: a bad value is refused next to its field with status
400 and nothing saved, and another shop's product is not one of the choices."""

import pytest
from django.urls import reverse
from django_scopes import scope

from orders.marketing.models import CampaignProduct, Coupon, Discount
from tests.factories import CampaignFactory, SKUFactory
from tests.marketing.test_campaigns import make_eligible, register
from tests.marketing.test_coupons import coupon_form
from tests.marketing.test_discounts import discount_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("usage_limit", "many", "Total usage limit must be a whole number (or left empty)."),
        ("min_spend", "lots", "Minimum spend must be a number like 10 or 4.99."),
        ("starts_at", "tomorrow", "Start must be a date and time."),
        ("kind", "bogo", "Choose percentage off or a fixed amount off."),
    ],
)
def test_a_badly_typed_coupon_field_is_refused_next_to_it(
    owner_client, shop, field, typed, message
):
    url = reverse("marketing:coupon_create", kwargs={"shop_slug": shop.slug})
    response = owner_client.post(url, coupon_form(**{field: typed}))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert f'value="{typed}"' in response.content.decode() or field == "kind"  # kept as typed
    with scope(shop=shop):
        assert not Coupon.objects.exists()


def test_a_badly_typed_discount_value_is_refused_next_to_it(owner_client, shop, sku):
    url = reverse("marketing:discount_create", kwargs={"shop_slug": shop.slug})
    response = owner_client.post(url, discount_form(sku.product, value="twenty"))
    assert response.status_code == 400
    assert response.context["form"].errors["value"] == ["Value must be a number like 10 or 4.99."]
    with scope(shop=shop):
        assert not Discount.objects.exists()


@pytest.fixture
def theirs(other_shop):
    """A priced product of another shop."""
    return SKUFactory(product__shop=other_shop)


def test_a_product_of_another_shop_is_not_a_discount_choice(owner_client, shop, sku, theirs):
    url = reverse("marketing:discount_create", kwargs={"shop_slug": shop.slug})
    response = owner_client.post(
        url, discount_form(sku.product, products=[sku.product_id, theirs.product_id])
    )
    assert response.status_code == 400
    assert response.context["form"].errors["products"] == ["Choose among your own products."]
    with scope(shop=shop):
        assert not Discount.objects.exists()


def test_a_product_of_another_shop_is_not_a_campaign_choice(owner_client, shop, theirs):
    make_eligible(shop)
    response = register(owner_client, shop, CampaignFactory(), theirs.product, "10.00")
    assert response.status_code == 400
    assert response.context["form"].errors["product"] == ["Choose one of your products."]
    with scope(shop=shop):
        assert not CampaignProduct.objects.exists()
