import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from common.clock import local_date
from common.policy import POLICY
from orders.analytics.models import DailyShopStats
from orders.analytics.services import rollup_rebuild
from orders.inbox.selectors import response_rate
from orders.models import Order, OrderLine
from orders.returns.models import ReturnRequest
from sellercenter.dashboard import home_tiles, home_todos
from shops.models import Shop
from tests.factories import BuyerMessageFactory, ConversationFactory, OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db


def tiles_by_key(shop):
    """The tiles as computed now: the shared per-shop figures (up to a minute old) are dropped
    first, so these tests check the figures themselves; test_home_figures checks the caching."""
    cache.clear()
    with scope(shop=shop):
        return {t.key: t for t in home_tiles(shop=shop)}


def test_tiles_match_a_direct_computation_from_raw_orders_for_a_random_shop():
    call_command("seed_demo", "--seed", "11")
    shop = random.Random(5).choice(list(Shop.objects.order_by("pk")))
    # Place one more order today after the rollup: the tile must include it (live figures).
    OrderLineFactory(order=OrderFactory(shop=shop, total=Decimal("50.00")), quantity=2)
    today = local_date()
    since = timezone.now() - timedelta(days=40)
    with scope(shop=shop):
        orders = [
            o
            for o in Order.objects.filter(placed_at__gte=since)
            if local_date(o.placed_at) > today - timedelta(days=30)
        ]
        kept = [o for o in orders if o.status != "cancelled"]
        items = sum(line.quantity for line in OrderLine.objects.filter(order__in=kept))
    revenue = sum((o.total for o in kept), Decimal(0))
    tiles = tiles_by_key(shop)
    assert tiles["revenue"].value == f"${revenue:,.2f}"
    assert tiles["items_sold"].value == f"{items:,}"
    assert (
        tiles["orders"].value
        == f"{sum(1 for o in kept if local_date(o.placed_at) == today):,} today"
    )
    assert len(tiles["revenue"].spark) == 30


def test_rollup_rebuild_is_idempotent_and_resets_days_that_lost_their_orders(shop):
    with scope(shop=shop):
        order = OrderFactory(shop=shop, total=Decimal("10.00"))
    today = local_date()
    rollup_rebuild(start=today, end=today)
    rollup_rebuild(start=today, end=today)
    with scope(shop=shop):
        assert DailyShopStats.objects.get(shop=shop, day=today).orders == 1
        order.delete()
    rollup_rebuild(start=today, end=today)
    with scope(shop=shop):
        assert not DailyShopStats.objects.filter(shop=shop, day=today, orders__gt=0).exists()


def test_response_rate_counts_a_reply_at_exactly_24_hours_but_not_one_second_later(shop):
    now = timezone.now()
    with scope(shop=shop):
        conv = ConversationFactory(shop=shop)
        sent = now - timedelta(days=3)
        BuyerMessageFactory(
            conversation=conv,
            body="a",
            sent_at=sent,
            answered_at=sent + timedelta(hours=24),
        )
        BuyerMessageFactory(
            conversation=conv,
            body="b",
            sent_at=sent,
            answered_at=sent + timedelta(hours=24, seconds=1),
        )
        assert response_rate(shop, now).rate == Decimal("0.5")


def test_response_rate_below_the_guideline_warns_on_the_tile(shop):
    now = timezone.now()
    conv = ConversationFactory(shop=shop)
    for i in range(5):  # 4 of 5 answered in time = 80%: at the guideline, no warning
        sent = now - timedelta(days=2, hours=i)
        BuyerMessageFactory(
            conversation=conv,
            body="q",
            sent_at=sent,
            answered_at=sent + timedelta(hours=1 if i else 30),
        )
    assert tiles_by_key(shop)["response_rate"].value == "80.0%"
    assert not tiles_by_key(shop)["response_rate"].warn
    BuyerMessageFactory(
        conversation=conv,
        body="late",
        sent_at=now - timedelta(days=2),
        answered_at=now,
    )
    assert tiles_by_key(shop)["response_rate"].warn


