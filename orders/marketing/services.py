"""Marketing writes: coupons (create, change, end), discounts and campaign registrations.
Errors carry the seller's message."""

import re
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from catalog.models import SKU, Product
from common.clock import local_time
from common.errors import BadInput, DomainError, Refused
from common.money import format_money
from orders.marketing.models import (
    Campaign,
    CampaignProduct,
    Coupon,
    Discount,
    DiscountProduct,
    normalise_code,
)
from shops.models import Shop

CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,31}$")


MAX_AMOUNT = Decimal("100000")


def coupon_save(
    *,
    shop: Shop,
    actor,
    coupon: Coupon | None = None,
    code: str,
    kind: str,
    value: Decimal | None,
    min_spend: Decimal | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
    usage_limit: int | None,
    per_buyer_limit: int | None,
    now: datetime | None = None,
) -> Coupon:
    """Create a coupon (``coupon=None``) or change one that has not ended."""
    now = now or timezone.now()
    if coupon is not None and now >= coupon.ends_at:
        raise Refused("This coupon has ended; create a new one instead.")
    code = normalise_code(code)
    if not CODE.match(code):
        raise BadInput(
            "A coupon code is 3–32 letters, digits, hyphens or underscores.", field="code"
        )
    if kind not in Coupon.Kind.values:
        raise BadInput("Choose percentage off or a fixed amount off.", field="kind")
    if value is None or not value.is_finite():
        raise BadInput("Enter the coupon's value as a number.", field="value")
    if value < 0:
        raise BadInput("A coupon cannot be below 0.", field="value")
    if value == 0:
        raise BadInput("A coupon must be worth more than 0.", field="value")
    if kind == Coupon.Kind.PERCENT and value > 100:
        raise BadInput("A coupon cannot be more than 100%.", field="value")
    if kind == Coupon.Kind.FIXED and value > MAX_AMOUNT:
        raise BadInput(f"A fixed coupon must be at most {format_money(MAX_AMOUNT)}.", field="value")
    min_spend = min_spend or Decimal("0")
    if min_spend < 0 or min_spend > MAX_AMOUNT:
        raise BadInput("The minimum spend must be between 0 and 100,000.", field="min_spend")
    if starts_at is None or ends_at is None:
        raise BadInput("Enter when the coupon starts and ends.", field="ends_at")
    if ends_at <= starts_at:
        raise BadInput("The coupon must end after it starts.", field="ends_at")
    if ends_at <= now:
        raise BadInput("The end date is in the past; choose a future end date.", field="ends_at")
    for label, limit in (("total", usage_limit), ("per-buyer", per_buyer_limit)):
        if limit is not None and limit < 1:
            raise BadInput(f"The {label} usage limit must be at least 1 (or left empty).")
    if coupon is not None and usage_limit is not None and usage_limit < coupon.uses:
        raise BadInput(
            f"This coupon has already been used {coupon.uses} times; the limit cannot be lower.",
            field="usage_limit",
        )

    created = coupon is None
    if created:
        coupon = Coupon(shop=shop)
    fields = {
        "code": code,
        "kind": kind,
        "value": value,
        "min_spend": min_spend,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "usage_limit": usage_limit,
        "per_buyer_limit": per_buyer_limit,
    }
    changes = {k: (str(getattr(coupon, k)), str(v)) for k, v in fields.items() if not created}
    for key, val in fields.items():
        setattr(coupon, key, val)
    try:
        with transaction.atomic():
            if created:
                coupon.save()
            else:
                # Never write ``uses`` from here: checkout owns that counter.
                coupon.save(update_fields=list(fields))
            audit.record(
                actor=actor,
                action="marketing.coupon_created" if created else "marketing.coupon_updated",
                shop=shop,
                target=coupon,
                changes={k: v for k, v in changes.items() if v[0] != v[1]} or None,
            )
    except IntegrityError:
        raise BadInput(
            f"Your shop already has a coupon {code}; choose another code.", field="code"
        ) from None
    return coupon


