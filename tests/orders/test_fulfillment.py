"""Order lifecycle and fulfilment (SPEC §6): one state machine, packages, cancellations and
buyers' cancellation requests. After shipping (carrier events, completion): test_fulfillment_delivery.py."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django_scopes import scope

from common.errors import BadInput, IllegalTransition, Refused
from common.policy import POLICY
from orders.models import CancellationRequest, Order, Package
from orders.services.fulfillment.cancel import (
    accept_unanswered_cancel_requests,
    cancel_request_create,
    cancel_request_respond,
    order_cancel,
)
from orders.services.fulfillment.ship import normalise_tracking, order_ship
from orders.services.transitions import ActorKind, order_transition
from orders.signals import order_status_changed
from shops.models import ActivityEvent
from tests.orders.conftest import place
from tests.orders.fulfilment import UPS, UPS2, lines, statuses

pytestmark = pytest.mark.django_db


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


def test_ship_page_refuses_a_quantity_that_is_not_a_whole_number(shop, order, owner_client):
    hoodie = lines(order)["Cozy Hoodie"]
    response = owner_client.post(
        reverse("orders:order_ship", kwargs={"shop_slug": shop.slug, "order_id": order.pk}),
        {
            "carrier": "ups",
            "service": "UPS Ground",
            "tracking_number": UPS,
            f"qty_{hoodie.pk}": "1.5",
        },
    )
    assert response.status_code == 400
    assert "Quantities must be whole numbers." in response.content.decode()
    with scope(shop=shop):
        assert not order.packages.exists()


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
    from orders.buyer_links import buyer_order_token

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
