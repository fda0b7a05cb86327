"""Discounts and campaign registrations (issue 7): every write, validated, audited.

Errors are ``ValidationError`` with the message the seller reads. Campaign eligibility is a
lifecycle rule and lifecycle sits above catalog, so the caller passes ``eligible`` in.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from catalog.models import SKU, Campaign, CampaignProduct, Discount, DiscountProduct, Product
from common.clock import local_time
from shops.models import Shop

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
        raise ValidationError("This discount has ended; create a new one instead.")
    name = (name or "").strip()
    if not name:
        raise ValidationError("Give the discount a name.")
    if len(name) > 120:
        raise ValidationError("The name is too long (at most 120 characters).")
    if kind not in Discount.Kind.values:
        raise ValidationError("Choose percentage off or a fixed amount off.")
    _check_value(kind, value, what="discount")
    if starts_at is None or ends_at is None:
        raise ValidationError("Enter when the discount starts and ends.")
    if ends_at <= starts_at:
        raise ValidationError("The discount must end after it starts.")
    if ends_at <= now:
        raise ValidationError("The end date is in the past; choose a future end date.")
    products = list(
        Product.objects.filter(shop=shop, pk__in=set(product_ids or [])).exclude(
            status=Product.Status.DELETED
        )
    )
    if not products:
        raise ValidationError("Choose at least one product.")
    if kind == Discount.Kind.FIXED:
        cheapest = _cheapest_prices(shop, [p.pk for p in products])
        for product in products:
            low = cheapest.get(product.pk)
            if low is not None and value >= low:
                raise ValidationError(
                    f"${value} off would make “{product.title}” free (its lowest price is "
                    f"${low}); choose a smaller amount."
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
        raise ValidationError("This discount has already ended.")
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
    eligibility (lifecycle.eligibility.shop_is_eligible), decided by the caller."""
    now = now or timezone.now()
    if not eligible:
        raise ValidationError(
            "Your shop is not eligible for campaigns yet. Check Program eligibility to see "
            "which criteria are not met."
        )
    if now < campaign.registration_starts_at:
        raise ValidationError(
            f"Registration for {campaign.name} opens on "
            f"{local_time(campaign.registration_starts_at):%b %-d, %Y %H:%M}."
        )
    if now >= campaign.registration_ends_at:
        raise ValidationError(
            f"Registration for {campaign.name} closed on "
            f"{local_time(campaign.registration_ends_at):%b %-d, %Y %H:%M}."
        )
    if product.shop_id != shop.pk or product.status == Product.Status.DELETED:
        raise ValidationError("Choose one of your products.")
    if campaign_price is None:
        raise ValidationError("Enter a campaign price.")
    if not campaign_price.is_finite() or campaign_price < Decimal("0.01"):
        raise ValidationError("The campaign price must be at least $0.01.")
    regular = _cheapest_prices(shop, [product.pk]).get(product.pk)
    if regular is None:
        raise ValidationError(f"“{product.title}” has no price yet; price it first.")
    if campaign_price > regular:
        raise ValidationError(
            f"The campaign price ${campaign_price} is above the regular price ${regular} of "
            f"“{product.title}”."
        )
    ceiling = campaign.max_price_for(regular)
    if campaign_price > ceiling:
        raise ValidationError(
            f"{campaign.name} asks for at least {campaign.min_discount_percent.normalize():f}% "
            f"off: the campaign price of “{product.title}” (regular ${regular}) must be at most "
            f"${ceiling}."
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
        raise ValidationError("This product has already left the campaign.")
    registration.withdrawn_at = now
    registration.save(update_fields=["withdrawn_at"])
    audit.record(actor=actor, action="marketing.campaign_withdrawn", shop=shop, target=registration)


def _check_value(kind: str, value: Decimal | None, *, what: str) -> None:
    if value is None or not value.is_finite():
        raise ValidationError(f"Enter the {what} as a number.")
    if value < 0:
        raise ValidationError(f"A {what} cannot be below 0.")
    if value == 0:
        raise ValidationError(f"A {what} must be more than 0.")
    if kind == "percent" and value > 100:
        raise ValidationError(f"A {what} cannot be more than 100%.")
    if kind == "fixed" and value > MAX_AMOUNT:
        raise ValidationError(f"A fixed {what} must be at most ${MAX_AMOUNT:,}.")


def _cheapest_prices(shop: Shop, product_ids: list[int]) -> dict[int, Decimal]:
    from django.db.models import Min

    return {
        r["product_id"]: Decimal(r["low"]).quantize(Decimal("0.01"))
        for r in SKU.objects.filter(shop=shop, product_id__in=product_ids, price__isnull=False)
        .values("product_id")
        .annotate(low=Min("price"))
    }
