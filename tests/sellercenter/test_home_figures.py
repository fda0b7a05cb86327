"""Home's figures that read the shop's rows are shared per-shop values (common.figures): computed
once per TTL, shown with their time, refreshed at once by the seller's own changes, and the
request cost stays fixed whatever the data size."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from catalog.services.products.editing import sku_inline_update
from common import figures
from common.figures import shop_figure, shop_figure_forget
from common.policy import POLICY
from orders.inbox.services import message_reply
from orders.models import Order
from orders.services.fulfillment.cancel import order_cancel
from orders.services.fulfillment.ship import order_ship
from orders.templatetags.order_tags import platform_time
from sellercenter.dashboard import home_tiles
from tests.concurrency import at_once
from tests.factories import (
    BuyerMessageFactory,
    ConversationFactory,
    OrderFactory,
    OrderLineFactory,
    SKUFactory,
)
from tests.orders.conftest import make_template, place

pytestmark = pytest.mark.django_db

TTL = POLICY.shop_figure_ttl_seconds


def tiles(shop):
    with scope(shop=shop):
        return {t.key: t for t in home_tiles(shop=shop)}


@pytest.fixture
def later(monkeypatch):
    """Move the clock forward: later(61) = 61 seconds from now."""
    real_now = timezone.now

    def move(seconds):
        moved = real_now() + timedelta(seconds=seconds)
        monkeypatch.setattr(timezone, "now", lambda: moved)

    return move


# --- the mechanism ----------------------------------------------------------------------------
def test_a_figure_is_computed_once_per_ttl_and_shared(shop, later):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    first = shop_figure(shop.pk, "n", compute)
    assert first.value == 1 and shop_figure(shop.pk, "n", compute).value == 1
    assert shop_figure(shop.pk, "n", compute).as_of == first.as_of
    later(TTL - 1)
    assert shop_figure(shop.pk, "n", compute).value == 1
    later(TTL + 1)
    refreshed = shop_figure(shop.pk, "n", compute)
    assert refreshed.value == 2 and refreshed.as_of > first.as_of


def test_figures_are_per_shop(shop, other_shop):
    shop_figure(shop.pk, "n", lambda: "alpha")
    assert shop_figure(other_shop.pk, "n", lambda: "beta").value == "beta"
    assert shop_figure(shop.pk, "n", lambda: "other").value == "alpha"


def test_while_one_request_refreshes_an_expired_figure_the_others_show_the_old_one(shop, later):
    shop_figure(shop.pk, "n", lambda: "old")
    later(TTL + 1)
    key, gen_key = figures._keys(shop.pk, "n")
    gen = cache.get(gen_key, "0")
    assert cache.add(f"{key}:lock:{gen}", 1)  # another request is computing

    def must_not_run():
        raise AssertionError("computed twice")

    assert shop_figure(shop.pk, "n", must_not_run).value == "old"


def test_a_cold_miss_waits_for_the_request_computing_it_instead_of_scanning_again(
    shop, monkeypatch
):
    key, _ = figures._keys(shop.pk, "n")
    assert cache.add(f"{key}:lock:0", 1)  # another request is computing the first value
    waits = []

    def other_request_finishes(seconds):
        waits.append(seconds)
        cache.set(key, ("0", timezone.now(), "theirs"))

    monkeypatch.setattr(figures.time, "sleep", other_request_finishes)

    def must_not_run():
        raise AssertionError("computed twice")

    assert shop_figure(shop.pk, "n", must_not_run).value == "theirs"
    assert len(waits) == 1


def test_a_forgotten_figure_is_recomputed_and_an_older_computation_cannot_restore_it(
    shop, django_capture_on_commit_callbacks
):
    values = iter(["before", "after"])
    assert shop_figure(shop.pk, "n", lambda: next(values)).value == "before"
    key, _ = figures._keys(shop.pk, "n")
    stale_entry = cache.get(key)
    with django_capture_on_commit_callbacks(execute=True):
        shop_figure_forget(shop.pk, "n")
    assert shop_figure(shop.pk, "n", lambda: next(values)).value == "after"
    # A computation that started before the change finishes late and stores its answer:
    # it carries the old generation, so it is not served.
    cache.set(key, stale_entry)
    assert shop_figure(shop.pk, "n", lambda: "recomputed").value == "recomputed"


# --- the tiles --------------------------------------------------------------------------------
def test_low_stock_tile_follows_the_sellers_own_stock_edit_at_once(
    shop, owner, django_capture_on_commit_callbacks
):
    with scope(shop=shop):
        sku = SKUFactory(product__shop=shop, on_hand=50)
        assert tiles(shop)["low_stock"].value == "0"
        with django_capture_on_commit_callbacks(execute=True):
            sku_inline_update(shop=shop, actor=owner, sku=sku, version=sku.version, on_hand=2)
        assert tiles(shop)["low_stock"].value == "1"


def test_low_stock_tile_catches_up_with_other_changes_after_the_ttl(shop, later):
    with scope(shop=shop):
        sku = SKUFactory(product__shop=shop, on_hand=50)
        assert tiles(shop)["low_stock"].value == "0"
        type(sku).objects.filter(pk=sku.pk).update(on_hand=0)  # no event: e.g. a staff fix
        assert tiles(shop)["low_stock"].hint == "0 out of stock"  # still the cached figure
        later(TTL + 1)
        assert tiles(shop)["low_stock"].hint == "1 out of stock"


def test_a_buyer_taking_the_last_units_refreshes_the_out_of_stock_count(
    shop, django_capture_on_commit_callbacks
):
    make_template(shop)
    sku = SKUFactory(product__shop=shop, price=Decimal("20.00"), on_hand=2)
    assert tiles(shop)["low_stock"].hint == "0 out of stock"
    with django_capture_on_commit_callbacks(execute=True):
        place(shop, (sku, 2))
    assert tiles(shop)["low_stock"].hint == "1 out of stock"


def test_late_shipments_tile_drops_when_the_seller_ships_or_cancels(
    shop, owner, django_capture_on_commit_callbacks
):
    with scope(shop=shop):
        make_template(shop)
        sku = SKUFactory(product__shop=shop, price=Decimal("20.00"), on_hand=10)
        with django_capture_on_commit_callbacks(execute=True):
            first, second = place(shop, (sku, 1)), place(shop, (sku, 1))
        Order.objects.filter(pk__in=[first.pk, second.pk]).update(
            ship_by=timezone.now() - timedelta(hours=1)
        )
        cache.clear()  # the orders became late with the clock, not through an event
        assert tiles(shop)["late"].value == "2"
        with django_capture_on_commit_callbacks(execute=True):
            order_ship(
                shop=shop,
                actor=owner,
                order=first,
                carrier="ups",
                service="UPS Ground",
                tracking_number="1Z999AA10123456784",
            )
        assert tiles(shop)["late"].value == "1"
        with django_capture_on_commit_callbacks(execute=True):
            order_cancel(shop=shop, actor=owner, order=second, reason="Out of stock")
        late = tiles(shop)
    assert late["late"].value == "0"
    assert late["orders"].value == "1 today"  # the cancelled order left today's figures too


def test_response_rate_tile_follows_the_sellers_reply_at_once(
    shop, owner, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with scope(shop=shop):
        conv = ConversationFactory(shop=shop)
        BuyerMessageFactory(
            conversation=conv,
            body="q",
            sent_at=now - timedelta(hours=2),
        )
        assert tiles(shop)["response_rate"].value == "—"  # younger than 24 h: not counted yet
        with django_capture_on_commit_callbacks(execute=True):
            message_reply(shop=shop, actor=owner, conversation=conv, body="On its way!")
        assert tiles(shop)["response_rate"].value == "100.0%"


def test_todays_figures_include_new_orders_within_a_minute(shop, later):
    assert tiles(shop)["orders"].value == "0 today"
    OrderLineFactory(order=OrderFactory(shop=shop, total=Decimal("12.00")), quantity=3)
    later(TTL + 1)
    current = tiles(shop)
    assert current["orders"].value == "1 today"
    assert current["items_sold"].value == "3"
    assert current["revenue"].value == "$12.00"


def test_refresh_shows_a_new_order_at_once_but_not_more_than_every_ten_seconds(owner_client, shop):
    # A selling shop (an order days ago): a new one's Home is the getting-started checklist.
    OrderFactory(shop=shop, placed_at=timezone.now() - timedelta(days=3))
    home = reverse("home", kwargs={"shop_slug": shop.slug})
    htmx = {"HTTP_HX_REQUEST": "true"}
    assert "0 today" in owner_client.get(home).content.decode()
    OrderFactory(shop=shop, total=Decimal("12.00"))
    assert "0 today" in owner_client.get(home, **htmx).content.decode()  # polling: shared value
    assert "1 today" in owner_client.get(home + "?fresh=1", **htmx).content.decode()
    OrderFactory(shop=shop, total=Decimal("5.00"))
    # a second press within 10 s serves the figure the first one computed
    assert "1 today" in owner_client.get(home + "?fresh=1", **htmx).content.decode()
    cache.delete(f"shopfig:{shop.pk}:forced-refresh")  # ten seconds later
    assert "2 today" in owner_client.get(home + "?fresh=1", **htmx).content.decode()


def test_home_says_when_its_figures_were_taken(owner_client, shop):
    OrderFactory(shop=shop, placed_at=timezone.now() - timedelta(days=3))  # a selling shop
    before = timezone.now()
    page = owner_client.get(reverse("home", kwargs={"shop_slug": shop.slug})).content.decode()
    after = timezone.now()
    assert any(f"Figures updated {platform_time(t):%H:%M}" in page for t in (before, after)), page


def test_a_warm_home_reads_none_of_the_shops_rows(owner_client, shop):
    for _ in range(3):
        SKUFactory(product__shop=shop)
        OrderLineFactory(order=OrderFactory(shop=shop))
    url = reverse("home", kwargs={"shop_slug": shop.slug})
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        owner_client.get(url)
    with CaptureQueriesContext(connection) as warm:
        assert owner_client.get(url).status_code == 200
    scans = (
        'FROM "catalog_sku"',  # low stock
        'FROM "orders_orderline"',  # today's items
        'FROM "orders_visit"',  # today's visitors
        'COUNT("orders_message"."id")',  # response rate
        'COUNT(*) AS "__count" FROM "orders_order"',  # late shipments
    )
    assert any(s in q["sql"] for q in cold.captured_queries for s in scans)
    assert not any(s in q["sql"] for q in warm.captured_queries for s in scans)
    assert len(warm.captured_queries) < len(cold.captured_queries)


def test_sixteen_concurrent_misses_compute_the_figure_once(settings):
    """Real threads on the real cache (Redis when REDIS_URL is set; else a process-wide
    local-memory cache, which the database cache of the default settings is not)."""
    import threading
    import uuid

    if not settings.REDIS_URL:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "figures-single-flight",
            }
        }
    name, calls = f"slow-{uuid.uuid4().hex}", []

    def slow_scan():
        calls.append(1)
        threading.Event().wait(0.3)
        return 42

    results = at_once(lambda _: shop_figure(424242, name, slow_scan).value, range(16))
    assert results == [42] * 16
    assert len(calls) == 1


def test_deleting_a_product_takes_its_skus_off_the_stock_tile_at_once(
    shop, owner, django_capture_on_commit_callbacks
):
    from catalog.services.products.actions import product_delete

    with scope(shop=shop):
        sku = SKUFactory(product__shop=shop, on_hand=0)
        assert tiles(shop)["low_stock"].hint == "1 out of stock"
        with django_capture_on_commit_callbacks(execute=True):
            product_delete(shop=shop, actor=owner, product=sku.product)
        assert tiles(shop)["low_stock"].hint == "0 out of stock"


def test_todays_figures_cost_the_same_queries_on_a_day_with_and_without_orders(shop):
    from common.clock import local_date
    from orders.analytics.selectors import live_day

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            figures_today = live_day(shop=shop, day=local_date())
        return len(ctx.captured_queries), figures_today

    with scope(shop=shop):
        empty, none_yet = queries()
        for quantity in (2, 3):
            OrderLineFactory(
                order=OrderFactory(shop=shop, total=Decimal("7.50")), quantity=quantity
            )
        OrderFactory(shop=shop, status="cancelled", total=Decimal("99.00"))
        busy, today = queries()
    assert empty == busy
    assert (none_yet["orders"], none_yet["items_sold"], none_yet["revenue"]) == (0, 0, 0)
    assert (today["orders"], today["items_sold"], today["revenue"]) == (2, 5, Decimal("15.00"))
