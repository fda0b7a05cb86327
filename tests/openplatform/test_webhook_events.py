"""order.created, stock.low and shop.inactivity_stage_changed: each written in the change's
transaction, from the one place the change happens, and delivered signed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled
from standardwebhooks.webhooks import Webhook

from catalog.models import SKU
from common.errors import Refused
from lifecycle.services.inactivity.sweep import sweep_inactivity
from openplatform.models import WebhookDelivery, WebhookSubscription
from openplatform.services import app_revoke
from shops.models import Membership
from tests.factories import SKUFactory
from tests.lifecycle.conftest import day, make_seller_shop
from tests.openplatform.webhook_server import Receiver
from tests.orders.conftest import make_template, place

pytestmark = pytest.mark.django_db


def subscribe(shop, app, url, events):
    with scope(shop=shop):
        return WebhookSubscription.objects.create(
            shop=shop,
            app=app,
            url=url,
            events=events,
            secret="whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        )


def received(receiver, subscription):
    return [
        Webhook(subscription.secret).verify(body, headers) for headers, body in receiver.received
    ]


def test_a_placed_order_sends_order_created(
    shop, owner, make_token, django_capture_on_commit_callbacks
):
    make_template(shop)
    sku = SKUFactory(product__shop=shop, on_hand=5)
    with Receiver() as receiver:
        sub = subscribe(shop, make_token(shop, owner).app, receiver.url, ["order.created"])
        with django_capture_on_commit_callbacks(execute=True):
            order = place(shop, (sku, 2))
    [event] = received(receiver, sub)
    assert event["type"] == "order.created"
    assert event["data"]["number"] == order.number and event["data"]["total"] == str(order.total)


def test_a_refused_checkout_sends_nothing(
    shop, owner, make_token, django_capture_on_commit_callbacks
):
    make_template(shop)
    sku = SKUFactory(product__shop=shop, on_hand=1)
    with Receiver() as receiver:
        subscribe(shop, make_token(shop, owner).app, receiver.url, ["order.created"])
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused):
            place(shop, (sku, 2))
    assert receiver.received == []
    with scope(shop=shop):
        assert not WebhookDelivery.objects.exists()


def test_order_created_goes_to_subscriptions_made_since_the_last_order_and_not_revoked_ones(
    shop, owner, make_token
):
    """The shop's subscriptions are a shared figure: subscribing, and revoking the app, count
    from the next order on."""
    make_template(shop)
    sku = SKUFactory(product__shop=shop, on_hand=5)
    place(shop, (sku, 1))  # nobody subscribed yet
    app = make_token(shop, owner).app
    subscribe(shop, app, "https://hooks.example/orders", ["order.created"])
    order = place(shop, (sku, 1))
    with scope(shop=shop):
        [delivery] = WebhookDelivery.objects.all()
        assert delivery.payload["data"]["number"] == order.number
        app_revoke(shop=shop, actor=owner, app=app)
    place(shop, (sku, 1))
    with scope(shop=shop):
        assert WebhookDelivery.objects.count() == 1


def test_stock_crossing_the_low_threshold_sends_stock_low_once(
    api, shop, owner, make_token, django_capture_on_commit_callbacks
):
    sku = SKUFactory(product__shop=shop, on_hand=10, low_stock_threshold=3)
    with Receiver() as receiver:
        sub = subscribe(shop, make_token(shop, owner).app, receiver.url, ["stock.low"])
        for on_hand in (5, 2, 1):  # 5 is above the threshold; 2 crosses it; 1 stays below
            with django_capture_on_commit_callbacks(execute=True):
                etag = api.get(f"/api/v1/skus/{sku.pk}")["ETag"]
                answer = api.put(
                    f"/api/v1/skus/{sku.pk}/stock", {"on_hand": on_hand, "reason": "count"},
                    headers={"If-Match": etag},
                )  # fmt: skip
                assert answer.status_code == 200, answer.content
    [event] = received(receiver, sub)
    assert event["type"] == "stock.low"
    assert event["data"] == {"sku_id": sku.pk, "level": "low", "available": 2}


def test_a_subscription_without_the_event_gets_nothing(shop, owner, make_token):
    sku = SKUFactory(product__shop=shop, on_hand=10, low_stock_threshold=3)
    subscribe(shop, make_token(shop, owner).app, "https://hooks.example/x", ["order.created"])
    with scope(shop=shop):
        from catalog.services import stock_move

        stock_move(shop=shop, sku_id=sku.pk, on_hand=-9, reason="adjustment")
        assert SKU.objects.get(pk=sku.pk).on_hand == 1
        assert not WebhookDelivery.objects.exists()


def test_the_sweep_sends_the_stage_to_subscribed_shops_in_one_insert(make_token):
    shops = [make_seller_shop(f"Quiet {n}") for n in range(4)]
    for shop in shops[:3]:  # the fourth moves too, but nobody listens
        owner = shop_owner(shop)
        subscribe(shop, make_token(shop, owner).app, "https://hooks.example/x",
                  ["shop.inactivity_stage_changed"])  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        result = sweep_inactivity(run_date=day(60))
    assert result.counts["first_reminders"] == 4
    inserts = [
        q["sql"] for q in queries if q["sql"].startswith("INSERT") and "webhookdelivery" in q["sql"]
    ]
    assert len(inserts) == 1
    with scopes_disabled():
        rows = list(WebhookDelivery.objects.order_by("shop_id").values_list("shop_id", "payload"))
    assert [shop_id for shop_id, _ in rows] == [s.pk for s in shops[:3]]
    assert rows[0][1]["data"] == {"stage": "first_reminder", "on_date": day(60).isoformat()}


def test_a_dry_run_sweep_sends_nothing(make_token):
    shop = make_seller_shop("Quiet one")
    subscribe(shop, make_token(shop, shop_owner(shop)).app, "https://hooks.example/x",
              ["shop.inactivity_stage_changed"])  # fmt: skip
    sweep_inactivity(run_date=day(60), dry_run=True)
    with scopes_disabled():
        assert not WebhookDelivery.objects.exists()


def shop_owner(shop):
    with scopes_disabled():
        return Membership.objects.get(shop=shop).user
