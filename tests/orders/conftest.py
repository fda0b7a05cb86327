from decimal import Decimal

import pytest
from django_scopes import scope

from orders.models import ShippingTemplate, ShippingZone
from orders.models.shipping import US_STATES
from orders.services.checkout import Buyer, CartLine, checkout_place
from tests.factories import SKUFactory

WEST = ["CA", "OR", "WA"]
EXCLUDED = ["AK", "HI"]


def make_template(shop, *, name="Standard", default=True, free_over=None, **extra):
    template = ShippingTemplate.objects.create(
        shop=shop, name=name, is_default=default, free_shipping_threshold=free_over, **extra
    )
    ShippingZone.objects.create(
        shop=shop,
        template=template,
        name="West",
        states=WEST,
        rate_type="flat",
        flat_rate=Decimal("5.00"),
        min_days=2,
        max_days=4,
    )
    ShippingZone.objects.create(
        shop=shop,
        template=template,
        name="Rest of US",
        states=[s for s in US_STATES if s not in WEST + EXCLUDED],
        rate_type="per_item",
        first_item_rate=Decimal("6.00"),
        additional_item_rate=Decimal("2.00"),
        min_days=3,
        max_days=7,
    )
    return template


def buyer(**overrides) -> Buyer:
    values = {
        "name": "Bea Buyer",
        "email": "bea@example.com",
        "phone": "+15551234567",
        "line1": "1 Main St",
        "city": "Los Angeles",
        "state": "CA",
        "postcode": "90001",
    }
    values.update(overrides)
    return Buyer(**values)


def place(shop, *pairs, **buyer_overrides):
    """Place an order through the real checkout, in the shop's scope as the storefront does:
    place(shop, (sku, 2), (sku2, 1))."""
    with scope(shop=shop):
        order, _ = checkout_place(
            shop=shop,
            lines=[CartLine(sku_id=sku.pk, quantity=q) for sku, q in pairs],
            buyer=buyer(**buyer_overrides),
            traffic_source="video",
        )
    return order


@pytest.fixture
def template(shop):
    return make_template(shop)


@pytest.fixture
def sku(shop, template):
    return SKUFactory(
        product__shop=shop, product__title="Cozy Hoodie", price=Decimal("20.00"), on_hand=5
    )


@pytest.fixture
def sku2(shop, template):
    return SKUFactory(
        product__shop=shop, product__title="Travel Mug", price=Decimal("12.50"), on_hand=8
    )


@pytest.fixture
def order(shop, sku, sku2):
    """An order of two lines (2 × sku, 1 × sku2), paid and awaiting shipment."""
    return place(shop, (sku, 2), (sku2, 1))
