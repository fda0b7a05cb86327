"""Fulfilment (SPEC §6): ship in one or more packages, cancel before shipment, buyers'
cancellation requests, carrier events and completion after the return window.

Every order status change goes through ``orders.services.transitions.order_transition``.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from catalog.models import StockMovement
from catalog.services import StockChange, stock_move_many
from common.errors import BadInput, IllegalTransition, NotFound, Refused
from common.policy import POLICY
from common.transitions import transition
from orders.models import CancellationRequest, Order, OrderLine, Package, PackageLine
from orders.selectors import shipped_quantities
from orders.services.transitions import ActorKind, order_transition
from shops.models import Shop

Carrier = Package.Carrier

# Tracking number formats, after removing spaces and upper-casing.
TRACKING_FORMATS: dict[str, tuple[re.Pattern, str]] = {
    Carrier.UPS: (re.compile(r"^1Z[0-9A-Z]{16}$"), "1Z followed by 16 letters or digits"),
    Carrier.USPS: (
        re.compile(r"^(9[1-5]\d{18,20}|[A-Z]{2}\d{9}US)$"),
        "20–22 digits starting 91–95, or 2 letters + 9 digits + US",
    ),
    Carrier.FEDEX: (re.compile(r"^(\d{12}|\d{15}|\d{20})$"), "12, 15 or 20 digits"),
    Carrier.DHL: (re.compile(r"^(\d{10,11}|JJD\d{18})$"), "10–11 digits, or JJD + 18 digits"),
    Carrier.OTHER: (re.compile(r"^[A-Z0-9-]{6,40}$"), "6–40 letters, digits or dashes"),
}
CARRIER_SERVICES: dict[str, list[str]] = {
    Carrier.UPS: ["UPS Ground", "UPS 3 Day Select", "UPS 2nd Day Air", "UPS Next Day Air"],
    Carrier.USPS: ["USPS Ground Advantage", "USPS Priority Mail", "USPS Priority Mail Express"],
    Carrier.FEDEX: [
        "FedEx Ground",
        "FedEx Home Delivery",
        "FedEx 2Day",
        "FedEx Standard Overnight",
    ],
    Carrier.DHL: ["DHL Express Worldwide", "DHL eCommerce"],
    Carrier.OTHER: [],  # free text
}


def normalise_tracking(carrier: str, tracking_number: str) -> str:
    """The tracking number in canonical form, or BadInput naming the carrier's format."""
    if carrier not in TRACKING_FORMATS:
        raise BadInput("Choose a carrier: UPS, USPS, FedEx, DHL or other.", field="carrier")
    number = re.sub(r"\s+", "", tracking_number or "").upper()
    pattern, described = TRACKING_FORMATS[carrier]
    if not pattern.match(number):
        raise BadInput(
            f"That is not a {Carrier(carrier).label} tracking number ({described}).",
            field="tracking_number",
        )
    return number


