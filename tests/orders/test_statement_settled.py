"""A statement says what its settlements moved: a month whose sales came the month before does
not read as all zeros beside the settlement rows below it."""

import pytest
from django.urls import reverse
from django_scopes import scope

from orders.finance import services as svc
from tests.orders.aftersales import at, delivered_order
from tests.orders.test_finance import complete

pytestmark = pytest.mark.django_db


def test_the_month_after_a_sale_shows_what_settled_to_available(owner_client, shop):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 10))
        complete(order, at(2026, 3, 28))  # the hold ends in April
    svc.finance_settle_due(as_of=at(2026, 4, 5))
    with scope(shop=shop):
        available = svc.balances(shop=shop).available
    assert available > 0
    url = reverse("orders:finance_statement", kwargs={"shop_slug": shop.slug})

    april = owner_client.get(url + "?month=2026-04").content.decode()
    assert '<dt>Sale</dt><dd class="num">$0.00</dd>' in april
    assert f'<dt>Settled to available</dt><dd class="num">${available}</dd>' in april
    csv = owner_client.get(url + "?month=2026-04&format=csv").content.decode()
    assert f"Total settled to available,,,,{available}" in csv

    march = owner_client.get(url + "?month=2026-03").content.decode()
    assert '<dt>Sale</dt><dd class="num">$100.00</dd>' in march
    assert '<dt>Settled to available</dt><dd class="num">$0.00</dd>' in march
