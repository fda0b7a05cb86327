"""Discounts, campaign prices, LIVE prices and coupons at checkout.

Checkout calls ``apply_promotions`` inside its transaction, ``promotions_record`` once the
order exists, then ``live_allocation_take`` and ``coupon_use_take`` around the stock reservation,
just before it commits. Each line sells at its promotional price (the lowest of regular, running
discounts, a running campaign price and the live price of a session live now —
``orders.marketing.selectors.promotional_prices``, the same rule the storefront shows); a coupon
then comes off what the items cost after that. Order lines keep regular prices; everything taken
off is the order's ``discount``, split into OrderPromotion rows.

A LIVE pin's allocation and per-buyer limit hold under concurrency the same way: the pin's
``sold`` is taken with one conditional UPDATE (``sold + n <= allocation``) whose row lock
serialises the per-buyer count behind it. Before any lock, ``apply_promotions`` refuses a pin
already sold out (or a buyer already at the limit) from committed figures, so the buyers who
come after a sell-out are answered at once instead of queueing for the row.

A coupon's total limit holds under concurrency: its ``uses`` is taken with one conditional UPDATE
(``uses < usage_limit``), whose row lock also serialises the per-buyer count behind it. That lock
is held until the checkout commits and every checkout with the coupon queues for it, so it is
taken as late as possible.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone

from catalog.models import SKU
from common.clock import local_time
from common.errors import BadInput, Refused
from common.money import format_money
from orders.marketing.models import (
    Coupon,
    LivePin,
    LiveSale,
    OrderPromotion,
    buyer_identity,
    normalise_code,
)
from orders.marketing.selectors import PromoPrice, promotional_prices
from orders.models import Order
from shops.models import Shop

CENT = Decimal("0.01")


@dataclass(frozen=True)
class PricedLine:
    sku_id: int
    product_id: int
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class AppliedPromotion:
    kind: str
    amount: Decimal
    coupon_id: int | None = None
    discount_id: int | None = None
    campaign_id: int | None = None
    product_id: int | None = None
    live_session_id: int | None = None


@dataclass(frozen=True)
class LiveTake:
    """Units of one pinned product this cart buys during a live session, and what they cost."""

    pin: LivePin
    quantity: int
    amount: Decimal


@dataclass(frozen=True)
class Promotions:
    applied: tuple[AppliedPromotion, ...] = ()
    coupon: Coupon | None = None  # its use is taken by coupon_use_take
    live: tuple[LiveTake, ...] = ()  # taken by live_allocation_take

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.applied), Decimal("0.00"))


def apply_promotions(
    *,
    shop: Shop,
    lines: list[PricedLine],
    subtotal: Decimal,
    shipping_fee: Decimal,
    coupon_code: str = "",
    buyer_email: str = "",
    now: datetime | None = None,
) -> Promotions:
    """What comes off this cart and why; raises BadInput / Refused with the buyer's message
    for a bad coupon. Writes nothing: ``coupon_use_take`` takes the coupon's use."""
    now = now or timezone.now()
    skus = [
        SKU(pk=line.sku_id, product_id=line.product_id, price=line.unit_price) for line in lines
    ]
    prices = promotional_prices(shop=shop, skus=skus, at=now)
    live = live_takes(lines=lines, prices=prices)
    live_check(live=live, buyer_email=buyer_email)
    applied = price_reductions(lines=lines, prices=prices)
    items_total = subtotal - sum((p.amount for p in applied), Decimal("0"))
    code = normalise_code(coupon_code)
    coupon = None
    if code:
        coupon = coupon_check(shop=shop, code=code, items_total=items_total, now=now)
        applied.append(
            AppliedPromotion(
                kind=OrderPromotion.Kind.COUPON,
                amount=coupon_amount(coupon, items_total),
                coupon_id=coupon.pk,
            )
        )
    return Promotions(
        applied=tuple(a for a in applied if a.amount > 0 or a.coupon_id), coupon=coupon, live=live
    )


def promotions_record(*, order: Order, promotions: Promotions) -> None:
    OrderPromotion.objects.bulk_create(
        OrderPromotion(
            shop_id=order.shop_id,
            order=order,
            kind=p.kind,
            coupon_id=p.coupon_id,
            discount_id=p.discount_id,
            campaign_id=p.campaign_id,
            product_id=p.product_id,
            live_session_id=p.live_session_id,
            amount=p.amount,
            buyer_email=buyer_identity(order.buyer_email),
            created_at=order.placed_at,
        )
        for p in promotions.applied
    )


def price_reductions(
    *, lines: list[PricedLine], prices: dict[int, PromoPrice]
) -> list[AppliedPromotion]:
    """Discount, campaign and LIVE savings on the lines, one entry per promotion."""
    saved: dict[tuple, Decimal] = defaultdict(Decimal)
    for line in lines:
        promo = prices.get(line.sku_id)
        if promo is None or not promo.reduced:
            continue
        # Campaign and LIVE savings are kept per product (each has its own numbers).
        if promo.live_priced:
            key = ("live", promo.live_pin.session_id, line.product_id)
        elif promo.campaign_id:
            key = ("campaign", promo.campaign_id, line.product_id)
        else:
            key = ("discount", promo.discount_id, None)
        saved[key] += (promo.regular - promo.price) * line.quantity
    return [
        AppliedPromotion(
            kind=kind,
            amount=amount.quantize(CENT),
            discount_id=pk if kind == "discount" else None,
            campaign_id=pk if kind == "campaign" else None,
            live_session_id=pk if kind == "live" else None,
            product_id=product_id,
        )
        for (kind, pk, product_id), amount in saved.items()
    ]


