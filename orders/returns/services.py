"""Returns and refunds (SPEC §7): every write to a ReturnRequest goes through here.

``return_transition`` is the one function that changes a return's status; through the
transition helper (common.transitions) it checks ``ReturnRequest.ALLOWED`` and writes the
history row, and it records seller activity. The other functions validate their own inputs,
then call it inside the same transaction, so a refused step leaves nothing half-written.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scope

from catalog.models import StockMovement
from catalog.services import stock_move
from common.clock import local_date
from common.errors import BadInput, Refused
from common.money import format_money
from common.transitions import transition
from orders.models import Order, OrderLine
from orders.returns.models import (
    CENT,
    RETURN_REASONS,
    ReturnPhoto,
    ReturnRequest,
    ReturnStatusChange,
    refundable_cap,
    restocking_fee,
    return_policy_for,
    return_window_last_day,
)
from orders.returns.notices import notify_buyer, notify_sellers_new_request
from orders.returns.photos import save_photos, validate_photos
from orders.returns.signals import return_refunded
from shops import activity
from shops.models import Shop

Status = ReturnRequest.Status
Actor = ReturnStatusChange.ActorKind


NOTE_MAX_CHARS = 2000
# One line, one return: the pre-check and the race it cannot rule out say the same.
ALREADY_REQUESTED = "A return has already been requested for this item."


def return_open(
    *,
    shop: Shop,
    order: Order,
    line: OrderLine,
    kind: str,
    reason: str,
    note: str = "",
    photos: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> ReturnRequest:
    """The buyer asks for a return of one order line, within the shop's return window."""
    now = now or timezone.now()
    if order.shop_id != shop.pk or line.order_id != order.pk:
        raise BadInput("That item is not part of this order.")
    if kind not in ReturnRequest.Kind.values:
        raise BadInput("Choose return and refund, or refund only.")
    if reason not in RETURN_REASONS:
        raise BadInput("Choose a reason from the list.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise BadInput(f"Keep the note under {NOTE_MAX_CHARS} characters.")
    return_policy = return_policy_for(shop)
    last_day = return_window_last_day(order, return_policy)
    if last_day is None or order.status not in (Order.Status.DELIVERED, Order.Status.COMPLETED):
        raise Refused("A return can be requested once the order has been delivered.")
    if local_date(now) > last_day:
        raise Refused(
            f"The return window for this order closed on {last_day:%b %-d, %Y} "
            f"({return_policy.window_days} days after delivery)."
        )
    checked = validate_photos(photos)
    if ReturnRequest.objects.filter(shop=shop, line=line).exists():
        raise Refused(ALREADY_REQUESTED)
    try:
        with transaction.atomic():
            return_request = ReturnRequest.objects.create(
                shop=shop,
                order=order,
                line=line,
                kind=kind,
                reason=reason,
                note=note,
                requested_at=now,
                return_shipping_paid_by=return_policy.return_shipping_paid_by,
            )
            ReturnStatusChange.objects.create(
                shop=shop,
                return_request=return_request,
                from_status="",
                to_status=Status.REQUESTED,
                actor_kind=Actor.BUYER,
                note=reason,
                created_at=now,
            )
            save_photos(return_request, checked, ReturnPhoto.Stage.REQUEST)
            notify_sellers_new_request(return_request)
    except IntegrityError as exc:  # a second request raced this one for the same line
        raise Refused(ALREADY_REQUESTED) from exc
    return return_request


def return_buyer_ship(
    *, shop: Shop, return_request: ReturnRequest, carrier: str, tracking: str
) -> ReturnRequest:
    carrier, tracking = (carrier or "").strip()[:32], (tracking or "").strip()[:64]
    if return_request.kind != ReturnRequest.Kind.RETURN_AND_REFUND:
        raise Refused("Refund-only requests need no parcel sent back.")
    if not carrier or not tracking:
        raise BadInput("Enter the carrier and the tracking number of the parcel.")
    return return_transition(
        shop=shop,
        return_request=return_request,
        to_status=Status.BUYER_SHIPPED,
        actor_kind=Actor.BUYER,
        note=f"{carrier} {tracking}",
        fields={"return_carrier": carrier, "return_tracking": tracking},
    )


def return_escalate(*, shop: Shop, return_request: ReturnRequest, note: str) -> ReturnRequest:
    note = _required(note, "Tell platform staff why you disagree with the inspection.")
    return _reasoned_step(shop, return_request, Status.ESCALATED, note, Actor.BUYER)


def return_approve(*, shop: Shop, actor, return_request: ReturnRequest) -> ReturnRequest:
    return return_transition(
        shop=shop,
        return_request=return_request,
        to_status=Status.APPROVED,
        actor=actor,
        actor_kind=Actor.SELLER,
    )


def return_reject(*, shop: Shop, actor, return_request: ReturnRequest, reason: str):
    reason = _required(reason, "Give the buyer a reason for the rejection.")
    return _reasoned_step(shop, return_request, Status.REJECTED, reason, Actor.SELLER, actor)


def return_receive(
    *, shop: Shop, actor, return_request: ReturnRequest, restock: bool
) -> ReturnRequest:
    """The parcel arrived. With ``restock`` the units go back on hand ("return restock")."""
    with transaction.atomic():
        return_request = return_transition(
            shop=shop,
            return_request=return_request,
            to_status=Status.RECEIVED,
            actor=actor,
            actor_kind=Actor.SELLER,
            note="Restocked" if restock else "Not restocked",
            fields={"restocked": restock},
        )
        line = return_request.line
        if restock and line.sku_id:
            stock_move(
                shop=shop,
                sku_id=line.sku_id,
                on_hand=line.quantity,
                reason=StockMovement.Reason.RETURN_RESTOCK,
                reference=return_request.order.number,
                actor=actor,
            )
    return return_request


@dataclass(frozen=True)
class RefundPreview:
    amount: Decimal  # what the seller grants
    fee: Decimal  # the restocking fee taken off it
    refunded: Decimal  # what the buyer gets back


def return_refund_preview(
    *, shop: Shop, return_request: ReturnRequest, amount, actor_kind: str = Actor.SELLER
) -> RefundPreview:
    """What ``return_refund`` would pay, with its checks, writing nothing (the confirmation)."""
    amount = _refund_amount(amount)
    amount, fee = _refund_terms(return_request, return_policy_for(shop), amount, actor_kind)
    return RefundPreview(amount=amount, fee=fee, refunded=amount - fee)


def _refund_amount(amount) -> Decimal:
    try:
        amount = Decimal(amount).quantize(CENT)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise BadInput("Enter the refund as an amount, e.g. 12.50.") from exc
    if amount <= 0:
        raise BadInput(f"The refund must be more than {format_money(0)}.")
    return amount


def _refund_terms(return_request, return_policy, amount: Decimal, actor_kind: str):
    """(amount, fee) once the cap and the state allow the refund; DomainError otherwise."""
    cap = refundable_cap(return_request, return_policy)
    if amount > cap:
        raise BadInput(
            f"The refund can be at most {format_money(cap)} — what the buyer paid for this item"
            f"{' including its shipping' if return_policy.refund_original_shipping else ''}."
        )
    status = return_request.status
    if status == Status.APPROVED and return_request.kind != ReturnRequest.Kind.REFUND_ONLY:
        raise Refused("Wait for the item to come back before refunding this return.")
    # The fee covers putting a returned item back on sale; a refund without a return has none.
    fee = Decimal("0.00")
    if status == Status.RECEIVED and actor_kind == Actor.SELLER:
        fee = restocking_fee(return_policy, amount)
    return amount, fee


def return_refund(
    *,
    shop: Shop,
    actor,
    return_request: ReturnRequest,
    amount: Decimal,
    actor_kind: str = Actor.SELLER,
) -> ReturnRequest:
    """Refund ``amount`` (full or partial) less the policy's restocking fee, and book it."""
    return_policy = return_policy_for(shop)
    amount = _refund_amount(amount)
    with transaction.atomic():
        # Decide on the state as it is now, under the row lock, not on the caller's copy.
        return_request = (
            ReturnRequest.objects.select_for_update()
            .select_related("order", "line")
            .get(shop=shop, pk=return_request.pk)
        )
        amount, fee = _refund_terms(return_request, return_policy, amount, actor_kind)
        refunded = amount - fee
        return_request = return_transition(
            shop=shop,
            return_request=return_request,
            to_status=Status.REFUNDED,
            actor=actor,
            actor_kind=actor_kind,
            note=f"Refunded {format_money(refunded)}"
            + (f" (restocking fee {format_money(fee)})" if fee else ""),
            fields={"refund_amount": refunded, "restocking_fee": fee},
        )
        return_refunded.send(
            sender=ReturnRequest,
            shop=shop,
            return_request=return_request,
            amount=refunded,
            actor=actor,
        )
    return return_request


def return_reject_receipt(
    *,
    shop: Shop,
    actor,
    return_request: ReturnRequest,
    reason: str,
    photos: Sequence[UploadedFile] = (),
) -> ReturnRequest:
    reason = _required(reason, "Say what failed the inspection.")
    checked = validate_photos(photos)
    with transaction.atomic():
        return_request = _reasoned_step(
            shop, return_request, Status.RECEIPT_REJECTED, reason, Actor.SELLER, actor
        )
        save_photos(return_request, checked, ReturnPhoto.Stage.RECEIPT)
    return return_request


def return_staff_decide(
    *, actor, return_request: ReturnRequest, for_buyer: bool, note: str = ""
) -> ReturnRequest:
    """Platform staff settle an escalation: refund the buyer in full, or uphold the seller."""
    shop = return_request.shop
    with scope(shop=shop):
        return_request.refresh_from_db()
        if return_request.status != Status.ESCALATED:
            raise Refused("Only escalated returns are decided by platform staff.")
        if for_buyer:
            cap = refundable_cap(return_request, return_policy_for(shop))
            return return_refund(
                shop=shop,
                actor=actor,
                return_request=return_request,
                amount=cap,
                actor_kind=Actor.STAFF,
            )
        return return_transition(
            shop=shop,
            return_request=return_request,
            to_status=Status.CLOSED,
            actor=actor,
            actor_kind=Actor.STAFF,
            note=note or "Receipt rejection upheld",
            fields={"staff_decision_note": note},
        )


def return_transition(
    *,
    shop: Shop,
    return_request: ReturnRequest,
    to_status: str,
    actor_kind: str,
    actor=None,
    note: str = "",
    fields: dict | None = None,
    now: datetime | None = None,
) -> ReturnRequest:
    """Move a return to ``to_status`` if ALLOWED from where it is now (read under a row lock)."""
    now = now or timezone.now()
    with transaction.atomic():
        transition(
            return_request,
            to_status,
            fields=fields,
            history={
                "actor": actor if getattr(actor, "pk", None) else None,
                "actor_kind": actor_kind,
                "note": note,
                "created_at": now,
            },
            refused=lambda row: (
                f"This return is {row.get_status_display().lower()}; it cannot be "
                f"{_verb(to_status)}."
            ),
        )
        if actor_kind == Actor.SELLER:
            activity.record(shop=shop, kind=activity.Kind.ORDER_PROCESSED, actor=actor, at=now)
        if actor_kind != Actor.BUYER:
            notify_buyer(return_request)
    return return_request


def _required(reason: str, refusal: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise BadInput(refusal)
    return reason[:NOTE_MAX_CHARS]


# Where each step taken with a reason in words keeps that reason on the return.
_REASON_FIELDS = {
    Status.ESCALATED: "escalation_note",
    Status.REJECTED: "rejection_reason",
    Status.RECEIPT_REJECTED: "receipt_rejection_reason",
}


def _reasoned_step(shop, return_request, to_status, reason, actor_kind, actor=None):
    """The reason is kept on the return and written as the history note."""
    return return_transition(
        shop=shop,
        return_request=return_request,
        to_status=to_status,
        actor=actor,
        actor_kind=actor_kind,
        note=reason,
        fields={_REASON_FIELDS[to_status]: reason},
    )


def _verb(status: str) -> str:
    return {
        Status.APPROVED: "approved",
        Status.REJECTED: "rejected",
        Status.BUYER_SHIPPED: "marked as shipped back",
        Status.RECEIVED: "marked as received",
        Status.REFUNDED: "refunded",
        Status.RECEIPT_REJECTED: "rejected after inspection",
        Status.ESCALATED: "escalated",
        Status.CLOSED: "closed",
    }.get(status, status)
