"""Shipping (SPEC §6): carriers and tracking numbers, shipping an order in one or more packages,
and shipping many orders from a CSV file."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from catalog.models import StockMovement
from catalog.services import StockChange, stock_move_many
from common.errors import BadInput, IllegalTransition, NotFound, Refused
from orders.models import Order, OrderLine, Package, PackageLine
from orders.selectors import shipped_quantities
from orders.services.fulfillment.rules import (
    advance_after_packages,
    cancellation_awaiting_answer,
    seller_may_act,
)
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
        seller_may_act(order, actor_kind)
        if not order.is_to_ship:
            raise IllegalTransition(
                f"Order {order.number} is {order.get_status_display().lower()}; "
                "there is nothing left to ship."
            )
        if cancellation_awaiting_answer(shop=shop, order=order).exists():
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
                "That tracking number is already on another package of this shop.",
                field="tracking_number",
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
            advance_after_packages(order=order, actor=actor, actor_kind=actor_kind, note=note)
        elif order.status == Order.Status.AWAITING_SHIPMENT:
            order_transition(
                order=order,
                to_status=Order.Status.PARTIALLY_SHIPPED,
                actor=actor,
                actor_kind=actor_kind,
                note=note,
            )
    return package


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


@dataclass(frozen=True)
class Shipment:
    """One order of a bulk "mark shipped": everything left on it goes in one package."""

    order_id: int
    carrier: str
    tracking_number: str
    service: str = ""


def orders_ship_selected(*, shop: Shop, actor, shipments: list[Shipment]) -> BulkShipResult:
    """The orders a seller ticked on the list, each shipped through ``order_ship``. Rows are
    independent, as in the CSV upload: a refused row is reported, the rest ship."""
    orders = Order.objects.filter(shop=shop, pk__in=[s.order_id for s in shipments]).in_bulk()
    result = BulkShipResult()
    for n, shipment in enumerate(shipments, start=1):
        order = orders.get(shipment.order_id)
        try:
            if order is None:
                raise NotFound("No such order in this shop.")
            if shipment.carrier not in CARRIER_SERVICES:
                raise BadInput("Choose a carrier.")
            order_ship(
                shop=shop,
                actor=actor,
                order=order,
                carrier=shipment.carrier,
                service=shipment.service or (CARRIER_SERVICES[shipment.carrier] or ["Standard"])[0],
                tracking_number=shipment.tracking_number,
            )
            result.shipped.append(order.number)
        except (BadInput, Refused, NotFound) as exc:
            result.errors.append((n, order.number if order else "", exc.message))
    return result
