"""One clock: every time a person sees is platform wall-clock time (America/Los_Angeles in
tests), whatever page shows it. Each page is rendered with rows stamped at one fixed instant —
07:30 UTC on 1 March 2026, which is 23:30 on 28 February in Los Angeles — and must show the
local time, never the UTC one; deadlines carry the zone's abbreviation."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django_scopes import scope

from catalog.models import ProductStatusChange
from orders.finance.models import LedgerEntry
from orders.models import OrderStatusChange
from orders.returns.models import ReturnRequest, ReturnStatusChange
from shops.models import ActivityEvent
from tests.factories import (
    BuyerMessageFactory,
    ConversationFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db

INSTANT = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)  # Feb 28, 23:30 PST


def _home(shop, owner):
    with scope(shop=shop):
        OrderFactory(shop=shop, placed_at=INSTANT - timedelta(days=3), ship_by=INSTANT)
    return reverse("home", kwargs={"shop_slug": shop.slug})


def _order(shop, owner):
    with scope(shop=shop):
        order = OrderFactory(shop=shop, placed_at=INSTANT)
        OrderStatusChange.objects.create(
            shop=shop, order=order, to_status="awaiting_shipment", actor_kind="buyer",
            created_at=INSTANT,
        )  # fmt: skip
    return reverse("orders:order_detail", kwargs={"shop_slug": shop.slug, "order_id": order.pk})


def _product(shop, owner):
    with scope(shop=shop):
        product = ProductFactory(shop=shop)
        ProductStatusChange.objects.create(
            shop=shop, product=product, from_status="draft", to_status="live", by="seller",
            created_at=INSTANT,
        )  # fmt: skip
    return reverse(
        "catalog:product_detail", kwargs={"shop_slug": shop.slug, "product_id": product.pk}
    )


def _return(shop, owner):
    with scope(shop=shop):
        order = OrderFactory(shop=shop, status="completed", placed_at=INSTANT - timedelta(days=9))
        line = OrderLineFactory(order=order)
        request = ReturnRequest.objects.create(
            shop=shop, order=order, line=line, kind="refund_only", reason="Damaged",
            status="approved", requested_at=INSTANT - timedelta(days=1),
        )  # fmt: skip
        ReturnStatusChange.objects.create(
            shop=shop, return_request=request, from_status="requested", to_status="approved",
            actor_kind="seller", created_at=INSTANT,
        )  # fmt: skip
    return reverse(
        "orders:return_detail", kwargs={"shop_slug": shop.slug, "return_request_id": request.pk}
    )


def _message(shop, owner):
    with scope(shop=shop):
        conversation = ConversationFactory(
            shop=shop, buyer_name="Quinn", buyer_email="q@example.com", last_message_at=INSTANT
        )
        BuyerMessageFactory(
            conversation=conversation, body="Hi", sent_at=INSTANT, answered_at=INSTANT
        )
    return reverse(
        "orders:inbox_conversation",
        kwargs={"shop_slug": shop.slug, "conversation_id": conversation.pk},
    )


def _finance(shop, owner):
    with scope(shop=shop):
        LedgerEntry.objects.create(
            shop=shop, kind="adjustment", bucket="available", amount="5.00", memo="Goodwill",
            created_at=INSTANT,
        )  # fmt: skip
    return reverse("orders:finance", kwargs={"shop_slug": shop.slug})


def _settings(shop, owner):
    with scope(shop=shop):
        ActivityEvent.objects.create(shop=shop, kind="signed_in", actor=owner, occurred_at=INSTANT)
    return reverse("shops:settings", kwargs={"shop_slug": shop.slug})


@pytest.mark.parametrize(
    "page",
    [_home, _order, _product, _return, _message, _finance, _settings],
    ids=lambda f: f.__name__[1:],
)
def test_each_page_shows_a_stamped_instant_in_platform_time(owner_client, shop, owner, page):
    from tests.factories import sign_in_verified

    sign_in_verified(owner_client, owner)  # finance and settings need the second factor
    response = owner_client.get(page(shop, owner))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Feb 28" in html and "23:30" in html
    assert "07:30" not in html  # the UTC wall clock


def test_homes_deadlines_name_the_time_zone(owner_client, shop, owner):
    html = owner_client.get(_home(shop, owner)).content.decode()
    assert "overdue since Feb 28, 23:30 PST" in html


def test_templates_without_a_filter_render_platform_time():
    rendered = Template('{{ t|date:"M j, H:i T" }}').render(Context({"t": INSTANT}))
    assert rendered == "Feb 28, 23:30 PST"
