"""Daily order caps at checkout (SPEC §3 probation, §9.2 investigation): exactly the cap per
platform calendar day, a refused checkout gives its slot back, a cap started mid-day counts the
orders already taken."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scope

from common.errors import Refused
from orders.models import DailyOrderCount, Order
from orders.services.checkout import CartLine, checkout_place
from tests.orders.conftest import buyer, place

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize(
    ("probation", "investigation", "cap"),
    [(True, False, 3), (False, True, 2), (True, True, 2)],
)
def test_daily_cap_allows_exactly_the_cap(
    shop, sku, probation, investigation, cap, override_policy
):
    override_policy(probation_daily_order_cap=3, investigation_daily_order_cap=2)
    shop.on_probation, shop.in_investigation = probation, investigation
    with scope(shop=shop):
        shop.save()
        for _ in range(cap):
            place(shop, (sku, 1))
        with pytest.raises(Refused, match=f"limit of {cap} orders for today"):
            place(shop, (sku, 1))
        assert Order.objects.filter(shop=shop).count() == cap
    sku.refresh_from_db()
    assert sku.reserved == cap


def test_cap_counts_platform_calendar_days(shop, sku, override_policy):
    override_policy(investigation_daily_order_cap=1)
    shop.in_investigation = True
    with scope(shop=shop):
        shop.save()
        late_evening = datetime(2026, 3, 2, 23, 30, tzinfo=LA)  # 07:30 UTC on March 3rd
        checkout_place(shop=shop, lines=[CartLine(sku.pk, 1)], buyer=buyer(), now=late_evening)
        with pytest.raises(Refused):
            checkout_place(
                shop=shop,
                lines=[CartLine(sku.pk, 1)],
                buyer=buyer(),
                now=datetime(2026, 3, 2, 23, 59, tzinfo=LA),
            )
        # Just after midnight in the platform time zone a new day (and a new allowance) starts.
        checkout_place(
            shop=shop,
            lines=[CartLine(sku.pk, 1)],
            buyer=buyer(),
            now=datetime(2026, 3, 3, 0, 1, tzinfo=LA),
        )
        assert sorted(DailyOrderCount.objects.values_list("day", "count")) == [
            (datetime(2026, 3, 2).date(), 1),
            (datetime(2026, 3, 3).date(), 1),
        ]


def test_a_refused_checkout_gives_its_cap_slot_back(shop, sku, sku2, override_policy):
    override_policy(investigation_daily_order_cap=1)
    shop.in_investigation = True
    shop.save()
    with pytest.raises(Refused, match="Not enough stock"):
        place(shop, (sku, 99))
    place(shop, (sku, 1))  # the slot was not used up by the failed attempt


def test_cap_started_mid_day_counts_orders_already_taken(shop, sku, override_policy):
    override_policy(probation_daily_order_cap=2)
    place(shop, (sku, 1))
    place(shop, (sku, 1))
    shop.on_probation = True
    shop.save()
    with pytest.raises(Refused):
        place(shop, (sku, 1))
