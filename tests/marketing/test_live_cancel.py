"""A cancelled order gives its LIVE units back: the allocation (so the next buyer can have them)
and the buyer's per-buyer count, once — a second cancel gives nothing back twice."""

import pytest
from django_scopes import scope

from common.errors import IllegalTransition, Refused
from orders.marketing.live_models import LivePin
from orders.services.fulfillment.cancel import order_cancel
from tests.marketing.conftest import place
from tests.marketing.test_live_sessions import live_pinned

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_sku(shop, owner, sku):
    """The hoodie pinned with an allocation of 1 (and a limit of 1) to a session live now."""
    live_pinned(shop, owner, sku, on_hand=10, price="10.00", allocation=1, limit=1)
    return sku


def cancel(shop, owner, order):
    with scope(shop=shop):
        return order_cancel(shop=shop, actor=owner, order=order, reason="Buyer changed mind")


def pin_state(shop) -> tuple[int, int | None]:
    with scope(shop=shop):
        live_pin = LivePin.objects.get()
        return live_pin.sold, live_pin.remaining


def test_a_cancelled_order_gives_its_allocation_back_to_the_next_buyer(shop, owner, live_sku):
    first = place(shop, (live_sku, 1), email="ann@example.com")
    assert pin_state(shop) == (1, 0)
    for late in ("bob@example.com", "dee@example.com"):  # the second is answered from the cache
        with pytest.raises(Refused, match="sold out for this LIVE"):
            place(shop, (live_sku, 1), email=late)

    cancel(shop, owner, first)

    assert pin_state(shop) == (0, 1)
    second = place(shop, (live_sku, 1), email="bob@example.com")
    assert second.discount > 0  # still at the live price
    assert pin_state(shop) == (1, 0)
    with pytest.raises(Refused, match="sold out for this LIVE"):
        place(shop, (live_sku, 1), email="cy@example.com")


def test_a_second_cancel_gives_nothing_back_twice(shop, owner, live_sku):
    first = place(shop, (live_sku, 1), email="ann@example.com")
    cancel(shop, owner, first)
    place(shop, (live_sku, 1), email="bob@example.com")  # takes the unit the cancel returned

    with pytest.raises(IllegalTransition, match="cancelled"):
        cancel(shop, owner, first)

    assert pin_state(shop) == (1, 0)  # bob's unit stays sold
    with pytest.raises(Refused, match="sold out for this LIVE"):
        place(shop, (live_sku, 1), email="cy@example.com")


def test_a_cancelled_order_gives_the_buyer_their_limit_back(shop, owner, live_sku):
    first = place(shop, (live_sku, 1), email="ann@example.com")
    cancel(shop, owner, first)
    again = place(shop, (live_sku, 1), email="Ann@example.com")  # the same mailbox
    assert pin_state(shop) == (1, 0)
    assert again.pk != first.pk
