"""Signed webhooks: order.status_changed is written with the change and delivered signed to the
Standard Webhooks specification; failures back off and are logged; targets on private networks
are refused; a slow target does not undo or block the change."""

import pytest
from django_scopes import scope
from standardwebhooks.webhooks import Webhook

from openplatform.models import WebhookDelivery
from openplatform.webhooks import delivery as delivery_module
from orders.models import Order
from tests.factories import OrderFactory, OrderLineFactory, SKUFactory
from tests.openplatform.webhook_server import Receiver

pytestmark = pytest.mark.django_db
SHIP = {"carrier": "ups", "service": "UPS Ground", "tracking_number": "1Z999AA10123456784"}


@pytest.fixture
def order(shop):
    sku = SKUFactory(product__shop=shop, on_hand=5, reserved=1)
    order = OrderFactory(shop=shop, number="HOOK0001")
    OrderLineFactory(order=order, sku=sku, product=sku.product, quantity=1)
    return order


def test_order_status_changed_is_delivered_signed(
    api, shop, order, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        created = api.post(
            "/api/v1/webhooks", {"url": receiver.url, "events": ["order.status_changed"]}
        )
        assert created.status_code == 201, created.content
        secret = created.json()["secret"]
        assert "secret" not in api.get("/api/v1/webhooks").json()[0]
        with django_capture_on_commit_callbacks(execute=True):
            assert api.post(f"/api/v1/orders/{order.pk}/packages", SHIP).status_code == 201
    headers, body = receiver.received[0]
    event = Webhook(secret).verify(body, headers)
    assert event["type"] == "order.status_changed"
    assert event["data"]["to_status"] == Order.Status.AWAITING_COLLECTION
    log = api.get(f"/api/v1/webhooks/{created.json()['id']}/deliveries").json()
    assert log[0]["status"] == "delivered" and log[0]["last_status_code"] == 204


def test_a_failing_target_backs_off_and_the_change_stands(
    api, shop, order, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(delivery_module, "TIMEOUT_SECONDS", 0.2)
    with Receiver(delay=1.0) as receiver:
        api.post("/api/v1/webhooks", {"url": receiver.url, "events": ["order.status_changed"]})
        with django_capture_on_commit_callbacks(execute=True):
            shipped = api.post(f"/api/v1/orders/{order.pk}/packages", SHIP)
    assert shipped.status_code == 201
    with scope(shop=shop):
        assert Order.objects.get(pk=order.pk).status == Order.Status.AWAITING_COLLECTION
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "pending" and delivery.attempts == 1
        assert "Timeout" in delivery.last_error and delivery.next_attempt_at > delivery.created_at


def test_a_rolled_back_change_sends_nothing(api, shop, order, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        api.post("/api/v1/webhooks", {"url": receiver.url, "events": ["order.status_changed"]})
        with django_capture_on_commit_callbacks(execute=True):
            bad = api.post(f"/api/v1/orders/{order.pk}/packages", dict(SHIP, service="Nope"))
    assert bad.status_code == 400 and receiver.received == []
    with scope(shop=shop):
        assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.8/hook",
        "http://169.254.169.254/latest",
        "http://[::1]:8000/x",
        "ftp://x.test/",
    ],
)
def test_private_and_odd_targets_are_refused(api, shop, url, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    response = api.post("/api/v1/webhooks", {"url": url, "events": ["order.status_changed"]})
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"


def test_production_needs_https(api, settings):
    settings.PRODUCTION = True
    response = api.post(
        "/api/v1/webhooks", {"url": "http://127.0.0.1/x", "events": ["order.status_changed"]}
    )
    assert response.status_code == 400 and "https" in response.json()["detail"]


def test_events_need_the_matching_scope(shop, owner, make_token, client):
    token = make_token(shop, owner, scopes=["products:read"]).token
    response = client.post(
        "/api/v1/webhooks",
        {"url": "http://127.0.0.1:9/x", "events": ["order.status_changed"]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 409 and "orders:read" in response.json()["detail"]


def test_product_and_return_status_changes_are_events_too(api, shop, order):
    from orders.returns.models import ReturnRequest

    with scope(shop=shop):
        line = order.lines.get()
        rr = ReturnRequest.objects.create(
            shop=shop, order=order, line=line, kind="refund_only", reason="Broken"
        )
    events = ["product.status_changed", "return.status_changed", "order.status_changed"]
    api.post("/api/v1/webhooks", {"url": "http://127.0.0.1:9/x", "events": events})
    product_id = line.product_id
    assert (
        api.post(f"/api/v1/products/{product_id}/status", {"action": "deactivate"}).status_code
        == 200
    )
    assert api.post(f"/api/v1/returns/{rr.pk}/approve").status_code == 200
    with scope(shop=shop):
        rows = {d.event_type: d.payload["data"] for d in WebhookDelivery.objects.all()}
    assert rows["product.status_changed"] == {
        "id": product_id,
        "from_status": "live",
        "to_status": "deactivated",
    }
    assert rows["return.status_changed"]["to_status"] == "approved"


def test_a_bulk_move_writes_one_event_per_row(shop, owner, make_token):
    from catalog.services.system import products_system_delist
    from openplatform.services import webhook_subscribe
    from tests.factories import ProductFactory

    created = make_token(shop, owner)
    with scope(shop=shop):
        webhook_subscribe(
            shop=shop,
            app=created.app,
            url="http://127.0.0.1:9/x",
            events=["product.status_changed"],
        )
    ProductFactory.create_batch(5, shop=shop)
    with scope(shop=shop):
        products_system_delist(shop_ids=[shop.pk], delisted_by="inactivity", actor=None)
        assert WebhookDelivery.objects.filter(event_type="product.status_changed").count() == 5


def test_settings_apps_shows_the_delivery_log_with_redeliver(
    client, api, shop, owner, order, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from tests.factories import sign_in_verified

    with Receiver(status=500) as receiver:
        api.post("/api/v1/webhooks", {"url": receiver.url, "events": ["order.status_changed"]})
        with django_capture_on_commit_callbacks(execute=True):
            api.post(f"/api/v1/orders/{order.pk}/packages", SHIP)
        sign_in_verified(client, owner)
        page = client.get(f"/shops/{shop.slug}/settings/apps/").content.decode()
        assert "order.status_changed" in page and "HTTP 500" in page and "Redeliver" in page
        with scope(shop=shop):
            delivery = WebhookDelivery.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(
                f"/shops/{shop.slug}/settings/apps/deliveries/{delivery.pk}/redeliver/"
            )
        assert answer.status_code == 302
    assert len(receiver.received) == 2
    with scope(shop=shop):
        assert WebhookDelivery.objects.get().attempts == 2
