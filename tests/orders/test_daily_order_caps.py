"""Daily order caps (shops.order_caps): probation (SPEC §3, default 50) and an inactivity
investigation (SPEC §9.2, default 10) each have their own cap; checkout enforces the stricter of
those that apply, and Home's remaining capacity counts down from the same figure."""

import pytest
from django.urls import reverse
from django_scopes import scope

from common.errors import Refused
from orders.models import Order
from sellercenter.dashboard import home_tiles
from shops.models import Shop
from shops.order_caps import (
    effective_daily_order_cap,
    investigation_daily_order_cap,
    probation_daily_order_cap,
)
from tests.factories import OrderFactory
from tests.orders.conftest import place

pytestmark = pytest.mark.django_db


def capacity_left(shop) -> str:
    """Home's "orders left today" tile."""
    (tile,) = [t for t in home_tiles(shop=shop) if t.key == "cap"]
    return tile.value


@pytest.mark.parametrize(
    ("on_probation", "in_investigation", "cap"),
    [(True, False, 50), (False, True, 10), (True, True, 10)],
    ids=["probation", "investigation", "both"],
)
def test_the_capth_order_of_the_day_is_accepted_and_the_next_refused(
    shop, sku, on_probation, in_investigation, cap
):
    with scope(shop=shop):
        Shop.objects.filter(pk=shop.pk).update(
            on_probation=on_probation, in_investigation=in_investigation
        )
        shop.refresh_from_db()
        assert effective_daily_order_cap(shop) == cap
        OrderFactory.create_batch(cap - 1, shop=shop)  # already taken today
        assert capacity_left(shop) == "1"

        place(shop, (sku, 1))  # order number `cap`
        with pytest.raises(Refused, match=f"limit of {cap} orders for today"):
            place(shop, (sku, 1))
        assert Order.objects.filter(shop=shop).count() == cap
        assert capacity_left(shop) == "0"


def test_each_cap_keeps_its_own_meaning(shop, owner_client):
    Shop.objects.filter(pk=shop.pk).update(on_probation=True, in_investigation=True)
    shop.refresh_from_db()
    assert (probation_daily_order_cap(shop), investigation_daily_order_cap(shop)) == (50, 10)
    # The probation page states the probation cap, whatever else applies today.
    page = owner_client.get(reverse("standing:probation", kwargs={"shop_slug": shop.slug}))
    assert "up to <strong>50</strong> orders a day" in page.content.decode()

    Shop.objects.filter(pk=shop.pk).update(on_probation=False, in_investigation=False)
    shop.refresh_from_db()
    assert effective_daily_order_cap(shop) is None
    assert probation_daily_order_cap(shop) is None
    assert investigation_daily_order_cap(shop) is None
