"""What checkout reads before it writes, outside any transaction (orders.services.checkout):
the cart's SKUs with the shipping template each product names, the promotions and the shipping
quote — cheapest refusals first, each re-checked under lock by the writes that follow."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from catalog.models import SKU, Product
from common.clock import local_date
from common.errors import BadInput, Refused
from orders.marketing.selectors import promotion_windows
from orders.models import DailyOrderCount
from orders.services.live_allocation import live_refuse_known_sold_out
from orders.services.pricing import PricedLine, Promotions, apply_promotions
from orders.services.shipping import QuoteItem, shipping_quote
from shops.models import Shop
from shops.order_caps import effective_daily_order_cap

# What checkout reads of a cart's SKUs, with the template each product names for shipping (none:
# the shop's default) — one query instead of two.
SKU_READ = (
    *("id", "product_id", "seller_sku", "attributes", "price", "on_hand", "reserved"),
    *("weight_grams", "low_stock_threshold", "product__title", "product__status"),
    "product__shipping_template_id",
)


@dataclass(frozen=True)
class CartRead:
    """What checkout read before writing: the cart's SKUs priced, shipping and promotions."""

    skus: dict[int, SKU]
    priced: list[PricedLine]
    subtotal: Decimal
    shipping_fee: Decimal
    discount: Decimal
    promotions: Promotions
    stock_clear: bool  # every SKU stays above its low-stock threshold, as read


def cart_read(*, shop: Shop, cart: dict[int, int], buyer, coupon_code: str, now) -> CartRead:
    """Everything checkout needs that takes no lock, cheapest refusals first: a capped shop's
    full day, a LIVE pin the shop's promotion windows know is sold out (a cache read), the
    SKUs (unknown, unavailable, out of stock), then the promotions (the LIVE pins come with
    the windows; a coupon is read), then shipping."""
    refuse_day_full(shop=shop, now=now)
    windows = promotion_windows(shop=shop)
    live_refuse_known_sold_out(sold_out=windows.sold_out, sku_ids=cart)
    skus = {
        sku.pk: sku
        for sku in SKU.objects.filter(shop=shop, pk__in=list(cart))
        .select_related("product")
        .only(*SKU_READ)
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
    # A cart the stock read cannot fill is refused here; the reservation re-checks under lock.
    refuse_short(priced, skus)
    subtotal = sum((p.unit_price * p.quantity for p in priced), Decimal("0"))
    promotions = apply_promotions(
        shop=shop,
        lines=priced,
        subtotal=subtotal,
        coupon_code=coupon_code,
        now=now,
        windows=windows,
    )
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
        named={
            sku.product_id: sku.product.shipping_template_id
            for sku in skus.values()
            if sku.product.shipping_template_id is not None
        },
    )
    return CartRead(
        skus=skus,
        priced=priced,
        subtotal=subtotal,
        shipping_fee=quote.fee,
        discount=max(Decimal("0"), min(promotions.total, subtotal + quote.fee)),
        promotions=promotions,
        stock_clear=all(
            skus[p.sku_id].available - p.quantity > skus[p.sku_id].threshold(shop) for p in priced
        ),
    )


def refuse_day_full(*, shop: Shop, now: datetime) -> None:
    """Before any lock: a capped shop whose committed count already reached its cap."""
    cap = effective_daily_order_cap(shop)
    if (
        cap is not None
        and DailyOrderCount.objects.filter(shop=shop, day=local_date(now), count__gte=cap).exists()
    ):
        raise Refused(day_full_message(shop, cap))


def day_full_message(shop: Shop, cap: int) -> str:
    return (
        f"{shop.name} has reached its limit of {cap} orders for today. Please try again tomorrow."
    )


def refuse_short(priced: list[PricedLine], skus: dict[int, SKU]) -> None:
    for p in priced:
        if skus[p.sku_id].available < p.quantity:
            raise Refused(short_message(skus[p.sku_id], p.quantity))


def short_message(sku: SKU, requested: int) -> str:
    """Sold out when none is left (the flash-sale answer); else how many the cart asks for."""
    if sku.available <= 0:
        return f"Not enough stock of “{line_title(sku)}”: it is sold out."
    return f"Not enough stock of “{line_title(sku)}” for {requested}."


def line_title(sku: SKU) -> str:
    return f"{sku.product.title} ({sku.label})" if sku.attributes else sku.product.title
