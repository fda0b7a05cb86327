"""A LIVE pin's allocation and per-buyer limit at checkout, and their return when an order is
cancelled.

Checkout takes the pin's ``sold`` with one conditional UPDATE (``sold + n <= allocation``),
whose row lock serialises the per-buyer count behind it. Before any lock, the buyers who come
after a sell-out are answered from the shop's promotion windows (``live_refuse_known_sold_out``,
a cache read); the first checkout that finds a pin sold out under its lock makes the windows
learn it. There is no other check before the lock: the pins come with the windows, and a count
of the buyer's purchases there would cost every buyer a query to spare the rare one at the limit
a rolled-back transaction.

A cancelled order gives its units back (``live_allocation_return``, in the cancel's
transaction): the next buyer can have them. The per-buyer count leaves cancelled orders out, so
the buyer's limit is given back with it. Lock order, as in checkout: the pins (id order), then
the SKU rows.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from django.db.models import F, Q, Sum

from common.errors import Refused
from orders.marketing.models import LivePin, LiveSale, buyer_identity
from orders.marketing.selectors import promotion_windows_forget
from orders.models import Order

if TYPE_CHECKING:
    from orders.marketing.selectors import PromoPrice


class LiveSoldOut(Refused):
    """A pin found sold out. Found under the pin's lock, the checkout rolls back and then makes
    the shop's promotion windows learn it (``promotion_windows_forget``) — after the rollback,
    which would take a forget written to the database cache (``make run``'s) with it."""


class CartLine(Protocol):
    """A cart line as pricing reads it (orders.services.pricing.PricedLine)."""

    sku_id: int
    product_id: int
    quantity: int


@dataclass(frozen=True)
class LiveTake:
    """Units of one pinned product this cart buys during a live session, and what they cost."""

    pin: LivePin
    quantity: int
    amount: Decimal


def live_takes(*, lines: "list[CartLine]", prices: "dict[int, PromoPrice]") -> tuple[LiveTake, ...]:
    """What the cart takes from each pin of a session live now, pins in id order (the order
    ``live_allocation_take`` locks them in, so two carts never deadlock)."""
    takes: dict[int, LiveTake] = {}
    for line in lines:
        promo = prices.get(line.sku_id)
        if promo is None or promo.live_pin is None:
            continue
        pin = promo.live_pin
        seen = takes.get(pin.pk, LiveTake(pin=pin, quantity=0, amount=Decimal("0.00")))
        takes[pin.pk] = LiveTake(
            pin=pin,
            quantity=seen.quantity + line.quantity,
            amount=seen.amount + promo.price * line.quantity,
        )
    return tuple(takes[pk] for pk in sorted(takes))


def live_refuse_known_sold_out(*, sold_out: dict[int, str], sku_ids) -> None:
    """Refuse a cart with a SKU whose pin the shop's promotion windows already know is sold
    out (``sold_out``: sku id → product title): a flash sale's late buyers are answered from
    that cache read, before the cart's SKUs are read."""
    for sku_id in sorted(sku_ids):
        if sku_id in sold_out:
            raise Refused(_sold_out_message(sold_out[sku_id]), field="quantity")


def live_allocation_take(*, order: Order, takes: tuple[LiveTake, ...]) -> None:
    """Record the order's LIVE sales and take their units from each pin's allocation, or raise
    Refused (the caller's transaction rolls back). Call just before the stock reservation: the
    pin's row lock is held until commit."""
    if not takes:
        return
    buyer_email = buyer_identity(order.buyer_email)
    LiveSale.objects.bulk_create(
        LiveSale(
            shop_id=order.shop_id,
            session_id=t.pin.session_id,
            pin=t.pin,
            order=order,
            product_id=t.pin.product_id,
            quantity=t.quantity,
            amount=t.amount,
            buyer_email=buyer_email,
            created_at=order.placed_at,
        )
        for t in takes
    )
    for take in takes:  # pins in id order
        pin = take.pin
        taken = (
            LivePin.objects.filter(pk=pin.pk)
            .filter(Q(allocation__isnull=True) | Q(sold__lte=F("allocation") - take.quantity))
            .update(sold=F("sold") + take.quantity)
        )
        if not taken:
            sold = LivePin.objects.filter(pk=pin.pk).values_list("sold", flat=True).first()
            _live_refuse_over_allocation(pin, sold, take.quantity)
    # The UPDATEs hold the pins' row locks until checkout commits, so this count sees every
    # committed sale to the same buyer (this order's own rows included) and no two of their
    # checkouts pass it together.
    limited = [t for t in takes if t.pin.per_buyer_limit is not None]
    if limited:
        bought = _live_bought(pins=[t.pin.pk for t in limited], buyer_email=buyer_email)
        for take in limited:
            _live_refuse_over_limit(take.pin, bought.get(take.pin.pk, 0))


def _live_bought(*, pins: list[int], buyer_email: str) -> dict[int, int]:
    """pin id → units the buyer has bought of it (cancelled orders left out). One query."""
    rows = (
        LiveSale.objects.filter(pin_id__in=pins, buyer_email=buyer_identity(buyer_email))
        .exclude(order__status=Order.Status.CANCELLED)
        .values("pin_id")
        .annotate(units=Sum("quantity"))
    )
    return {r["pin_id"]: r["units"] for r in rows}


def _live_refuse_over_allocation(pin: LivePin, sold: int | None, quantity: int) -> None:
    if pin.allocation is None:
        return
    left = pin.allocation - (sold or 0)
    if left <= 0:
        raise LiveSoldOut(_sold_out_message(pin.product.title), field="quantity")
    if quantity > left:
        raise Refused(
            f"Only {left} of “{pin.product.title}” left in this LIVE; lower the quantity.",
            field="quantity",
        )


def _sold_out_message(title: str) -> str:
    return f"“{title}” is sold out for this LIVE."


def _live_refuse_over_limit(pin: LivePin, units: int) -> None:
    if units > pin.per_buyer_limit:
        raise Refused(
            f"“{pin.product.title}” is limited to {pin.per_buyer_limit} per buyer in this LIVE, "
            "and this order would take you over it.",
            field="quantity",
        )


def live_allocation_return(*, order: Order) -> None:
    """Give a cancelled order's LIVE units back to each pin's allocation. Call once per order,
    in the cancel's transaction after the order's row lock shows it was not cancelled yet, and
    before its stock is released (the same lock order as checkout: pins, then SKU rows)."""
    sales = (
        LiveSale.objects.filter(order=order)
        .values("pin_id")
        .annotate(units=Sum("quantity"))
        .order_by("pin_id")
    )
    for sale in sales:
        # ``sold__gte``: never below zero, whatever was done to the pin by hand.
        LivePin.objects.filter(pk=sale["pin_id"], sold__gte=sale["units"]).update(
            sold=F("sold") - sale["units"]
        )
    if sales:
        promotion_windows_forget([order.shop_id])  # a pin sold out may sell again
