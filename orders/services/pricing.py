"""Discounts, campaign prices, LIVE prices and coupons at checkout.

Checkout calls ``apply_promotions`` before its transaction, ``promotions_record`` once the
order exists, then ``live_allocation_take`` (orders.services.live_allocation) and
``coupon_use_take`` around the stock reservation, just before it commits. Each line sells at its promotional price (the lowest of regular, running
discounts, a running campaign price and the live price of a session live now —
``orders.marketing.selectors.promotional_prices``, the same rule the storefront shows); a coupon
then comes off what the items cost after that. Order lines keep regular prices; everything taken
off is the order's ``discount``, split into OrderPromotion rows.

A LIVE pin's allocation and per-buyer limit hold under concurrency the same way
(``orders.services.live_allocation``); ``apply_promotions`` refuses a pin already sold out, or a
buyer already at its limit, from committed figures before any lock.

A coupon's total limit holds under concurrency: its ``uses`` is taken with one conditional UPDATE
(``uses < usage_limit``), whose row lock also serialises the per-buyer count behind it. That lock
is held until the checkout commits and every checkout with the coupon queues for it, so it is
taken as late as possible.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q
from django.utils import timezone

from catalog.models import SKU
from common.clock import local_time
from common.errors import BadInput, Refused
from common.money import format_money
from orders.marketing.models import (
    Coupon,
    OrderPromotion,
    buyer_identity,
    normalise_code,
)
from orders.marketing.selectors import (
    PromoPrice,
    PromotionWindows,
    promotion_windows,
    promotional_prices,
)
from orders.models import Order
from orders.services.live_allocation import (
    LiveTake,
    live_takes,
)
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
    coupon_code: str = "",
    now: datetime | None = None,
    windows: PromotionWindows | None = None,
) -> Promotions:
    """What comes off this cart and why; raises BadInput / Refused with the buyer's message
    for a bad coupon. Reads committed figures and writes nothing: ``live_allocation_take`` and
    ``coupon_use_take`` take what it found, and refuse a LIVE pin sold out or a buyer over its
    limit. A shop running no promotion is priced without a query, and a LIVE price reads no pin
    (``windows``: the shop's ``promotion_windows``, if the caller read them)."""
    now = now or timezone.now()
    windows = windows or promotion_windows(shop=shop)
    skus = [
        SKU(pk=line.sku_id, product_id=line.product_id, price=line.unit_price) for line in lines
    ]
    prices = promotional_prices(shop=shop, skus=skus, at=now, windows=windows)
    # A pin's allocation and the buyer's limit are checked where they are taken, under the
    # pin's lock (live_allocation_take): a pin known sold out was refused before this.
    live = live_takes(lines=lines, prices=prices)
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
    if not promotions.applied:
        return
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
