"""The toast after shipping reads as a sentence: "Shipped with UPS 1Z… ." had a stray space."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_scopes import scope

from tests.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db


def test_the_shipped_toast_has_no_space_before_its_full_stop(owner_client, shop):
    with scope(shop=shop):
        order = OrderFactory(shop=shop)
        OrderLineFactory(order=order)
    response = owner_client.post(
        reverse("orders:order_ship", kwargs={"shop_slug": shop.slug, "order_id": order.pk}),
        {"carrier": "ups", "service": "UPS Ground", "tracking_number": "1Z999AA10123456784"},
    )
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Shipped with") and message.endswith("784.")