def test_todo_list_merges_deadlines_due_first(shop):
    now = timezone.now()
    with scope(shop=shop):
        ship = OrderFactory(shop=shop, ship_by=now + timedelta(hours=60))
        old_order = OrderFactory(shop=shop, status="completed")
        line = OrderLineFactory(order=old_order)
        ReturnRequest.objects.create(
            shop=shop,
            order=old_order,
            line=line,
            kind="refund_only",
            reason="Damaged",
            requested_at=now - timedelta(days=1),
        )
        conv = ConversationFactory(shop=shop, buyer_name="Quinn", buyer_email="q@example.com")
        BuyerMessageFactory(
            conversation=conv,
            body="Where is it?",
            sent_at=now - timedelta(hours=13),
        )
        BuyerMessageFactory(
            conversation=conv,
            body="fresh",
            sent_at=now - timedelta(hours=2),
        )
        todos = home_todos(shop=shop, now=now)
    assert [t.label for t in todos] == [
        "Reply to Quinn",  # due in 11 h
        # Asked yesterday: answerable to the end of tomorrow (platform days), in 24–48 h.
        "Answer the return request for order " + old_order.number,
        f"Ship order {ship.number}",  # due in 60 h
    ]


def test_home_shows_tiles_and_refreshes_them_as_an_htmx_fragment(owner_client, shop):
    OrderFactory(shop=shop)  # a shop with orders (a new one gets the getting-started checklist)
    url = reverse("home", kwargs={"shop_slug": shop.slug})
    page = owner_client.get(url).content.decode()
    assert 'id="tiles"' in page and "To do" in page
    fragment = owner_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="tiles"') and "To do" not in fragment


def test_live_sessions_tile_counts_the_last_30_days_against_the_30_before(shop):
    from common.clock import day_start
    from orders.marketing.models import LiveSession

    today = local_date()
    for days_ago in (0, 29, 30, 59, 60):
        held = day_start(today - timedelta(days=days_ago)) + timedelta(hours=1)
        LiveSession.objects.create(
            shop=shop, title=f"live {days_ago}", starts_at=held, started_at=held
        )
    tile = tiles_by_key(shop)["live"]
    assert tile.value == "2"  # day 0 and day 29
    assert tile.change == 0  # 2 vs 2 (days 30 and 59); day 60 is outside both periods


def test_home_shows_todays_remaining_capacity_only_while_a_cap_applies(shop, settings):
    assert "cap" not in tiles_by_key(shop)
    Shop.objects.filter(pk=shop.pk).update(on_probation=True)
    shop.refresh_from_db()
    cap = POLICY.probation_daily_order_cap
    OrderFactory(shop=shop)
    assert tiles_by_key(shop)["cap"].value == f"{cap - 1:,}"


def test_revenue_tile_counts_order_totals_after_discounts_and_coupons(shop):
    """Orders placed with a discount and a coupon count at what the buyer paid."""
    from orders.marketing.models import OrderPromotion
    from tests.factories import CouponFactory, DiscountFactory, SKUFactory
    from tests.marketing.conftest import place
    from tests.orders.conftest import make_template

    with scope(shop=shop):
        make_template(shop)
        sku = SKUFactory(product__shop=shop, price=Decimal("20.00"), on_hand=50)
        DiscountFactory(shop=shop, value=Decimal("25"), products=[sku.product])
        CouponFactory(shop=shop, code="TILE", kind="fixed", value=Decimal("3.00"))
        place(shop, (sku, 2), coupon_code="TILE", email="a@example.com")
        place(shop, (sku, 1), email="b@example.com")
        OrderFactory(shop=shop, subtotal=Decimal("30"), discount=Decimal("5"), total=Decimal("25"))
    rollup_rebuild(start=local_date() - timedelta(days=1), end=local_date(), shop_ids=[shop.pk])
    with scope(shop=shop):
        place(shop, (sku, 3), coupon_code="TILE", email="c@example.com")  # after the rollup

        orders = list(Order.objects.filter(shop=shop))
        assert (
            OrderPromotion.objects.filter(order__shop=shop).count() == 5
        )  # 3 discounts, 2 coupons
        assert all(o.total == o.subtotal + o.shipping_fee - o.discount for o in orders)
        paid = sum((o.total for o in orders), Decimal(0))
        assert paid < sum((o.subtotal + o.shipping_fee for o in orders), Decimal(0))
        assert tiles_by_key(shop)["revenue"].value == f"${paid:,.2f}"
