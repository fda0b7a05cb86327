"""The marketing forms: coupons, discounts and campaign registration.

Each form takes ``shop=`` and offers only that shop's products, so another shop's product id is an
invalid choice. The forms read the fields (amounts, counts, platform-time moments); the rules
(value ranges, dates, caps) stay in orders.marketing.services, whose refusals the views add to the
form with ``common.errors.add_error_to_form``.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone

from catalog.forms import AmountField, ShopProductField, ShopProductsField
from common.clock import from_local_input, to_local_input
from orders.marketing.models import Coupon, Discount
from orders.marketing.selectors import promotable_products

# Beyond these a number is a typo (or an attack), and the database columns could not hold it.
MAX_AMOUNT = Decimal("9999999999.99")
MAX_COUNT = 1_000_000_000


class _ValueAndDates(forms.Form):
    """The fields coupons and discounts share: a value, and when it starts and ends."""

    value = AmountField(label="Value", maximum=MAX_AMOUNT)
    starts_at = forms.CharField(label="Start", required=False)
    ends_at = forms.CharField(label="End", required=False)

    def clean_starts_at(self):
        return _moment(self.cleaned_data["starts_at"], "Start")

    def clean_ends_at(self):
        return _moment(self.cleaned_data["ends_at"], "End")


class CouponForm(_ValueAndDates):
    code = forms.CharField(required=False)  # its rule (3–32 letters…) is the service's
    kind = forms.ChoiceField(
        choices=Coupon.Kind.choices,
        error_messages={"invalid_choice": "Choose percentage off or a fixed amount off."},
    )
    min_spend = AmountField(label="Minimum spend", maximum=MAX_AMOUNT, required=False)
    usage_limit = forms.CharField(label="Total usage limit", required=False)
    per_buyer_limit = forms.CharField(label="Usage limit per buyer", required=False)

    def __init__(self, *args, shop, coupon: Coupon | None = None, **kwargs):
        self.shop, self.coupon = shop, coupon
        kwargs.setdefault("initial", _coupon_initial(coupon))
        super().__init__(*args, **kwargs)

    def clean_usage_limit(self):
        return _whole(self.cleaned_data["usage_limit"], "Total usage limit")

    def clean_per_buyer_limit(self):
        return _whole(self.cleaned_data["per_buyer_limit"], "Usage limit per buyer")


class DiscountForm(_ValueAndDates):
    name = forms.CharField(required=False)  # its rule (given, at most 120) is the service's
    kind = forms.ChoiceField(
        choices=Discount.Kind.choices,
        error_messages={"invalid_choice": "Choose percentage off or a fixed amount off."},
    )
    products = ShopProductsField(
        message="Choose among your own products.",
        error_messages={"required": "Choose at least one product."},
    )

    def __init__(self, *args, shop, discount: Discount | None = None, **kwargs):
        self.shop, self.discount = shop, discount
        kwargs.setdefault("initial", _discount_initial(discount))
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = promotable_products(shop=shop)

    def chosen_ids(self) -> set[int]:
        """The ticked products to show again (valid ones once cleaned, else as posted)."""
        if self.is_bound:
            return {int(v) for v in self.data.getlist("products") if v.isdigit()}
        return {p.pk for p in self.initial.get("products", [])}


class CampaignRegistrationForm(forms.Form):
    product = ShopProductField(message="Choose one of your products.")
    campaign_price = AmountField(label="Campaign price", maximum=MAX_AMOUNT)

    def __init__(self, *args, shop, priced_ids, **kwargs):
        """``priced_ids``: the products with a price, the only ones a campaign can take."""
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = promotable_products(shop=shop).filter(pk__in=priced_ids)


# --- reading the fields ------------------------------------------------------------------------
def _whole(value: str, label: str, *, signed: bool = False) -> int | None:
    """A whole number as typed, or None when empty. ``signed``: 0 and negatives pass, for the
    service to refuse in its own words."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise forms.ValidationError(f"{label} must be a whole number (or left empty).") from None
    if signed and abs(number) > MAX_COUNT:
        raise forms.ValidationError(f"{label} must be at most {MAX_COUNT:,}.")
    if not signed and not 0 <= number <= MAX_COUNT:
        raise forms.ValidationError(f"{label} must be between 0 and {MAX_COUNT:,}.")
    return number


def _moment(value: str, label: str) -> datetime:
    """A datetime-local field, read in the platform time zone."""
    try:
        return from_local_input(value)
    except ValueError:
        raise forms.ValidationError(f"{label} must be a date and time.") from None


def _new_offer(*, days: int) -> dict:
    """A new coupon or discount starts as a percentage off, from now, for ``days``."""
    now = timezone.now()
    return {
        "kind": "percent",
        "starts_at": to_local_input(now),
        "ends_at": to_local_input(now + timedelta(days=days)),
    }


def _coupon_initial(coupon: Coupon | None) -> dict:
    if coupon is None:
        return {**_new_offer(days=30), "per_buyer_limit": "1"}
    return {
        "code": coupon.code,
        "kind": coupon.kind,
        "value": str(coupon.value),
        "min_spend": str(coupon.min_spend) if coupon.min_spend else "",
        "starts_at": to_local_input(coupon.starts_at),
        "ends_at": to_local_input(coupon.ends_at),
        "usage_limit": "" if coupon.usage_limit is None else str(coupon.usage_limit),
        "per_buyer_limit": "" if coupon.per_buyer_limit is None else str(coupon.per_buyer_limit),
    }


def _discount_initial(discount: Discount | None) -> dict:
    if discount is None:
        return _new_offer(days=7)
    return {
        "name": discount.name,
        "kind": discount.kind,
        "value": str(discount.value),
        "starts_at": to_local_input(discount.starts_at),
        "ends_at": to_local_input(discount.ends_at),
        "products": list(discount.products.all()),
    }
