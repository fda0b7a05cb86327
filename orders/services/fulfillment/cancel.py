"""Cancelling before shipment: the seller's cancel, buyers' cancellation requests and accepting
those left unanswered."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from catalog.models import StockMovement
from catalog.services import StockChange, stock_move_many
from common.errors import BadInput, IllegalTransition, Refused
from common.policy import POLICY
from orders.models import CancellationRequest, Order, OrderLine
from orders.services.fulfillment.rules import cancellation_awaiting_answer, seller_may_act
from orders.services.live_allocation import live_allocation_return
from orders.services.transitions import ActorKind, order_transition
from shops.models import Shop


def order_cancel(
    *,
    shop: Shop,
    actor,
    order: Order,
    reason: str,
    cancelled_by: str = Order.CancelledBy.SELLER,
    actor_kind: str = ActorKind.SELLER,
    note: str = "",
) -> Order:
    """Cancel before shipment, with a reason; reserved stock and LIVE allocations go back."""
    reason = (reason or "").strip()
    if not reason:
        raise BadInput("Give a reason for cancelling.", field="reason")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk, shop=shop)
        if actor_kind == ActorKind.SELLER:
            seller_may_act(order, actor_kind)
        if Order.Status.CANCELLED not in Order.ALLOWED[order.status]:
            raise IllegalTransition(
                f"Order {order.number} is {order.get_status_display().lower()}; "
                "only orders awaiting shipment can be cancelled."
            )
        # LIVE pins, stock, then the transition: the same lock order as checkout (pins before
        # SKU rows before the status counters), so a cancel and a checkout never deadlock.
        live_allocation_return(order=order)
        lines = OrderLine.objects.filter(shop=shop, order=order, sku__isnull=False)
        stock_move_many(
            shop=shop,
            changes=[StockChange(line.sku_id, reserved=-line.quantity) for line in lines],
            reason=StockMovement.Reason.CANCELLATION,
            reference=order.number,
            actor=actor if actor_kind == ActorKind.SELLER else None,
        )
        order.cancelled_by, order.cancel_reason = cancelled_by, reason[:255]
        order_transition(
            order=order,
            to_status=Order.Status.CANCELLED,
            actor=actor,
            actor_kind=actor_kind,
            note=note or f"Cancelled by {Order.CancelledBy(cancelled_by).label.lower()}: {reason}",
        )
    return order


def cancel_request_create(*, shop: Shop, order: Order, reason: str) -> CancellationRequest:
    """A buyer asks to cancel before shipment; the seller has the response window to answer."""
    reason = (reason or "").strip()[:255]
    if not reason:
        raise BadInput("Tell the seller why you want to cancel.", field="reason")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk, shop=shop)
        if order.status != Order.Status.AWAITING_SHIPMENT:
            raise IllegalTransition(
                f"Order {order.number} is {order.get_status_display().lower()}; "
                "it can no longer be cancelled."
            )
        if cancellation_awaiting_answer(shop=shop, order=order).exists():
            raise Refused("You already asked to cancel this order; the seller will answer soon.")
        now = timezone.now()
        hours = POLICY.cancel_request_response_hours
        return CancellationRequest.objects.create(
            shop=shop,
            order=order,
            reason=reason,
            requested_at=now,
            respond_by=now + timedelta(hours=hours),
        )


def cancel_request_respond(
    *, shop: Shop, actor, order: Order, accept: bool, note: str = ""
) -> CancellationRequest:
    """The seller accepts (the order is cancelled, stock released) or declines."""
    with transaction.atomic():
        request = cancellation_awaiting_answer(shop=shop, order=order).select_for_update().first()
        if request is None:
            raise Refused("There is no open cancellation request on this order.")
        seller_may_act(order, ActorKind.SELLER)
        if not accept and timezone.now() > request.respond_by:
            raise Refused("The time to answer has passed: the request is accepted automatically.")
        if accept:
            order_cancel(
                shop=shop,
                actor=actor,
                order=order,
                reason=request.reason,
                cancelled_by=Order.CancelledBy.BUYER,
                note=f"Buyer's cancellation request accepted: {request.reason}",
            )
        elif not note.strip():
            raise BadInput("Tell the buyer why you decline.", field="note")
        request.status = (
            CancellationRequest.Status.ACCEPTED if accept else CancellationRequest.Status.DECLINED
        )
        request.responded_at, request.responded_by = timezone.now(), actor
        request.decline_note = "" if accept else note.strip()[:255]
        request.save(update_fields=["status", "responded_at", "responded_by", "decline_note"])
    return request


def accept_unanswered_cancel_requests(*, now: datetime | None = None) -> int:
    """Beat: requests past their deadline are accepted for the seller (SPEC §6)."""
    now = now or timezone.now()
    with scopes_disabled():
        due = list(
            CancellationRequest.objects.filter(
                status=CancellationRequest.Status.REQUESTED, respond_by__lte=now
            ).values_list("pk", "shop_id")
        )
    done = 0
    for pk, shop_id in due:
        shop = Shop.objects.get(pk=shop_id)
        with scope(shop=shop), transaction.atomic():
            request = (
                CancellationRequest.objects.select_for_update()
                .filter(pk=pk, status=CancellationRequest.Status.REQUESTED)
                .select_related("order")
                .first()
            )
            if request is None:  # answered meanwhile
                continue
            try:
                order_cancel(
                    shop=shop,
                    actor=None,
                    order=request.order,
                    reason=request.reason,
                    cancelled_by=Order.CancelledBy.BUYER,
                    actor_kind=ActorKind.SYSTEM,
                    note="Buyer's cancellation request accepted automatically: "
                    "the seller did not answer in time.",
                )
            except IllegalTransition:
                pass  # no longer cancellable; the request simply closes
            request.status = CancellationRequest.Status.AUTO_ACCEPTED
            request.responded_at = now
            request.save(update_fields=["status", "responded_at"])
            done += 1
    return done
