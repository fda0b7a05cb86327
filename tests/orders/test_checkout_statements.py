"""Checkout costs a fixed number of SQL statements whatever the cart's size, and a flash sale's
late buyers are answered "sold out" after two reads, before any transaction or lock."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from common.errors import Refused
from orders.marketing.live_models import LivePin, LiveSession
from orders.services.checkout import CartLine, checkout_place
from tests.factories import SKUFactory
from tests.orders.conftest import buyer

pytestmark = pytest.mark.django_db

# SKUs (with their shipping templates) · LIVE pins · discounts · campaigns · shipping zones ·
# order · lines · history · lock SKUs · reserve · stock ledger
PLAIN = 11
# + the buyer's LIVE count before the lock · LIVE price row · LIVE sales · take the allocation ·
# the buyer's count under the pin's lock
LIVE = PLAIN + 5


def statements(shop, pairs, email="ann@example.com") -> list[str]:
    with scope(shop=shop), CaptureQueriesContext(connection) as ctx:
        checkout_place(
            shop=shop,
            lines=[CartLine(sku_id=s.pk, quantity=q) for s, q in pairs],
            buyer=buyer(email=email),
        )
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].split()[0].upper() not in {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"}
    ]


@pytest.fixture
def skus(shop, template):
    return [
        SKUFactory(product__shop=shop, price=Decimal("10.00") + n, on_hand=20) for n in range(3)
    ]


def test_one_line_or_three_cost_the_same_statements(shop, skus):
    one = statements(shop, [(skus[0], 1)])
    three = statements(shop, [(skus[0], 1), (skus[1], 2), (skus[2], 1)])
    assert len(one) == len(three) == PLAIN, "\n".join(three)


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
    assert len(statements(shop, [(skus[0], 1)], "ann@example.com")) == LIVE
    with_others = statements(shop, [(skus[0], 1), (skus[1], 1)], "bo@example.com")
    assert len(with_others) == LIVE


def test_sold_out_is_answered_after_two_reads_without_a_transaction(shop, skus, flash):
    statements(shop, [(skus[0], 1)], "ann@example.com")
    statements(shop, [(skus[0], 1)], "bo@example.com")  # the allocation of 2 is sold
    with (
        scope(shop=shop),
        CaptureQueriesContext(connection) as ctx,
        pytest.raises(Refused, match="sold out for this LIVE"),
    ):
        checkout_place(shop=shop, lines=[CartLine(skus[0].pk, 1)], buyer=buyer(email="cy@x.com"))
    assert len(ctx.captured_queries) == 2, [q["sql"] for q in ctx.captured_queries]
