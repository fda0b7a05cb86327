"""To-dos you can act on: each opens the item itself; trend figures are coloured by what they
mean (more returns is bad news), and no change has no arrow."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from orders.returns.models import ReturnRequest
from sellercenter.dashboard import Tile, home_todos
from tests.factories import BuyerMessageFactory, ConversationFactory, OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db


def test_todos_open_the_order_the_return_and_the_conversation_themselves(shop):
    now = timezone.now()
    with scope(shop=shop):
        to_ship = OrderFactory(shop=shop, ship_by=now + timedelta(hours=5))
        sold = OrderFactory(shop=shop, status="completed")
        request = ReturnRequest.objects.create(
            shop=shop, order=sold, line=OrderLineFactory(order=sold), kind="refund_only",
            reason="Damaged", requested_at=now - timedelta(hours=1),
        )  # fmt: skip
        conversation = ConversationFactory(
            shop=shop, buyer_name="Quinn", buyer_email="q@example.com"
        )
        BuyerMessageFactory(
            conversation=conversation,
            body="Where is it?",
            sent_at=now - timedelta(hours=13),
        )
        todos = {t.label.split(" ")[0]: t.url for t in home_todos(shop=shop, now=now)}
    slug = {"shop_slug": shop.slug}
    assert todos == {
        "Ship": reverse("orders:order_detail", kwargs=slug | {"order_id": to_ship.pk}),
        "Answer": reverse("orders:return_detail", kwargs=slug | {"return_request_id": request.pk}),
        "Reply": reverse(
            "orders:inbox_conversation", kwargs=slug | {"conversation_id": conversation.pk}
        ),
    }


@pytest.mark.parametrize(
    ("change", "higher_is_bad", "trend"),
    [
        (Decimal(12), False, "good"),  # more revenue
        (Decimal(-12), False, "bad"),
        (Decimal(12), True, "bad"),  # more returns, more late shipments
        (Decimal(-12), True, "good"),
        (Decimal(0), True, ""),
        (None, False, ""),
    ],
)
def test_a_trend_is_coloured_by_meaning_not_by_sign(change, higher_is_bad, trend):
    assert Tile("k", "K", "1", change, higher_is_bad=higher_is_bad).trend == trend


def render_tile(tile: Tile) -> str:
    html = render_to_string(
        "sellercenter/home.html#tiles", {"tiles": [tile], "period_days": 30, "shop": _Shop()}
    )
    return html.split('class="tile-change', 1)[1].split("</p>", 1)[0]


class _Shop:
    slug = "s"


def test_rising_returns_read_as_bad_news_and_no_change_has_no_arrow():
    rising = render_tile(Tile("returns", "Returns", "8", Decimal(100), higher_is_bad=True))
    assert rising.startswith(' bad"') and "▲" in rising and "+100%" in rising
    flat = render_tile(Tile("revenue", "Revenue", "$1", Decimal(0)))
    assert flat.startswith('"') and "▲" not in flat and "▼" not in flat and "0%" in flat
