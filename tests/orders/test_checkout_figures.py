"""What checkout decides from the shop's shared figures — whether a promotion may change a price,
the shipping zones — follows a seller's or staff member's change on the very next order."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scope

from orders.marketing.models import CampaignProduct
from orders.marketing.services import discount_end, discount_save
from orders.models import ShippingZone
from orders.services.shipping import shipping_template_make_default, shipping_zone_save
from tests.factories import CampaignFactory
from tests.orders.conftest import WEST, make_template, place

pytestmark = pytest.mark.django_db


def test_a_discount_added_after_an_order_prices_the_next_one(shop, owner, sku):
    assert place(shop, (sku, 1)).discount == 0
    now = timezone.now()
    with scope(shop=shop):
        discount = discount_save(
            shop=shop, actor=owner, name="Spring", kind="percent", value=Decimal("25"),
            starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1),
            product_ids=[sku.product_id],
        )  # fmt: skip
    assert place(shop, (sku, 1)).discount == Decimal("5.00")
    with scope(shop=shop):
        discount_end(shop=shop, actor=owner, discount=discount)
    assert place(shop, (sku, 1)).discount == 0


def test_a_campaign_staff_move_to_now_prices_its_registered_products_at_once(shop, sku):
    campaign = CampaignFactory()  # runs from tomorrow
    with scope(shop=shop):
        CampaignProduct.objects.create(
            shop=shop, campaign=campaign, product=sku.product, campaign_price=Decimal("12.00")
        )
    assert place(shop, (sku, 1)).discount == 0
    campaign.starts_at = timezone.now() - timedelta(minutes=5)
    campaign.save()
    assert place(shop, (sku, 1)).discount == Decimal("8.00")


def test_a_zone_or_default_template_changed_after_an_order_ships_the_next_one(
    shop, owner, sku, template
):
    assert place(shop, (sku, 1)).shipping_fee == Decimal("5.00")  # California: West, flat 5
    with scope(shop=shop):
        west = ShippingZone.objects.get(template=template, name="West")
        shipping_zone_save(
            shop=shop, actor=owner, template=template, zone=west, name="West", states=WEST,
            rate_type="flat", flat_rate=Decimal("7.00"), min_days=2, max_days=4,
        )  # fmt: skip
    assert place(shop, (sku, 1)).shipping_fee == Decimal("7.00")
    with scope(shop=shop):
        express = make_template(shop, name="Express", default=False)
        ShippingZone.objects.filter(template=express, name="West").update(flat_rate=9)
        shipping_template_make_default(shop=shop, actor=owner, template=express)
    assert place(shop, (sku, 1)).shipping_fee == Decimal("9.00")
