"""Order lifecycle and fulfilment (SPEC §6): one state machine, packages, cancellations,
carrier events, completion, and seller activity."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from common.errors import BadInput, IllegalTransition, NotFound, Refused
from common.policy import POLICY
from orders.models import CancellationRequest, Order, OrderStatusChange, Package
from orders.selectors import late_shipment_count
from orders.services.fulfillment.cancel import (
    accept_unanswered_cancel_requests,
    cancel_request_create,
    cancel_request_respond,
    order_cancel,
)
from orders.services.fulfillment.delivery import complete_delivered_orders, package_carrier_event
from orders.services.fulfillment.ship import normalise_tracking, order_ship, orders_bulk_ship
from orders.services.transitions import ActorKind, order_transition
from orders.signals import order_status_changed
from shops.models import ActivityEvent
from tests.orders.carrier import post_carrier_event
from tests.orders.conftest import place

pytestmark = pytest.mark.django_db
UPS = "1Z999AA10123456784"
UPS2 = "1Z999AA10123456785"


def statuses(order):
    return list(order.history.values_list("from_status", "to_status", "actor_kind"))


@pytest.fixture
def order(shop, sku, sku2):
    return place(shop, (sku, 2), (sku2, 1))


def lines(order):
    with scope(shop=order.shop):
        return {line.title: line for line in order.lines.all()}


# --- the state machine ------------------------------------------------------------------------
def test_illegal_transition_is_refused_naming_the_current_state(order):
    with scope(shop=order.shop):
        with pytest.raises(IllegalTransition, match="is awaiting shipment; it cannot become"):
            order_transition(order=order, to_status="delivered", actor_kind=ActorKind.SYSTEM)
        order.refresh_from_db()
        assert order.status == "awaiting_shipment"
        assert order.history.count() == 1


def test_every_transition_sends_the_signal_after_commit(
    shop, owner, order, django_capture_on_commit_callbacks
):
    seen = []

    def receiver(sender, **kwargs):
        seen.append((kwargs["from_status"], kwargs["to_status"], kwargs["actor"]))

    with scope(shop=shop):
        order_status_changed.connect(receiver)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                order_ship(
                    shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                    tracking_number=UPS,
                )  # fmt: skip
        finally:
            order_status_changed.disconnect(receiver)
    assert seen == [("awaiting_shipment", "awaiting_collection", owner)]


# --- shipping ---------------------------------------------------------------------------------
def test_ship_some_lines_now_and_the_rest_later(shop, owner, order, sku, sku2):
    with scope(shop=shop):
        by_title = lines(order)
        hoodie, mug = by_title["Cozy Hoodie"], by_title["Travel Mug"]
        first = order_ship(
            shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
            tracking_number="1z999aa1 0123456784", lines={hoodie.pk: 2, mug.pk: 0},
        )  # fmt: skip
        order.refresh_from_db()
        assert order.status == "partially_shipped"
        assert first.tracking_number == UPS and first.shop_id == shop.pk
        assert [(pl.line_id, pl.quantity, pl.shop_id) for pl in first.lines.all()] == [
            (hoodie.pk, 2, shop.pk)
        ]
        sku.refresh_from_db()
        assert (sku.on_hand, sku.reserved) == (3, 0)  # shipped units left the warehouse

        order_ship(
            shop=shop, actor=owner, order=order, carrier="usps",
            service="USPS Priority Mail", tracking_number="9400111899223856928499",
        )  # fmt: skip
        order.refresh_from_db()
        assert order.status == "awaiting_collection"
        assert statuses(order)[1:] == [
            ("awaiting_shipment", "partially_shipped", "seller"),
            ("partially_shipped", "awaiting_collection", "seller"),
        ]
        assert ActivityEvent.objects.filter(shop=shop, kind="order_processed").count() == 2


@pytest.mark.parametrize(
    ("carrier", "good", "bad"),
    [
        ("ups", UPS, "1Z123"),
        ("usps", "9400111899223856928499", "12345"),
        ("fedex", "123456789012", "12345678901"),
        ("dhl", "1234567890", "ABC1234567"),
        ("other", "ONTRAC-12345", "x"),
    ],
)
def test_tracking_numbers_follow_the_carriers_format(carrier, good, bad):
    assert normalise_tracking(carrier, good) == good
    with pytest.raises(BadInput, match="tracking number"):
        normalise_tracking(carrier, bad)


def test_bad_ship_requests_are_refused_and_change_nothing(shop, owner, order, sku):
    with scope(shop=shop):
        hoodie = lines(order)["Cozy Hoodie"]
        cases = [
            ({"carrier": "ups", "tracking_number": "123"}, "not a UPS tracking number"),
            ({"carrier": "pigeon"}, "Choose a carrier"),
            ({"service": "FedEx Ground"}, "Choose a UPS service"),
            ({"lines": {hoodie.pk: 3}}, "2 left to ship, not 3"),
            ({"lines": {hoodie.pk: 0}}, "at least one item"),
            ({"lines": {999999: 1}}, "not part of this order"),
        ]
        for overrides, message in cases:
            kwargs = {
                "carrier": "ups",
                "service": "UPS Ground",
                "tracking_number": UPS,
                **overrides,
            }
            with pytest.raises(BadInput, match=message):
                order_ship(shop=shop, actor=owner, order=order, **kwargs)
        order.refresh_from_db()
        assert order.status == "awaiting_shipment" and not Package.objects.exists()
    sku.refresh_from_db()
    assert sku.reserved == 2


def test_shipping_twice_is_refused(shop, owner, order):
    with scope(shop=shop):
        order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                   tracking_number=UPS)  # fmt: skip
        with pytest.raises(
            IllegalTransition, match="is awaiting collection; there is nothing left"
        ):
            order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                       tracking_number=UPS2)  # fmt: skip


def test_a_tracking_number_cannot_be_reused(shop, owner, order, sku):
    with scope(shop=shop):
        other = place(shop, (sku, 1))
        order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                   tracking_number=UPS)  # fmt: skip
        with pytest.raises(BadInput, match="already on another package"):
            order_ship(shop=shop, actor=owner, order=other, carrier="ups", service="UPS Ground",
                       tracking_number=UPS)  # fmt: skip
    other.refresh_from_db()
    assert other.status == "awaiting_shipment"


def test_platform_fulfilled_orders_are_read_only_for_the_seller(shop, owner, order, owner_client):
    with scope(shop=shop):
        Order.objects.filter(pk=order.pk).update(fulfillment="platform")
        order.refresh_from_db()
        with pytest.raises(Refused, match="read-only"):
            order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                       tracking_number=UPS)  # fmt: skip
        with pytest.raises(Refused, match="read-only"):
            order_cancel(shop=shop, actor=owner, order=order, reason="Out of stock")
    page = owner_client.get(
        reverse("orders:order_detail", kwargs={"shop_slug": shop.slug, "order_id": order.pk})
    )
    assert "read-only" in page.content.decode() and "Ship package" not in page.content.decode()
    response = owner_client.post(
        reverse("orders:order_ship", kwargs={"shop_slug": shop.slug, "order_id": order.pk}),
        {"carrier": "ups", "service": "UPS Ground", "tracking_number": UPS},
    )
    assert response.status_code == 409


# --- cancelling -------------------------------------------------------------------------------
def test_seller_cancels_before_shipment_and_stock_goes_back(shop, owner, order, sku):
    with scope(shop=shop):
        order_cancel(shop=shop, actor=owner, order=order, reason="Out of stock")
        order.refresh_from_db()
        assert (order.status, order.cancelled_by, order.cancel_reason) == (
            "cancelled", "seller", "Out of stock",
        )  # fmt: skip
        sku.refresh_from_db()
        assert sku.reserved == 0 and sku.on_hand == 5
        assert statuses(order)[-1] == ("awaiting_shipment", "cancelled", "seller")
        assert ActivityEvent.objects.filter(shop=shop, kind="order_processed").exists()


def test_cancelling_needs_a_reason(shop, owner, order):
    with pytest.raises(BadInput, match="reason"):
        order_cancel(shop=shop, actor=owner, order=order, reason=" ")


@pytest.mark.parametrize("ship_all", [True, False])
def test_cancelling_a_shipped_order_is_refused(shop, owner, order, sku, ship_all):
    with scope(shop=shop):
        hoodie = lines(order)["Cozy Hoodie"]
        order_ship(
            shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
            tracking_number=UPS, lines=None if ship_all else {hoodie.pk: 1},
        )  # fmt: skip
        with pytest.raises(
            IllegalTransition, match="only orders awaiting shipment can be cancelled"
        ):
            order_cancel(shop=shop, actor=owner, order=order, reason="Changed my mind")
    sku.refresh_from_db()
    assert sku.on_hand == (3 if ship_all else 4) and sku.reserved == (0 if ship_all else 1)


def test_cancel_view_answers_409_for_a_shipped_order(shop, owner, order, owner_client):
    with scope(shop=shop):
        order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                   tracking_number=UPS)  # fmt: skip
    response = owner_client.post(
        reverse("orders:order_cancel", kwargs={"shop_slug": shop.slug, "order_id": order.pk}),
        {"reason": "Out of stock"},
    )
    assert response.status_code == 409
    assert "is awaiting collection" in response.content.decode()


# --- buyers' cancellation requests ------------------------------------------------------------
def test_seller_accepts_a_cancellation_request(shop, owner, order, sku):
    with scope(shop=shop):
        cancel_request_create(shop=shop, order=order, reason="Ordered the wrong size")
        with pytest.raises(Refused, match="accept or decline that first"):
            order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                       tracking_number=UPS)  # fmt: skip
        cancel_request_respond(shop=shop, actor=owner, order=order, accept=True)
        order.refresh_from_db()
        assert (order.status, order.cancelled_by) == ("cancelled", "buyer")
        sku.refresh_from_db()
        assert sku.reserved == 0
        assert CancellationRequest.objects.get().status == "accepted"


def test_seller_declines_with_a_note_and_then_ships(shop, owner, order):
    with scope(shop=shop):
        cancel_request_create(shop=shop, order=order, reason="Too slow")
        with pytest.raises(BadInput, match="why you decline"):
            cancel_request_respond(shop=shop, actor=owner, order=order, accept=False)
        cancel_request_respond(
            shop=shop, actor=owner, order=order, accept=False, note="Already packed"
        )
        order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                   tracking_number=UPS)  # fmt: skip
        assert CancellationRequest.objects.get().status == "declined"


def test_unanswered_request_is_accepted_by_the_beat_task_after_the_deadline(
    shop, order, sku, settings
):
    with scope(shop=shop):
        request = cancel_request_create(shop=shop, order=order, reason="Found it cheaper")
    hours = POLICY.cancel_request_response_hours
    assert request.respond_by == request.requested_at + timedelta(hours=hours)
    assert accept_unanswered_cancel_requests(now=request.respond_by - timedelta(seconds=1)) == 0
    order.refresh_from_db()
    assert order.status == "awaiting_shipment"
    assert accept_unanswered_cancel_requests(now=request.respond_by) == 1
    assert accept_unanswered_cancel_requests(now=request.respond_by) == 0  # idempotent
    order.refresh_from_db()
    assert (order.status, order.cancelled_by) == ("cancelled", "buyer")
    with scope(shop=shop):
        with scope(shop=shop):
            assert statuses(order)[-1] == ("awaiting_shipment", "cancelled", "system")
    request.refresh_from_db()
    assert request.status == "auto_accepted"


def test_buyer_can_ask_to_cancel_from_the_order_page_only_before_shipment(
    client, shop, owner, order
):
    from orders.selectors import buyer_order_token

    with scope(shop=shop):
        url = reverse(
            "store:buyer_order", kwargs={"store_slug": shop.slug, "token": buyer_order_token(order)}
        )
    assert client.post(url, {"action": "cancel", "reason": ""}).status_code == 400
    assert client.post(url, {"action": "cancel", "reason": "Wrong colour"}).status_code == 302
    assert client.post(url, {"action": "cancel", "reason": "Again"}).status_code == 409
    with scope(shop=shop):
        cancel_request_respond(shop=shop, actor=owner, order=order, accept=False, note="Packed")
        order_ship(shop=shop, actor=owner, order=order, carrier="ups", service="UPS Ground",
                   tracking_number=UPS)  # fmt: skip
    response = client.post(url, {"action": "cancel", "reason": "Please"})
    assert response.status_code == 409
    assert "can no longer be cancelled" in response.content.decode()


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
    assert (
        webhook(
            client, {"carrier": "ups", "tracking_number": UPS, "event": "in_transit"}
        ).status_code
        == 200
    )
    order.refresh_from_db()
    assert order.status == "in_transit"
    delivered = webhook(client, {"carrier": "UPS", "tracking_number": UPS, "event": "delivered"})
    with scope(shop=shop):
        assert delivered.json() == {"tracking_number": UPS, "status": "delivered"}
    # A replayed event changes nothing.
    assert (
        webhook(
            client, {"carrier": "ups", "tracking_number": UPS, "event": "delivered"}
        ).status_code
        == 200
    )
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
    response = admin_client.post(
        reverse("admin:orders_package_changelist"),
        {"action": "mark_delivered", "_selected_action": [package.pk]},
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