# --- shipping ---------------------------------------------------------------------------------
def order_ship(
    *,
    shop: Shop,
    actor,
    order: Order,
    carrier: str,
    service: str,
    tracking_number: str,
    lines: dict[int, int] | None = None,
    actor_kind: str = ActorKind.SELLER,
) -> Package:
    """Ship ``lines`` ({order line id: quantity}; None = everything not yet shipped) in one
    package. The order becomes partially shipped or awaiting collection."""
    tracking = normalise_tracking(carrier, tracking_number)
    service = (service or "").strip()
    if CARRIER_SERVICES[carrier] and service not in CARRIER_SERVICES[carrier]:
        raise BadInput(
            f"Choose a {Carrier(carrier).label} service: {', '.join(CARRIER_SERVICES[carrier])}.",
            field="service",
        )
    if not service:
        raise BadInput("Name the shipping service.", field="service")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk, shop=shop)
        _seller_may_act(order, actor_kind)
        if not order.is_to_ship:
            raise IllegalTransition(
                f"Order {order.number} is {order.get_status_display().lower()}; "
                "there is nothing left to ship."
            )
        if CancellationRequest.objects.filter(
            shop=shop, order=order, status=CancellationRequest.Status.REQUESTED
        ).exists():
            raise Refused("The buyer asked to cancel this order: accept or decline that first.")
        order_lines = {line.pk: line for line in OrderLine.objects.filter(shop=shop, order=order)}
        shipped = shipped_quantities(order)
        remaining = {pk: line.quantity - shipped.get(pk, 0) for pk, line in order_lines.items()}
        wanted = (
            {pk: q for pk, q in remaining.items() if q > 0}
            if lines is None
            else {int(k): int(v) for k, v in lines.items() if int(v) != 0}
        )
        if not wanted:
            raise BadInput("Choose at least one item to put in the package.", field="lines")
        for pk, quantity in wanted.items():
            if pk not in order_lines:
                raise BadInput("That item is not part of this order.", field="lines")
            if quantity < 0 or quantity > remaining[pk]:
                raise BadInput(
                    f"“{order_lines[pk].title}”: {remaining[pk]} left to ship, not {quantity}.",
                    field="lines",
                )
        try:
            with transaction.atomic():
                package = Package.objects.create(
                    shop=shop,
                    order=order,
                    carrier=carrier,
                    service=service,
                    tracking_number=tracking,
                    shipped_by=actor if actor_kind == ActorKind.SELLER else None,
                )
        except IntegrityError:
            raise BadInput(
                "That tracking number is already on another package.", field="tracking_number"
            ) from None
        PackageLine.objects.bulk_create(
            PackageLine(shop=shop, package=package, line_id=pk, quantity=q)
            for pk, q in wanted.items()
        )
        # Reserved units leave the warehouse: on hand and reserved both drop.
        stock_move_many(
            shop=shop,
            changes=[
                StockChange(order_lines[pk].sku_id, on_hand=-quantity, reserved=-quantity)
                for pk, quantity in wanted.items()
                if order_lines[pk].sku_id
            ],
            reason=StockMovement.Reason.ORDER,
            reference=order.number,
            actor=actor,
        )
        everything = all(remaining[pk] - wanted.get(pk, 0) == 0 for pk in remaining)
        note = f"{package.get_carrier_display()} {service} · {tracking}"
        if everything:
            _advance_after_packages(order=order, actor=actor, actor_kind=actor_kind, note=note)
        elif order.status == Order.Status.AWAITING_SHIPMENT:
            order_transition(
                order=order,
                to_status=Order.Status.PARTIALLY_SHIPPED,
                actor=actor,
                actor_kind=actor_kind,
                note=note,
            )
    return package


# --- cancelling -------------------------------------------------------------------------------
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
    """Cancel before shipment, with a reason; reserved stock goes back."""
    reason = (reason or "").strip()
    if not reason:
        raise BadInput("Give a reason for cancelling.", field="reason")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk, shop=shop)
        if actor_kind == ActorKind.SELLER:
            _seller_may_act(order, actor_kind)
        if Order.Status.CANCELLED not in Order.ALLOWED[order.status]:
            raise IllegalTransition(
                f"Order {order.number} is {order.get_status_display().lower()}; "
                "only orders awaiting shipment can be cancelled."
            )
        # Stock first, then the transition: the same lock order as checkout (SKU rows before
        # the status counters), so a cancel and a checkout never deadlock.
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
        if CancellationRequest.objects.filter(
            shop=shop, order=order, status=CancellationRequest.Status.REQUESTED
        ).exists():
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
        request = (
            CancellationRequest.objects.select_for_update()
            .filter(shop=shop, order=order, status=CancellationRequest.Status.REQUESTED)
            .first()
        )
        if request is None:
            raise Refused("There is no open cancellation request on this order.")
        _seller_may_act(order, ActorKind.SELLER)
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


# --- carrier events ---------------------------------------------------------------------------
def package_carrier_event(
    *,
    carrier: str,
    tracking_number: str,
    event: str,
    at: datetime | None = None,
    actor=None,
    actor_kind: str = ActorKind.CARRIER,
) -> Package:
    """A carrier (webhook) or staff (admin action) reports a package in transit or delivered.

    Replays of an event already applied change nothing. The order follows its packages.
    """
    if event not in (Package.Status.IN_TRANSIT, Package.Status.DELIVERED):
        raise BadInput("The event must be in_transit or delivered.", field="event")
    at = at or timezone.now()
    number = re.sub(r"\s+", "", tracking_number or "").upper()
    with scopes_disabled():
        found = Package.objects.filter(carrier=carrier, tracking_number=number).first()
    if found is None:
        raise NotFound("No package has that tracking number.")
    shop = Shop.objects.get(pk=found.shop_id)
    with scope(shop=shop), transaction.atomic():
        package = Package.objects.select_for_update().get(pk=found.pk)
        if package.status == event:
            return package
        stamp = "in_transit_at" if event == Package.Status.IN_TRANSIT else "delivered_at"
        transition(
            package,
            event,
            fields={stamp: at},
            history={"actor": actor if actor_kind == ActorKind.STAFF else None, "at": at},
            refused=lambda locked: (
                f"Package {number} is {locked.get_status_display().lower()}; "
                f"it cannot become {Package.Status(event).label.lower()}."
            ),
            error=IllegalTransition,
        )
        order = Order.objects.select_for_update().get(pk=package.order_id)
        if not order.is_to_ship:
            _advance_after_packages(
                order=order,
                actor=actor,
                actor_kind=actor_kind,
                note=f"{package.get_carrier_display()} {number}: {package.get_status_display()}",
                at=at,
            )
    return package


