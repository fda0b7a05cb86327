"""Storefront checkout (SPEC §6): one transaction — the whole order with its stock reserved, or
nothing — after the reads that need none.

First, outside any transaction and cheapest refusals first: a capped shop's full day, a LIVE pin
the shop's promotion windows know is sold out (one cache read: a flash sale's late buyers are
answered without a query and never queue), the cart's SKUs (with the shipping template each
product names), stock short as read, then the promotions (only the kinds whose windows say they
run; the LIVE pins come with the windows; the coupon read, not yet used), then the shipping
quote (the shop's zones: another cache read). All of them are re-checked under lock, where a
pin's allocation and a buyer's LIVE limit are checked in the first place.

Then the transaction, writes only: a slot under the shop's daily cap is taken with a conditional
UPDATE (probation / investigation: a few dozen orders a day, so its row lock can be held), the
order, its promotions, lines and history row are written paid, the LIVE sales are recorded and
each pin's allocation taken with a conditional UPDATE, the cart's stock is reserved — one
conditional UPDATE (for several SKUs, its subquery locks the rows in id order, so two carts
never deadlock) when the stock stays clear of its low-stock thresholds (``stock_reserve_clear``), else
``stock_move_many``, which also opens the alerts — and the coupon's use is taken with a
conditional UPDATE. Any refusal raises and the database rolls everything back. Work that can
wait (the confirmation email, the figures' caches) runs on commit.

The number of statements is the same whatever the number of lines
(tests/orders/test_checkout_statements.py). The rows that many checkouts of a shop share — a
pinned product in a flash sale, a hot SKU, a popular coupon — are locked last: each lock is held
until commit, so the time from taking it to committing decides how many checkouts of one shop
can commit per second. Lock order across services: LIVE pins (id order), SKU rows (id order),
then the coupon.
"""

import re
import secrets
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from catalog.models import StockMovement
from catalog.services import (
    OutOfStock,
    StockChange,
    StockNotClear,
    stock_move_many,
    stock_reserve_clear,
)
from common.clock import day_bounds_of, local_date, local_time, platform_tz
from common.errors import BadInput, DomainError, Refused, Unprocessable
from common.policy import POLICY
from orders.marketing.selectors import promotion_windows_forget
from orders.models import (
    DailyOrderCount,
    Order,
    OrderLine,
    OrderStatusChange,
    Visit,
)
from orders.services.checkout_input import (
    Buyer,
    CartLine,
    checkout_fingerprint,
    clean_buyer,
    clean_cart,
)
from orders.services.checkout_read import (
    CartRead,
    cart_read,
    day_full_message,
    line_title,
    short_message,
)
from orders.services.live_allocation import LiveSoldOut, live_allocation_take
from orders.services.notifications import order_confirmations_nudge
from orders.services.pricing import (
    coupon_use_take,
    promotions_record,
)
from orders.signals import order_placed, order_status_changed
from shops.models import Shop
from shops.order_caps import effective_daily_order_cap

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
    try:
        # Reads only, on committed figures and outside the transaction: a sold-out item or a
        # bad coupon is answered without opening one, and the transaction holds writes only.
        read = cart_read(shop=shop, cart=cart, buyer=buyer, coupon_code=coupon_code, now=now)
    except DomainError:
        return _replayed(shop, checkout_key, fingerprint=fingerprint)
    # Clear of the low-stock thresholds as read: one statement reserves (stock_reserve_clear).
    stock_clear = read.stock_clear
    for attempt in range(NUMBER_ATTEMPTS):
        number = _order_number(now)
        try:
            with transaction.atomic():
                return _place(
                    shop=shop,
                    read=read,
                    stock_clear=stock_clear,
                    buyer=buyer,
                    traffic_source=traffic_source,
                    checkout_key=checkout_key,
                    fingerprint=fingerprint,
                    now=now,
                    number=number,
                )
        except StockNotClear:
            # A SKU turned low (or had an open alert) under the lock: everything was rolled
            # back; place it again through the reservation that refreshes the alerts.
            stock_clear = False
            continue
        except DomainError as refused:
            if isinstance(refused, LiveSoldOut):
                # Rolled back: now the next buyers are answered from the promotion windows.
                promotion_windows_forget([shop.pk])
            # A retry of an order already placed (its item since sold out, its coupon used up,
            # the day's cap reached): answer with that order, not the refusal.
            return _replayed(shop, checkout_key, fingerprint=fingerprint)
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
    *,
    shop,
    read: CartRead,
    stock_clear: bool,
    buyer,
    traffic_source,
    checkout_key,
    fingerprint,
    now,
    number,
) -> tuple[Order, bool]:
    skus, priced, promotions = read.skus, read.priced, read.promotions
    subtotal, fee, discount = read.subtotal, read.shipping_fee, read.discount
    _take_daily_slot(shop=shop, now=now)

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
        shipping_fee=fee,
        discount=discount,
        total=subtotal + fee - discount,
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
            title=line_title(skus[p.sku_id]),
            seller_sku=skus[p.sku_id].seller_sku,
            quantity=p.quantity,
            unit_price=p.unit_price,
            line_total=p.unit_price * p.quantity,
        )
        for p in priced
    )
    OrderStatusChange(
        shop=shop,
        order=order,
        from_status="",
        to_status=Order.Status.AWAITING_SHIPMENT,
        actor_kind=OrderStatusChange.ActorKind.BUYER,
        note="Order placed and paid",
        created_at=now,
    ).save(force_insert=True)
    order_placed.send(sender=Order, shop=shop, order=order)
    # Lock order across services: LIVE pins, SKU rows, then the coupon.
    live_allocation_take(order=order, takes=promotions.live)
    try:
        if stock_clear:
            stock_reserve_clear(
                shop=shop,
                changes={p.sku_id: p.quantity for p in priced},
                reason=StockMovement.Reason.ORDER,
                reference=order.number,
            )
        else:
            stock_move_many(
                shop=shop,
                changes=[StockChange(p.sku_id, reserved=p.quantity) for p in priced],
                reason=StockMovement.Reason.ORDER,
                reference=order.number,
            )
    except OutOfStock as short:
        raise Refused(short_message(skus[short.sku_id], short.requested)) from None
    coupon_use_take(order=order, promotions=promotions)  # its row lock is held until commit

    def after_commit():
        order_confirmations_nudge()
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
        raise Refused(day_full_message(shop, cap))


def _order_number(now: datetime) -> str:
    local = local_time(now)
    return f"{local:%y%m%d}{secrets.randbelow(10**10):010d}"


def _replayed(shop: Shop, checkout_key: str | None, *, fingerprint: str) -> tuple[Order, bool]:
    """Inside ``except DomainError``: the order a retried checkout already placed (its item
    since sold out, its coupon used up), else the refusal is raised again."""
    existing = _existing(shop, checkout_key, fingerprint=fingerprint)
    if existing is None:
        raise  # the DomainError being handled
    return existing, False


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
