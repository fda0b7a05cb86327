"""Storefront checkout (SPEC §6): one transaction — the whole order with its stock reserved, or
nothing.

Inside it, in this order: the cart's SKUs are priced (live?), shipping is quoted from the shop's
templates, promotions applied (the coupon read, not yet used; a LIVE pin already sold out, or a
buyer already at its limit, refused from committed figures), a slot under the shop's daily cap
is taken with a conditional UPDATE (probation / investigation: a few dozen orders a day, so its
row lock can be held), the order, its promotions, lines and history row are written paid, the
LIVE sales are recorded and each pin's allocation taken with a conditional UPDATE, the cart's
stock is reserved in one statement that locks the SKU rows in id order (so two carts never
deadlock), and the coupon's use is taken with a conditional UPDATE. Any refusal raises and the
database rolls everything back.

The number of statements is the same whatever the number of lines. The rows that many checkouts
of a shop share — a pinned product in a flash sale, a hot SKU, a popular coupon — are locked
last: each lock is held until commit, so the time from taking it to committing decides how many
checkouts of one shop can commit per second. Everything that needs no shared row (validation,
pricing, shipping, the order's own rows) happens before the first of them; a sold-out item is
refused from committed figures before any lock, so the buyers after a sell-out never queue.
Lock order across services: LIVE pins (id order), SKU rows (id order), then the coupon.
"""

import logging
import re
import secrets
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from kombu.exceptions import KombuError

from catalog.models import SKU, Product, StockMovement
from catalog.services import OutOfStock, StockChange, stock_move_many
from common.clock import day_bounds_of, local_date, local_time, platform_tz
from common.errors import BadInput, DomainError, Refused, Unprocessable
from common.policy import POLICY
from orders.models import DailyOrderCount, Order, OrderLine, OrderStatusChange, Visit
from orders.services.checkout_input import (
    Buyer,
    CartLine,
    checkout_fingerprint,
    clean_buyer,
    clean_cart,
)
from orders.services.pricing import (
    PricedLine,
    apply_promotions,
    coupon_use_take,
    live_allocation_take,
    promotions_record,
)
from orders.services.shipping import QuoteItem, shipping_quote
from orders.signals import order_placed, order_status_changed
from orders.tasks import send_order_confirmation_task
from shops.models import Shop
from shops.order_caps import effective_daily_order_cap

logger = logging.getLogger(__name__)

NUMBER_ATTEMPTS = 5


def checkout_place(
    *,
    shop: Shop,
    lines: list[CartLine],
    buyer: Buyer,
    traffic_source: str = "",
    checkout_key: str | None = None,
    coupon_code: str = "",
    now: datetime | None = None,
) -> tuple[Order, bool]:
    """Place a paid order. Returns (order, created); a repeated ``checkout_key`` with the same
    cart, buyer and coupon returns the order it already made with ``created=False``; the key
    with any other body raises Unprocessable (422) and reveals nothing of that order. Raises
    BadInput (400) or Refused (409)."""
    # The shop was read by the caller moments ago (the view resolves it from the URL); reading
    # it again inside the transaction, without a lock, would not make the answer any fresher.
    now = now or timezone.now()
    if checkout_key is not None and not re.fullmatch(r"[A-Za-z0-9-]{8,64}", checkout_key):
        raise BadInput("The checkout key is malformed.")
    try:
        cart = clean_cart(lines)
        buyer = clean_buyer(buyer)
    except BadInput:
        _existing(shop, checkout_key, fingerprint="")  # a used key: 422, not the input's error
        raise
    fingerprint = checkout_fingerprint(cart=cart, buyer=buyer, coupon_code=coupon_code)
    if traffic_source not in Visit.Source.values:
        traffic_source = ""
    if not shop.is_active:
        raise Refused(f"{shop.name} is not accepting orders right now.")
    for attempt in range(NUMBER_ATTEMPTS):
        number = _order_number(now)
        try:
            with transaction.atomic():
                return _place(
                    shop=shop,
                    cart=cart,
                    buyer=buyer,
                    traffic_source=traffic_source,
                    checkout_key=checkout_key,
                    fingerprint=fingerprint,
                    coupon_code=coupon_code,
                    now=now,
                    number=number,
                )
        except DomainError:
            # A retry of an order already placed (its item since sold out, its coupon used up,
            # the day's cap reached): answer with that order, not the refusal.
            existing = _existing(shop, checkout_key, fingerprint=fingerprint)
            if existing is None:
                raise
            return existing, False
        except IntegrityError:
            # The key is taken — a retry, or a concurrent request with the same key committed
            # first: answer with its order. (No look-up before placing: a first attempt, the
            # usual case, saves a query; a retry is rolled back at the order's INSERT.)
            existing = _existing(shop, checkout_key, fingerprint=fingerprint)
            if existing is not None:
                return existing, False
            # Else the random order number was taken (about never): place it again with
            # another one, rather than paying a savepoint on every checkout.
            taken = Order.objects.filter(shop=shop, number=number).exists()
            if attempt == NUMBER_ATTEMPTS - 1 or not taken:
                raise
    raise AssertionError("unreachable")