@transaction.atomic
def coupon_end(*, shop: Shop, actor, coupon: Coupon, now: datetime | None = None) -> None:
    """Stop a coupon now (a scheduled one never starts)."""
    now = now or timezone.now()
    if now >= coupon.ends_at:
        raise Refused("This coupon has already ended.")
    Coupon.objects.filter(pk=coupon.pk).update(
        starts_at=min(coupon.starts_at, now - timedelta(seconds=1)), ends_at=now
    )
    coupon.refresh_from_db()
    audit.record(actor=actor, action="marketing.coupon_ended", shop=shop, target=coupon)


MAX_AMOUNT = Decimal("100000")


@transaction.atomic
def discount_save(
    *,
    shop: Shop,
    actor,
    discount: Discount | None = None,
    name: str,
    kind: str,
    value: Decimal | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
    product_ids: list[int],
    now: datetime | None = None,
) -> Discount:
    """Create a discount (``discount=None``) or change one that has not ended."""
    now = now or timezone.now()
    if discount is not None and discount.status(now) == "ended":
        raise Refused("This discount has ended; create a new one instead.")
    name = (name or "").strip()
    if not name:
        raise BadInput("Give the discount a name.")
    if len(name) > 120:
        raise BadInput("The name is too long (at most 120 characters).")
    if kind not in Discount.Kind.values:
        raise BadInput("Choose percentage off or a fixed amount off.")
    _check_value(kind, value, what="discount")
    if starts_at is None or ends_at is None:
        raise BadInput("Enter when the discount starts and ends.")
    if ends_at <= starts_at:
        raise BadInput("The discount must end after it starts.", field="ends_at")
    if ends_at <= now:
        raise BadInput("The end date is in the past; choose a future end date.")
    products = list(
        Product.objects.filter(shop=shop, pk__in=set(product_ids or [])).exclude(
            status=Product.Status.DELETED
        )
    )
    if not products:
        raise BadInput("Choose at least one product.")
    if kind == Discount.Kind.FIXED:
        cheapest = _cheapest_prices(shop, [p.pk for p in products])
        for product in products:
            low = cheapest.get(product.pk)
            if low is not None and value >= low:
                raise BadInput(
                    f"{format_money(value)} off would make “{product.title}” free (its lowest price is "
                    f"{format_money(low)}); choose a smaller amount."
                )

    created = discount is None
    if created:
        discount = Discount(shop=shop)
    before = {
        "name": discount.name,
        "kind": discount.kind,
        "value": str(discount.value),
        "starts_at": str(discount.starts_at),
        "ends_at": str(discount.ends_at),
    }
    discount.name, discount.kind, discount.value = name, kind, value
    discount.starts_at, discount.ends_at = starts_at, ends_at
    discount.save()
    DiscountProduct.objects.filter(shop=shop, discount=discount).exclude(
        product__in=products
    ).delete()
    DiscountProduct.objects.bulk_create(
        [DiscountProduct(shop=shop, discount=discount, product=p) for p in products],
        ignore_conflicts=True,
    )
    after = {
        "name": name,
        "kind": kind,
        "value": str(value),
        "starts_at": str(starts_at),
        "ends_at": str(ends_at),
    }
    audit.record(
        actor=actor,
        action="marketing.discount_created" if created else "marketing.discount_updated",
        shop=shop,
        target=discount,
        changes=None
        if created
        else {k: (before[k], after[k]) for k in after if before[k] != after[k]},
    )
    return discount


@transaction.atomic
def discount_end(*, shop: Shop, actor, discount: Discount, now: datetime | None = None) -> None:
    """Stop a discount now (a scheduled one never starts)."""
    now = now or timezone.now()
    if discount.status(now) == "ended":
        raise Refused("This discount has already ended.")
    discount.starts_at = min(discount.starts_at, now - timedelta(seconds=1))
    discount.ends_at = now
    discount.save(update_fields=["starts_at", "ends_at"])
    audit.record(actor=actor, action="marketing.discount_ended", shop=shop, target=discount)


