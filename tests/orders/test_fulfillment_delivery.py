"""Fulfillment after the parcel leaves (SPEC §6): carrier events move packages and orders,
delivered orders complete, late orders are flagged; packing slips, bulk ship, the sweep command.

Shipping, cancelling and cancellation requests: test_fulfillment.py."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from common.errors import NotFound, Refused
from common.policy import POLICY
from orders.models import CancellationRequest, Order, OrderStatusChange
from orders.selectors import late_shipment_count
from orders.services.fulfillment.cancel import (
    cancel_request_create,
    cancel_request_respond,
)
from orders.services.fulfillment.delivery import complete_delivered_orders, package_carrier_event
from orders.services.fulfillment.ship import order_ship, orders_bulk_ship
from tests.admin_actions import post_action
from tests.orders.carrier import post_carrier_event
from tests.orders.conftest import place
from tests.orders.fulfilment import UPS, UPS2, lines, statuses

pytestmark = pytest.mark.django_db


# --- carrier events and completion ------------------------------------------------------------
def webhook(client, payload, secret="test-carrier-secret"):
    return post_carrier_event(client, payload, secret=secret)


@pytest.fixture
def carrier_secret(settings):
    settings.CARRIER_WEBHOOK_SECRET = "test-carrier-secret"


def test_webhook_moves_packages_and_the_order_follows(client, shop, owner, order, carrier_secret):
    with scope(shop=shop):
        order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                   tracking_number=UPS)  # fmt: skip
    in_transit = {"carrier": "ups", "tracking_number": UPS, "event": "in_transit"}
    assert webhook(client, in_transit).status_code == 200
    order.refresh_from_db()
    assert order.status == "in_transit"
    delivered = webhook(client, {"carrier": "UPS", "tracking_number": UPS, "event": "delivered"})
    with scope(shop=shop):
        assert delivered.json() == {"tracking_number": UPS, "status": "delivered"}
    # A replayed event changes nothing.
    replayed = {"carrier": "ups", "tracking_number": UPS, "event": "delivered"}
    assert webhook(client, replayed).status_code == 200
    order.refresh_from_db()
    assert order.status == "delivered" and order.delivered_at is not None
    with scope(shop=shop):
        assert [s[1:] for s in statuses(order)[1:]] == [
            ("awaiting_collection", "seller"),
            ("in_transit", "carrier"),
            ("delivered", "carrier"),
        ]
    # Going back is refused with a 409 that names the package's state.
    back = webhook(client, {"carrier": "ups", "tracking_number": UPS, "event": "in_transit"})
    with scope(shop=shop):
        assert back.status_code == 409 and "is delivered" in back.json()["error"]


def test_webhook_refuses_bad_secret_unknown_tracking_and_bad_events(
    client, shop, owner, order, carrier_secret
):
    with scope(shop=shop):
        order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                   tracking_number=UPS)  # fmt: skip
    event = {"carrier": "ups", "tracking_number": UPS, "event": "delivered"}
    assert webhook(client, event, secret="wrong").status_code == 403
    assert webhook(client, event, secret="").status_code == 403
    assert webhook(client, {**event, "tracking_number": UPS2}).status_code == 404
    assert webhook(client, {**event, "event": "lost"}).status_code == 400
    assert webhook(client, {**event, "occurred_at": "yesterday"}).status_code == 400
    bad_json = post_carrier_event(client, None, body=b"{")
    assert bad_json.status_code == 400
    assert client.get(reverse("store:carrier_webhook")).status_code == 405
    order.refresh_from_db()
    assert order.status == "awaiting_collection"


def test_partially_shipped_order_follows_its_packages_once_all_have_shipped(shop, owner, order):
    with scope(shop=shop):
        hoodie, mug = lines(order)["Cozy Hoodie"], lines(order)["Travel Mug"]
        order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                   tracking_number=UPS, lines={hoodie.pk: 2})  # fmt: skip
        package_carrier_event(carrier="ups", tracking_number=UPS, event="delivered")
        order.refresh_from_db()
        assert order.status == "partially_shipped"  # one parcel is still in the warehouse
        order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS 2nd Day Air",
                   tracking_number=UPS2, lines={mug.pk: 1})  # fmt: skip
        order.refresh_from_db()
        assert order.status == "in_transit"
        package_carrier_event(carrier="ups", tracking_number=UPS2, event="delivered")
    order.refresh_from_db()
    assert order.status == "delivered"


def test_unknown_tracking_raises_not_found():
    with pytest.raises(NotFound):
        package_carrier_event(carrier="ups", tracking_number=UPS, event="delivered")


def test_delivered_orders_complete_once_the_return_window_has_passed(shop, owner, order, settings):
    with scope(shop=shop):
        order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                   tracking_number=UPS)  # fmt: skip
        delivered_at = timezone.now()
        package_carrier_event(
            carrier="ups", tracking_number=UPS, event="delivered", at=delivered_at
        )
    window = timedelta(days=POLICY.return_window_days)
    assert complete_delivered_orders(now=delivered_at + window - timedelta(seconds=1)) == 0
    order.refresh_from_db()
    assert order.status == "delivered"
    assert complete_delivered_orders(now=delivered_at + window) == 1
    assert complete_delivered_orders(now=delivered_at + window) == 0
    order.refresh_from_db()
    assert order.status == "completed"
    with scope(shop=shop):
        with scope(shop=shop):
            assert statuses(order)[-1] == ("delivered", "completed", "system")


def test_staff_admin_action_marks_packages(admin_client, shop, owner, order):
    with scope(shop=shop):
        package = order_ship(shop=shop, actor=owner, order=order, carrier="ups",
                             service="UPS Ground", tracking_number=UPS)  # fmt: skip
    response = post_action(
        admin_client, "admin:orders_package_changelist", "mark_delivered", [package.pk]
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "delivered"
    with scope(shop=shop):
        assert OrderStatusChange.objects.filter(order=order, actor_kind="staff").exists()


# --- deadlines, packing slip, bulk ship -------------------------------------------------------
def test_late_orders_are_flagged_and_counted(shop, owner_client, order, sku):
    with scope(shop=shop):
        assert late_shipment_count(shop) == 0
        Order.objects.filter(pk=order.pk).update(ship_by=timezone.now() - timedelta(minutes=1))
        other = place(shop, (sku, 1))
        assert late_shipment_count(shop) == 1
    page = owner_client.get(
        reverse("orders:order_list", kwargs={"shop_slug": shop.slug}), {"late": "1"}
    ).content.decode()
    assert order.number in page and other.number not in page and "Late" in page


def test_packing_slip_is_printable_html(shop, owner_client, order):
    response = owner_client.get(
        reverse("orders:order_packing_slip", kwargs={"shop_slug": shop.slug, "order_id": order.pk})
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Packing slip" in body and "Cozy Hoodie" in body and order.buyer_name in body
    assert "<script>" not in body  # CSP: scripts only as files


def test_bulk_ship_by_csv_ships_good_rows_and_reports_bad_ones(shop, owner, sku, sku2):
    with scope(shop=shop):
        first, second, third = place(shop, (sku, 1)), place(shop, (sku2, 1)), place(shop, (sku, 1))
        csv_text = (
            "order number,carrier,tracking\n"
            f"{first.number},UPS,{UPS}\n"
            f"{second.number},fedex,123\n"
            f"NOPE,ups,{UPS2}\n"
            f"{third.number},usps,9400111899223856928499,USPS Priority Mail\n"
            f"{first.number},ups,{UPS2}\n"
        )
        result = orders_bulk_ship(shop=shop, actor=owner, csv_file=io.BytesIO(csv_text.encode()))
    assert result.shipped == [first.number, third.number]
    assert [(row, why.split(" (")[0]) for row, _, why in result.errors] == [
        (2, "That is not a FedEx tracking number"),
        (3, "No order with that number in this shop."),
        (5, f"Order {first.number} is awaiting collection; there is nothing left to ship."),
    ]
    second.refresh_from_db()
    assert second.status == "awaiting_shipment"


def test_bulk_ship_page(shop, owner_client, sku):
    order = place(shop, (sku, 1))
    url = reverse("orders:order_bulk_ship", kwargs={"shop_slug": shop.slug})
    assert owner_client.get(url).status_code == 200
    upload = SimpleUploadedFile("ship.csv", f"{order.number},UPS,{UPS}\n".encode(), "text/csv")
    response = owner_client.post(url, {"file": upload})
    assert response.status_code == 200 and "1 order shipped" in response.content.decode()
    assert owner_client.post(url, {}).status_code == 400


def test_sweep_command_takes_a_date(shop, owner, order, settings):
    from django.core.management import call_command

    with scope(shop=shop):
        order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                   tracking_number=UPS)  # fmt: skip
        package_carrier_event(carrier="ups", tracking_number=UPS, event="delivered")
        out = io.StringIO()
    days = POLICY.return_window_days
    call_command("orders_sweep", "--date", str(timezone.localdate()), stdout=out)
    assert "completed after the return window: 0" in out.getvalue()
    later = timezone.localdate() + timedelta(days=days + 1)
    call_command("orders_sweep", "--date", str(later), "--only", "complete", stdout=out)
    order.refresh_from_db()
    assert order.status == "completed"


def test_declining_after_the_deadline_is_refused(shop, owner, order):
    with scope(shop=shop):
        request = cancel_request_create(shop=shop, order=order, reason="Too slow")
        CancellationRequest.objects.filter(pk=request.pk).update(
            respond_by=timezone.now() - timedelta(minutes=1)
        )
        with pytest.raises(Refused, match="time to answer has passed"):
            cancel_request_respond(shop=shop, actor=owner, order=order, accept=False, note="No")
        cancel_request_respond(shop=shop, actor=owner, order=order, accept=True)
    order.refresh_from_db()
    assert order.status == "cancelled"


def test_staff_switching_fulfillment_is_audited(admin_client, shop, order):
    from accounts.models import AuditEvent

    url = reverse("admin:orders_order_change", args=[order.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"fulfillment": "platform"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.fulfillment == "platform"
    event = AuditEvent.objects.get(action="order.fulfillment_changed")
    assert event.changes == {"fulfillment": ["seller", "platform"]}
