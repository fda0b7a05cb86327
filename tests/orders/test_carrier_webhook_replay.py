"""The carrier webhook resists replay: signed id + timestamp + body, a 5-minute window, duplicate
event ids ignored, and event times neither before shipping nor in the future."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from common import webhooks
from common.policy import POLICY
from orders.models import Package
from orders.services.fulfillment.ship import order_ship
from tests.orders.carrier import SECRET, post_carrier_event
from tests.orders.conftest import place

pytestmark = pytest.mark.django_db
UPS = "1Z999AA10123456784"
DELIVERED = {"carrier": "ups", "tracking_number": UPS, "event": "delivered"}


@pytest.fixture(autouse=True)
def carrier_secret(settings):
    settings.CARRIER_WEBHOOK_SECRET = SECRET


@pytest.fixture
def package(shop, owner, sku):
    order = place(shop, (sku, 1))
    with scope(shop=shop):
        return order_ship(shop=shop, actor=owner, order=order, carrier="ups",
                          service="UPS Ground", tracking_number=UPS)  # fmt: skip


def _status(shop, package) -> tuple:
    with scope(shop=shop):
        fresh = Package.objects.get(pk=package.pk)
        return fresh.status, fresh.delivered_at


def test_the_bare_shared_secret_is_no_longer_enough(client, shop, package):
    response = client.post(
        reverse("store:carrier_webhook"),
        json.dumps(DELIVERED),
        content_type="application/json",
        headers={"X-Carrier-Secret": SECRET},
    )
    assert response.status_code == 403
    assert _status(shop, package) == ("awaiting_collection", None)


def test_a_sixty_day_old_delivery_time_is_refused_and_the_return_window_stays(
    client, shop, package
):
    old = (timezone.now() - timedelta(days=60)).isoformat()
    response = post_carrier_event(client, {**DELIVERED, "occurred_at": old})
    assert response.status_code == 400
    assert "before the package shipped" in response.json()["error"]
    assert _status(shop, package) == ("awaiting_collection", None)


def test_an_event_time_in_the_future_is_refused(client, shop, package):
    later = timezone.now() + timedelta(minutes=POLICY.webhook_timestamp_tolerance_minutes + 1)
    response = post_carrier_event(client, {**DELIVERED, "occurred_at": later.isoformat()})
    assert response.status_code == 400
    assert _status(shop, package) == ("awaiting_collection", None)


def test_delivered_before_it_went_in_transit_is_refused(client, shop, package):
    assert post_carrier_event(client, {**DELIVERED, "event": "in_transit"}).status_code == 200
    earlier = (timezone.now() - timedelta(seconds=30)).isoformat()
    with scope(shop=shop):
        Package.objects.filter(pk=package.pk).update(shipped_at=timezone.now() - timedelta(hours=1))
    response = post_carrier_event(client, {**DELIVERED, "occurred_at": earlier})
    assert response.status_code == 400 and "went in transit" in response.json()["error"]


@pytest.mark.parametrize("minutes", [-10, 10], ids=["captured-and-replayed", "from-the-future"])
def test_a_request_signed_outside_the_window_is_refused(client, shop, package, minutes):
    at = timezone.now() + timedelta(minutes=minutes)
    response = post_carrier_event(client, DELIVERED, at=at)
    assert response.status_code == 403
    assert "minutes from now" in response.json()["error"]
    assert _status(shop, package) == ("awaiting_collection", None)


def test_the_window_boundary_is_five_minutes_either_way():
    body, sent = b"{}", datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    headers = webhooks.signed_headers(secret=SECRET, event_id="evt_1", body=body, at=sent)
    window = timedelta(minutes=POLICY.webhook_timestamp_tolerance_minutes)
    for now in (sent - window, sent + window):
        assert webhooks.verify(secret=SECRET, headers=headers, body=body, now=now).event_id
    for now in (sent - window - timedelta(seconds=1), sent + window + timedelta(seconds=1)):
        with pytest.raises(webhooks.SignatureRefused):
            webhooks.verify(secret=SECRET, headers=headers, body=body, now=now)


def test_a_duplicate_event_id_is_ignored(client, shop, package):
    first = post_carrier_event(client, {**DELIVERED, "event": "in_transit"}, event_id="evt_42")
    assert first.status_code == 200
    assert post_carrier_event(client, DELIVERED, event_id="evt_43").status_code == 200
    delivered = _status(shop, package)
    # The first event sent again (a carrier retry, or a replay within the window): ignored.
    again = post_carrier_event(client, {**DELIVERED, "event": "in_transit"}, event_id="evt_42")
    assert again.status_code == 200 and again.json() == {"event_id": "evt_42", "duplicate": True}
    assert _status(shop, package) == delivered


def test_a_refused_event_can_be_sent_again_with_its_id(client, shop, package):
    old = (timezone.now() - timedelta(days=60)).isoformat()
    bad = post_carrier_event(client, {**DELIVERED, "occurred_at": old}, event_id="evt_7")
    assert bad.status_code == 400
    assert post_carrier_event(client, DELIVERED, event_id="evt_7").status_code == 200
    assert _status(shop, package)[0] == "delivered"


@pytest.mark.parametrize("tamper", ["body", "id", "timestamp", "signature", "secret"])
def test_a_tampered_request_is_refused(client, shop, package, tamper):
    body = json.dumps(DELIVERED).encode()
    headers = webhooks.signed_headers(secret=SECRET, event_id="evt_9", body=body)
    if tamper == "body":
        body = json.dumps({**DELIVERED, "tracking_number": "1Z999AA10123456785"}).encode()
    elif tamper == "id":
        headers[webhooks.ID] = "evt_10"
    elif tamper == "timestamp":
        headers[webhooks.TIMESTAMP] = str(int(headers[webhooks.TIMESTAMP]) - 1)
    elif tamper == "signature":
        headers[webhooks.SIGNATURE] = "v1," + "A" * 44
    else:
        headers = webhooks.signed_headers(secret="not-the-secret", event_id="evt_9", body=body)
    response = client.post(
        reverse("store:carrier_webhook"), body, content_type="application/json", headers=headers
    )
    assert response.status_code == 403
    assert _status(shop, package) == ("awaiting_collection", None)