@transaction.atomic
def campaign_product_register(
    *,
    shop: Shop,
    actor,
    campaign: Campaign,
    product: Product,
    campaign_price: Decimal | None,
    eligible: bool,
    now: datetime | None = None,
) -> CampaignProduct:
    """Register (or re-price) a product for a campaign. ``eligible`` is the shop's program
    eligibility (orders.marketing.selectors.shop_is_eligible), decided by the caller."""
    now = now or timezone.now()
    if not eligible:
        raise Refused(
            "Your shop is not eligible for campaigns yet. Check Program eligibility to see "
            "which criteria are not met."
        )
    if now < campaign.registration_starts_at:
        raise Refused(
            f"Registration for {campaign.name} opens on "
            f"{local_time(campaign.registration_starts_at):%b %-d, %Y %H:%M}."
        )
    if now >= campaign.registration_ends_at:
        raise Refused(
            f"Registration for {campaign.name} closed on "
            f"{local_time(campaign.registration_ends_at):%b %-d, %Y %H:%M}."
        )
    if product.shop_id != shop.pk or product.status == Product.Status.DELETED:
        raise BadInput("Choose one of your products.")
    if campaign_price is None:
        raise BadInput("Enter a campaign price.")
    regular = _cheapest_prices(shop, [product.pk]).get(product.pk)
    if regular is None:
        raise BadInput(f"“{product.title}” has no price yet; price it first.")
    special_price_check(
        campaign_price, regular=regular, product=product, what="campaign price", above=Refused
    )
    ceiling = campaign.max_price_for(regular)
    if campaign_price > ceiling:
        raise Refused(
            f"{campaign.name} asks for at least {campaign.min_discount_percent.normalize():f}% "
            f"off: the campaign price of “{product.title}” (regular {format_money(regular)}) must be at most "
            f"{format_money(ceiling)}."
        )
    registration, created = CampaignProduct.objects.select_for_update().get_or_create(
        shop=shop,
        campaign=campaign,
        product=product,
        defaults={"campaign_price": campaign_price, "actor": actor, "registered_at": now},
    )
    old_price = None if created else str(registration.campaign_price)
    if not created:
        registration.campaign_price = campaign_price
        registration.withdrawn_at = None
        registration.actor = actor
        registration.save(update_fields=["campaign_price", "withdrawn_at", "actor"])
    audit.record(
        actor=actor,
        action="marketing.campaign_registered",
        shop=shop,
        target=registration,
        changes={
            "campaign": (None, campaign.name),
            "campaign_price": (
                old_price,
                str(campaign_price),
            ),
        },
    )
    return registration


@transaction.atomic
def campaign_product_withdraw(
    *, shop: Shop, actor, registration: CampaignProduct, now: datetime | None = None
) -> None:
    now = now or timezone.now()
    if registration.withdrawn_at is not None:
        raise Refused("This product has already left the campaign.")
    registration.withdrawn_at = now
    registration.save(update_fields=["withdrawn_at"])
    audit.record(actor=actor, action="marketing.campaign_withdrawn", shop=shop, target=registration)


def special_price_check(
    price: Decimal,
    *,
    regular: Decimal,
    product: Product,
    what: str,
    field: str | None = None,
    above: type[DomainError] = BadInput,
) -> None:
    """A price a promotion sets for a product (a campaign price, a LIVE price): at least a
    cent, and never above the product's regular (lowest) price."""
    if not price.is_finite() or price < Decimal("0.01"):
        raise BadInput(f"The {what} must be at least $0.01.", field=field)
    if price > regular:
        raise above(
            f"The {what} {format_money(price)} is above the regular price "
            f"{format_money(regular)} of “{product.title}”.",
            field=field,
        )


def _check_value(kind: str, value: Decimal | None, *, what: str) -> None:
    if value is None or not value.is_finite():
        raise BadInput(f"Enter the {what} as a number.", field="value")
    if value < 0:
        raise BadInput(f"A {what} cannot be below 0.", field="value")
    if value == 0:
        raise BadInput(f"A {what} must be more than 0.", field="value")
    if kind == "percent" and value > 100:
        raise BadInput(f"A {what} cannot be more than 100%.", field="value")
    if kind == "fixed" and value > MAX_AMOUNT:
        raise BadInput(f"A fixed {what} must be at most {format_money(MAX_AMOUNT)}.", field="value")


def _cheapest_prices(shop: Shop, product_ids: list[int]) -> dict[int, Decimal]:
    from django.db.models import Min

    return {
        r["product_id"]: Decimal(r["low"]).quantize(Decimal("0.01"))
        for r in SKU.objects.filter(shop=shop, product_id__in=product_ids, price__isnull=False)
        .values("product_id")
        .annotate(low=Min("price"))
    }