def _advance_after_packages(*, order: Order, actor, actor_kind: str, note: str, at=None) -> None:
    """Once everything has shipped, the order's state follows its packages."""
    states = set(Package.objects.filter(order=order).values_list("status", flat=True))
    if states == {Package.Status.DELIVERED}:
        target = Order.Status.DELIVERED
    elif states & {Package.Status.IN_TRANSIT, Package.Status.DELIVERED}:
        target = Order.Status.IN_TRANSIT
    else:
        target = Order.Status.AWAITING_COLLECTION
    if target == order.status:
        return
    if target not in Order.ALLOWED[order.status] and target == Order.Status.DELIVERED:
        # e.g. partially shipped → delivered happens through in transit.
        order_transition(
            order=order, to_status=Order.Status.IN_TRANSIT, actor=actor,
            actor_kind=actor_kind, note=note, at=at,
        )  # fmt: skip
    order_transition(
        order=order, to_status=target, actor=actor, actor_kind=actor_kind, note=note, at=at
    )


# --- completion -------------------------------------------------------------------------------
def complete_delivered_orders(*, now: datetime | None = None) -> int:
    """Beat: delivered orders whose return window has passed become completed (SPEC §6)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=POLICY.return_window_days)
    with scopes_disabled():
        due = list(
            Order.objects.filter(status=Order.Status.DELIVERED, delivered_at__lte=cutoff)
            .order_by("shop_id", "pk")
            .values_list("pk", "shop_id")
        )
    done = 0
    shops: dict[int, Shop] = {}
    for pk, shop_id in due:
        shop = shops.get(shop_id) or shops.setdefault(shop_id, Shop.objects.get(pk=shop_id))
        with scope(shop=shop):
            try:
                order_transition(
                    order=Order.objects.get(pk=pk),
                    to_status=Order.Status.COMPLETED,
                    actor_kind=ActorKind.SYSTEM,
                    note="Return window passed",
                    at=now,
                )
                done += 1
            except IllegalTransition:
                continue  # changed meanwhile; a re-run is harmless
    return done


# --- bulk shipping ----------------------------------------------------------------------------
@dataclass
class BulkShipResult:
    shipped: list[str] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, order number, why)


def orders_bulk_ship(*, shop: Shop, actor, csv_file) -> BulkShipResult:
    """Rows of order number, carrier, tracking number[, service]: each ships everything left on
    that order in one package. Rows are independent: a bad row is reported, the rest ship."""
    try:
        text = csv_file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput("The file must be a UTF-8 CSV.") from None
    rows = list(csv.reader(io.StringIO(text)))
    if (
        rows
        and rows[0]
        and rows[0][0].strip().lower().replace("_", " ")
        in {
            "order number",
            "order",
        }
    ):
        rows = rows[1:]
    if not rows:
        raise BadInput("The file has no rows.")
    if len(rows) > 5000:
        raise BadInput("At most 5,000 rows per file.")
    carriers = {c.label.lower(): c.value for c in Carrier} | {c.value: c.value for c in Carrier}
    result = BulkShipResult()
    for n, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row] + ["", "", "", ""]
        number, carrier_name, tracking, service = cells[:4]
        if not any(cells):
            continue
        carrier = carriers.get(carrier_name.lower())
        try:
            if carrier is None:
                raise BadInput(f"Unknown carrier “{carrier_name}”.")
            order = Order.objects.filter(shop=shop, number=number).first()
            if order is None:
                raise NotFound("No order with that number in this shop.")
            order_ship(
                shop=shop,
                actor=actor,
                order=order,
                carrier=carrier,
                service=service or (CARRIER_SERVICES[carrier] or ["Standard"])[0],
                tracking_number=tracking,
            )
            result.shipped.append(number)
        except (BadInput, Refused, NotFound) as exc:
            result.errors.append((n, number, exc.message))
    return result


def _seller_may_act(order: Order, actor_kind: str) -> None:
    if actor_kind == ActorKind.SELLER and order.fulfillment == Order.Fulfillment.PLATFORM:
        raise Refused(
            f"Order {order.number} is fulfilled by the platform; it is read-only for the seller."
        )