def live_takes(*, lines: list[PricedLine], prices: dict[int, PromoPrice]) -> tuple[LiveTake, ...]:
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


def live_check(*, live: tuple[LiveTake, ...], buyer_email: str) -> None:
    """Refuse, before any lock, a pin the committed figures already show sold out or a buyer
    already at the pin's limit; ``live_allocation_take`` checks both again under the lock."""
    for take in live:
        _live_refuse_over_allocation(take.pin, take.pin.sold, take.quantity)
    limited = [t for t in live if t.pin.per_buyer_limit is not None]
    if limited:
        bought = _live_bought(pins=[t.pin.pk for t in limited], buyer_email=buyer_email)
        for take in limited:
            _live_refuse_over_limit(take.pin, bought.get(take.pin.pk, 0) + take.quantity)


def live_allocation_take(*, order: Order, promotions: Promotions) -> None:
    """Record the order's LIVE sales and take their units from each pin's allocation, or raise
    Refused (the caller's transaction rolls back). Call just before the stock reservation: the
    pin's row lock is held until commit."""
    if not promotions.live:
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
        for t in promotions.live
    )
    for take in promotions.live:  # pins in id order
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
    limited = [t for t in promotions.live if t.pin.per_buyer_limit is not None]
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
        raise Refused(f"“{pin.product.title}” is sold out for this LIVE.", field="quantity")
    if quantity > left:
        raise Refused(
            f"Only {left} of “{pin.product.title}” left in this LIVE; lower the quantity.",
            field="quantity",
        )


def _live_refuse_over_limit(pin: LivePin, units: int) -> None:
    if units > pin.per_buyer_limit:
        raise Refused(
            f"“{pin.product.title}” is limited to {pin.per_buyer_limit} per buyer in this LIVE, "
            "and this order would take you over it.",
            field="quantity",
        )


def coupon_check(*, shop: Shop, code: str, items_total: Decimal, now: datetime) -> Coupon:
    """The coupon for ``code`` if it can be used on items worth ``items_total`` now; no write."""
    coupon = Coupon.objects.filter(shop=shop, code__iexact=code).first()
    if coupon is None:
        raise BadInput(f"There is no coupon “{code}” at {shop.name}.", field="coupon")
    if now < coupon.starts_at:
        raise Refused(
            f"Coupon {coupon.code} can be used from {local_time(coupon.starts_at):%b %-d, %Y}.",
            field="coupon",
        )
    if now >= coupon.ends_at:
        raise Refused(f"Coupon {coupon.code} has expired.", field="coupon")
    if coupon.usage_limit is not None and coupon.uses >= coupon.usage_limit:
        raise Refused(f"Coupon {coupon.code} has been used up.", field="coupon")
    if items_total < coupon.min_spend:
        raise Refused(
            f"Coupon {coupon.code} needs a minimum spend of {format_money(coupon.min_spend)}; your items "
            f"come to {format_money(items_total)}.",
            field="coupon",
        )
    return coupon


def coupon_amount(coupon: Coupon, items_total: Decimal) -> Decimal:
    """What the coupon takes off items worth ``items_total`` (never more than they cost)."""
    if coupon.kind == Coupon.Kind.PERCENT:
        amount = (items_total * coupon.value / Decimal(100)).quantize(CENT, ROUND_HALF_UP)
    else:
        amount = coupon.value
    return max(Decimal("0.00"), min(amount, items_total))


def coupon_use_take(*, order: Order, promotions: Promotions) -> None:
    """Take the order's coupon use, or raise Refused (the caller's transaction rolls back).
    Call last before commit, after the order and its promotions are written."""
    coupon = promotions.coupon
    if coupon is None:
        return
    taken = (
        Coupon.objects.filter(pk=coupon.pk)
        .filter(Q(usage_limit__isnull=True) | Q(uses__lt=F("usage_limit")))
        .update(uses=F("uses") + 1)
    )
    if not taken:
        raise Refused(f"Coupon {coupon.code} has been used up.", field="coupon")
    # The UPDATE holds the coupon's row lock until checkout commits, so this count sees every
    # committed use by the same buyer and no two of their checkouts pass it together.
    if coupon.per_buyer_limit is not None:
        used = (
            OrderPromotion.objects.filter(
                coupon_id=coupon.pk, buyer_email=buyer_identity(order.buyer_email)
            )
            .exclude(order__status=Order.Status.CANCELLED)
            .exclude(order=order)
            .count()
        )
        if used >= coupon.per_buyer_limit:
            times = "once" if coupon.per_buyer_limit == 1 else f"{coupon.per_buyer_limit} times"
            raise Refused(
                f"Coupon {coupon.code} can be used {times} per buyer, and you already have.",
                field="coupon",
            )