def _place(
    *, shop, cart, buyer, traffic_source, checkout_key, fingerprint, coupon_code, now, number
) -> tuple[Order, bool]:
    skus = {
        sku.pk: sku
        for sku in SKU.objects.filter(shop=shop, pk__in=list(cart)).select_related("product")
    }
    unknown = sorted(set(cart) - set(skus))
    if unknown:
        raise BadInput(f"Unknown item(s) in the cart: {', '.join(map(str, unknown))}.")
    for sku in skus.values():
        if sku.product.status != Product.Status.LIVE:
            raise Refused(f"“{sku.product.title}” is not available to buy.")
    priced = [
        PricedLine(sku_id=s, product_id=skus[s].product_id, quantity=q, unit_price=skus[s].price)
        for s, q in sorted(cart.items())
    ]
    quote = shipping_quote(
        shop=shop,
        state=buyer.state,
        items=[
            QuoteItem(
                product_id=p.product_id,
                quantity=p.quantity,
                unit_price=p.unit_price,
                weight_grams=skus[p.sku_id].weight_grams or 0,
            )
            for p in priced
        ],
    )
    subtotal = sum((p.unit_price * p.quantity for p in priced), Decimal("0"))
    promotions = apply_promotions(
        shop=shop,
        lines=priced,
        subtotal=subtotal,
        shipping_fee=quote.fee,
        coupon_code=coupon_code,
        buyer_email=buyer.email,
        now=now,
    )
    discount = max(Decimal("0"), min(promotions.total, subtotal + quote.fee))
    _take_daily_slot(shop=shop, now=now)
    # Refuse a cart the stock read above already cannot fill before writing anything: a sold-out
    # hot item then costs no row lock. The reservation below re-checks under the lock.
    _refuse_short(priced, skus)

    order = Order(
        shop=shop,
        status=Order.Status.AWAITING_SHIPMENT,
        buyer_name=buyer.name,
        buyer_email=buyer.email,
        buyer_phone=buyer.phone,
        ship_line1=buyer.line1,
        ship_city=buyer.city,
        ship_state=buyer.state,
        ship_postcode=buyer.postcode,
        currency=shop.currency,
        subtotal=subtotal,
        shipping_fee=quote.fee,
        discount=discount,
        total=subtotal + quote.fee - discount,
        placed_at=now,
        ship_by=ship_by_deadline(now),
        traffic_source=traffic_source,
        checkout_key=checkout_key,
        checkout_fingerprint=fingerprint if checkout_key else "",
        number=number,
    )
    order.save(force_insert=True)
    promotions_record(order=order, promotions=promotions)
    OrderLine.objects.bulk_create(
        OrderLine(
            shop=shop,
            order=order,
            sku_id=p.sku_id,
            product_id=p.product_id,
            title=_line_title(skus[p.sku_id]),
            seller_sku=skus[p.sku_id].seller_sku,
            quantity=p.quantity,
            unit_price=p.unit_price,
            line_total=p.unit_price * p.quantity,
        )
        for p in priced
    )
    OrderStatusChange.objects.create(
        shop=shop,
        order=order,
        from_status="",
        to_status=Order.Status.AWAITING_SHIPMENT,
        actor_kind=OrderStatusChange.ActorKind.BUYER,
        note="Order placed and paid",
        created_at=now,
    )
    order_placed.send(sender=Order, shop=shop, order=order)
    # Lock order across services: LIVE pins, SKU rows, then the coupon.
    live_allocation_take(order=order, promotions=promotions)
    try:
        stock_move_many(
            shop=shop,
            changes=[StockChange(p.sku_id, reserved=p.quantity) for p in priced],
            reason=StockMovement.Reason.ORDER,
            reference=order.number,
        )
    except OutOfStock as short:
        raise Refused(_short_message(skus[short.sku_id], short.requested)) from None
    coupon_use_take(order=order, promotions=promotions)  # its row lock is held until commit

    def after_commit():
        try:
            send_order_confirmation_task.delay(shop_id=shop.pk, order_id=order.pk)
        except KombuError:
            # The broker is down (make chaos: Redis restart). The order is committed and paid:
            # answer with it rather than a 500 that hides it from the buyer.
            logger.exception(
                "Order %s placed; its confirmation email could not be queued", order.pk
            )
        order_status_changed.send(
            sender=Order,
            shop=shop,
            order=order,
            from_status="",
            to_status=Order.Status.AWAITING_SHIPMENT,
            actor=None,
        )

    transaction.on_commit(after_commit)
    return order, True


