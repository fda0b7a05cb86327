"""A LIVE checkout costs a fixed number of SQL statements whatever the cart's size (a plain one:
tests/orders/test_checkout.py), and a flash sale's late buyers are answered "sold out" from one
cache read, before any transaction or lock. Stock clear of its low-stock
threshold is reserved in one statement; stock that is low, or turned low under the lock, goes
through the reservation that keeps the stock alerts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from catalog.models import StockAlert, StockMovement
from common.errors import Refused
from orders.marketing.live_models import LivePin, LiveSession
from orders.models import Order
from orders.services.checkout import CartLine, checkout_place
from tests.factories import SKUFactory
from tests.orders.conftest import buyer
from tests.queries import statements_run

pytestmark = pytest.mark.django_db

# SKUs (with their shipping templates) · order · lines · history · stock ledger · reserve (one
# conditional UPDATE). What may change a price (promotion windows), the shipping zones and the
# webhook subscriptions are the shop's shared figures: one cache read each, no statement. (Was
# 11: the LIVE pins, discounts, campaign prices, zones and subscriptions were read every time.)
PLAIN = 6
# + LIVE price row · LIVE sales · take the allocation · the buyer's count under the pin's lock.
# The pins of the sessions live now come with the promotion windows. (Was + 6: the pins and the
# buyer's count were also read before the lock.)
LIVE = PLAIN + 4
# The first checkout after a change computes the figures: discount and campaign windows, the
# pins of the LIVE sessions live now, shipping zones, webhook subscriptions.
FIGURES = 5


def statements(shop, pairs, email="ann@example.com") -> list[str]:
    with scope(shop=shop), CaptureQueriesContext(connection) as ctx:
        checkout_place(
            shop=shop,
            lines=[CartLine(sku_id=s.pk, quantity=q) for s, q in pairs],
            buyer=buyer(email=email),
        )
    return statements_run(ctx)


@pytest.fixture
def skus(shop, template):
    return [
        SKUFactory(product__shop=shop, price=Decimal("10.00") + n, on_hand=20) for n in range(3)
    ]


@pytest.fixture
def flash(shop, skus):
    session = LiveSession.objects.create(
        shop=shop, title="Flash", starts_at=timezone.now(), status="live",
        started_at=timezone.now(),
    )  # fmt: skip
    return LivePin.objects.create(
        shop=shop, session=session, product=skus[0].product, live_price=Decimal("5.00"),
        allocation=2, per_buyer_limit=1,
    )  # fmt: skip


def test_a_live_checkout_costs_a_fixed_number_too(shop, skus, flash):
    first = statements(shop, [(skus[0], 1)], "ann@example.com")
    assert len(first) == LIVE + FIGURES
    with_others = statements(shop, [(skus[0], 1), (skus[1], 1)], "bo@example.com")
    assert len(with_others) == LIVE


def test_a_cart_of_unpinned_products_reads_no_pin_while_a_live_runs(shop, skus, flash):
    """The shop's promotion windows name the products pinned to its running sessions: a cart of
    other products costs what it costs with no LIVE, and a pinned one still gets its live price."""
    first = statements(shop, [(skus[1], 1)], "ann@example.com")
    assert len(first) == PLAIN + FIGURES
    assert len(statements(shop, [(skus[1], 1), (skus[2], 1)], "bo@example.com")) == PLAIN
    with scope(shop=shop):
        order, _ = checkout_place(
            shop=shop, lines=[CartLine(skus[0].pk, 1)], buyer=buyer(email="cy@example.com")
        )
    assert order.subtotal - order.discount == Decimal("5.00")


def test_a_plain_checkout_reads_no_promotion_zone_or_subscription(shop, skus):
    assert len(statements(shop, [(skus[0], 1)], "ann@example.com")) == PLAIN + FIGURES
    assert len(statements(shop, [(skus[0], 1), (skus[1], 2)], "bo@example.com")) == PLAIN


def test_sold_out_is_answered_from_the_cache_without_a_statement(shop, skus, flash):
    """The first buyer after the sell-out is refused where the allocation is taken, under the
    pin's lock, and everything it wrote is rolled back; it makes the shop's promotion windows
    learn the pin is sold out, and from then on a late buyer costs one cache read and no
    statement — no transaction, no lock, ever."""
    statements(shop, [(skus[0], 1)], "ann@example.com")
    statements(shop, [(skus[0], 1)], "bo@example.com")  # the allocation of 2 is sold
    counted, answers = [], set()
    for email in ("cy@x.com", "dee@x.com", "eve@x.com"):
        with (
            scope(shop=shop),
            CaptureQueriesContext(connection) as ctx,
            pytest.raises(Refused) as refused,
        ):
            checkout_place(shop=shop, lines=[CartLine(skus[0].pk, 1)], buyer=buyer(email=email))
        counted.append(statements_run(ctx))
        answers.add(refused.value.message)
    assert answers == {f"“{skus[0].product.title}” is sold out for this LIVE."}
    assert len(counted[0]) == LIVE - 2, counted[0]  # up to the pin's UPDATE, then its sold
    assert not any("orders_order" in sql or "UPDATE" in sql for sql in counted[1])  # learning
    assert counted[2] == []
    with scope(shop=shop):
        assert Order.objects.filter(shop=shop).count() == 2


def test_low_stock_takes_the_reservation_that_opens_its_alert(shop, skus):
    low = skus[0]
    low.on_hand = low.reserved + shop.low_stock_default + 1  # one sale makes it low
    low.save()
    assert len(statements(shop, [(low, 1), (skus[1], 1)])) > PLAIN  # lock, reserve, alerts
    with scope(shop=shop):
        assert StockAlert.objects.filter(sku=low, resolved_at__isnull=True).exists()


def test_an_alert_found_under_the_lock_rolls_back_and_places_the_order_once(shop, skus):
    """The stock read says clear, but the SKU has an open alert (its stock came back): the
    one-statement reservation refuses, the transaction rolls back, and the order is placed
    through the reservation that closes the alert."""
    with scope(shop=shop):
        StockAlert.objects.create(shop=shop, sku=skus[0], kind="low", available=1)
        checkout_place(shop=shop, lines=[CartLine(skus[0].pk, 1)], buyer=buyer())
        skus[0].refresh_from_db()
        assert Order.objects.filter(shop=shop).count() == 1
        assert skus[0].reserved == 1
        assert StockMovement.objects.filter(sku=skus[0], reason="order").count() == 1
        assert not StockAlert.objects.filter(sku=skus[0], resolved_at__isnull=True).exists()
