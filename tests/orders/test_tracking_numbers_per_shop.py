"""Tracking numbers are unique per shop and carrier. Shop B, posting a number shop A already
uses, ships normally: it is neither blocked nor told that another shop has the number. Within
one shop a number is still used once. A carrier event for the number moves every package
recorded under it; staff standing in for the carrier move only the package they chose."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from orders.models import Package
from orders.services.fulfillment.ship import order_ship
from tests.admin_actions import post_action
from tests.factories import SKUFactory, sign_in_verified
from tests.orders.carrier import SECRET, post_carrier_event
from tests.orders.conftest import make_template, place

pytestmark = pytest.mark.django_db
UPS = "1Z999AA10123456784"


@pytest.fixture
def two_shipped(shop, owner, other_shop, other_owner):
    """Shop A shipped UPS; shop B's owner, signed in, has an order to ship."""
    for s in (shop, other_shop):
        make_template(s)
    a_order = place(shop, (SKUFactory(product__shop=shop, price=Decimal("9"), on_hand=5), 1))
    with scope(shop=shop):
        a_package = order_ship(shop=shop, actor=owner, order=a_order, carrier="ups",
                               service="UPS Ground", tracking_number=UPS)  # fmt: skip
    b_sku = SKUFactory(product__shop=other_shop, price=Decimal("9"), on_hand=5)
    b_order, b_second = place(other_shop, (b_sku, 1)), place(other_shop, (b_sku, 1))
    b_client = Client()
    b_client.force_login(other_owner)
    return a_package, b_order, b_second, b_client


def _ship(client, shop, order, number=UPS):
    return client.post(
        reverse("orders:order_ship", kwargs={"shop_slug": shop.slug, "order_id": order.pk}),
        {"carrier": "ups", "service": "UPS Ground", "tracking_number": number},
    )


def test_another_shop_ships_with_a_number_already_used_elsewhere(other_shop, two_shipped):
    _, b_order, b_second, b_client = two_shipped
    response = _ship(b_client, other_shop, b_order)
    assert response.status_code in (200, 302), response.content
    assert "already" not in response.content.decode()
    with scope(shop=other_shop):
        assert Package.objects.filter(shop=other_shop, tracking_number=UPS).count() == 1
    # In its own shop the number is used once; the message speaks of this shop only.
    again = _ship(b_client, other_shop, b_second)
    assert again.status_code == 400
    assert "already on another package of this shop" in again.content.decode()


def test_a_carrier_event_moves_every_package_under_the_number(
    client, settings, shop, other_shop, two_shipped
):
    settings.CARRIER_WEBHOOK_SECRET = SECRET
    a_package, b_order, _, b_client = two_shipped
    _ship(b_client, other_shop, b_order)
    response = post_carrier_event(client, {"carrier": "ups", "tracking_number": UPS,
                                           "event": "in_transit"})  # fmt: skip
    assert response.status_code == 200
    for s in (shop, other_shop):
        with scope(shop=s):
            assert Package.objects.get(shop=s, tracking_number=UPS).status == "in_transit"


def test_staff_marking_one_package_moves_only_that_one(
    client, admin_user, shop, other_shop, two_shipped
):
    a_package, b_order, _, b_client = two_shipped
    _ship(b_client, other_shop, b_order)
    sign_in_verified(client, admin_user)
    response = post_action(
        client, "admin:orders_package_changelist", "mark_delivered", [a_package.pk]
    )
    assert response.status_code == 302
    with scope(shop=shop):
        assert Package.objects.get(pk=a_package.pk).status == "delivered"
    with scope(shop=other_shop):
        assert Package.objects.get(shop=other_shop).status == "awaiting_collection"
