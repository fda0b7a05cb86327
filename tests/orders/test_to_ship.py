"""Orders still to ship (Order.TO_SHIP): Home's to-do, the To ship tab and the late count
agree — a partially shipped order is still to ship, a wholly shipped one is not."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from orders.models import Order
from orders.selectors import late_shipment_count
from orders.services.fulfillment.ship import order_ship
from sellercenter.dashboard import home_todos
from tests.orders.conftest import place

pytestmark = pytest.mark.django_db


def ship(shop, owner, order, tracking, lines=None):
    order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
               tracking_number=tracking, lines=lines)  # fmt: skip
    order.refresh_from_db()


def test_partially_shipped_order_is_on_homes_todo_and_the_to_ship_tab(
    shop, owner, owner_client, sku, sku2
):
    with scope(shop=shop):
        partly = place(shop, (sku, 1), (sku2, 1))
        ship(shop, owner, partly, "1Z999AA10123456784", lines={partly.lines.first().pk: 1})
        whole = place(shop, (sku, 1))
        ship(shop, owner, whole, "1Z999AA10123456785")
        waiting = place(shop, (sku2, 1))
        assert (partly.status, whole.status) == ("partially_shipped", "awaiting_collection")

        todo = [t.label for t in home_todos(shop=shop)]
    assert f"Ship order {partly.number}" in todo
    assert f"Ship order {waiting.number}" in todo
    assert f"Ship order {whole.number}" not in todo

    url = reverse("orders:order_list", kwargs={"shop_slug": shop.slug})
    page = owner_client.get(url + "?" + urlencode({"status": "to_ship"})).content.decode()
    assert partly.number in page and waiting.number in page
    assert whole.number not in page
    assert 'To ship <span class="count">2</span>' in page


def test_a_late_partially_shipped_order_counts_as_late_until_it_has_all_shipped(
    shop, owner, owner_client, sku, sku2
):
    with scope(shop=shop):
        order = place(shop, (sku, 1), (sku2, 1))
        Order.objects.filter(pk=order.pk).update(ship_by=timezone.now() - timedelta(hours=1))
        ship(shop, owner, order, "1Z999AA10123456784", lines={order.lines.first().pk: 1})
        assert late_shipment_count(shop) == 1
    # The Late shipments tile links to the list that shows exactly those orders.
    url = reverse("orders:order_list", kwargs={"shop_slug": shop.slug})
    page = owner_client.get(url + "?status=to_ship&late=1").content.decode()
    assert order.number in page and "badge-late" in page
    with scope(shop=shop):
        ship(shop, owner, order, "1Z999AA10123456785")
        assert late_shipment_count(shop) == 0