def ship_by_deadline(placed_at: datetime) -> datetime:
    """End of the Nth business day (Mon–Fri, platform time zone) after the order was placed."""
    day = local_date(placed_at)
    left = POLICY.ship_by_business_days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return datetime.combine(day, time(23, 59, 59), tzinfo=platform_tz())


def _take_daily_slot(*, shop: Shop, now: datetime) -> None:
    """One conditional UPDATE (count < cap) per order: the row lock serialises concurrent buyers
    of a capped shop, and the condition is re-checked against the committed count."""
    cap = effective_daily_order_cap(shop)
    if cap is None:
        return
    day = local_date(now)
    slot = DailyOrderCount.objects.filter(shop=shop, day=day, count__lt=cap)
    taken = slot.update(count=F("count") + 1)
    if not taken and not DailyOrderCount.objects.filter(shop=shop, day=day).exists():
        # The day's first order — or the cap started mid-day: count what the shop already took.
        start, end = day_bounds_of(now)
        already = Order.objects.filter(shop=shop, placed_at__gte=start, placed_at__lt=end).count()
        DailyOrderCount.objects.bulk_create(
            [DailyOrderCount(shop=shop, day=day, count=already)], ignore_conflicts=True
        )
        taken = slot.update(count=F("count") + 1)
    if not taken:
        raise Refused(
            f"{shop.name} has reached its limit of {cap} orders for today. "
            "Please try again tomorrow."
        )


def _order_number(now: datetime) -> str:
    local = local_time(now)
    return f"{local:%y%m%d}{secrets.randbelow(10**10):010d}"


def _existing(shop: Shop, checkout_key: str | None, *, fingerprint: str) -> Order | None:
    """The order already placed under ``checkout_key``, if it was placed with this very body;
    Unprocessable if the key was used with another one (another buyer replaying a key)."""
    if not checkout_key:
        return None
    existing = Order.objects.filter(shop=shop, checkout_key=checkout_key).first()
    if existing is None:
        return None
    if not fingerprint or not constant_time_compare(existing.checkout_fingerprint, fingerprint):
        raise Unprocessable(
            "This checkout key was already used for a different checkout. "
            "Reload the cart and try again."
        )
    return existing


def _refuse_short(priced: list[PricedLine], skus: dict[int, SKU]) -> None:
    for p in priced:
        if skus[p.sku_id].available < p.quantity:
            raise Refused(_short_message(skus[p.sku_id], p.quantity))


def _short_message(sku: SKU, requested: int) -> str:
    """Sold out when none is left (the flash-sale answer); else how many the cart asks for."""
    if sku.available <= 0:
        return f"Not enough stock of “{_line_title(sku)}”: it is sold out."
    return f"Not enough stock of “{_line_title(sku)}” for {requested}."


def _line_title(sku: SKU) -> str:
    return f"{sku.product.title} ({sku.label})" if sku.attributes else sku.product.title
