"""Shipping forms: a template's settings, a zone, pointing a product at a template, a quote preview.

The forms read what was typed (amounts, whole numbers, weight tiers, choices); the rules (names,
unique states, tiers going up, days in order) stay in orders.services.shipping, whose refusals the
views put on the form with ``common.errors.add_error_to_form``. ``ProductShippingForm`` takes
``shop=`` and offers only that shop's products, so another shop's product id is an invalid choice.
"""

from decimal import Decimal, InvalidOperation

from django import forms

from catalog.models import Product
from orders.models import ShippingTemplate, ShippingZone
from orders.models.shipping import US_STATES

MAX_MONEY = Decimal("100000")
MAX_QUOTE_ITEMS = 999


class ShippingTemplateForm(forms.Form):
    name = forms.CharField(required=False)  # its rule (given, unique) is the service's
    free_shipping_threshold = forms.CharField(label="Free shipping threshold", required=False)
    discount_percent = forms.CharField(label="Discounted shipping", required=False)
    platform_shipping = forms.ChoiceField(
        choices=ShippingTemplate.PlatformShipping.choices,
        required=False,
        error_messages={"invalid_choice": "Unknown platform shipping option."},
    )
    is_default = forms.BooleanField(required=False)

    def __init__(self, *args, template: ShippingTemplate | None = None, **kwargs):
        if template is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": template.name,
                    "free_shipping_threshold": template.free_shipping_threshold,
                    "discount_percent": template.discount_percent,
                    "platform_shipping": template.platform_shipping,
                    "is_default": template.is_default,
                },
            )
        super().__init__(*args, **kwargs)

    def clean_free_shipping_threshold(self):
        return _money(self.cleaned_data["free_shipping_threshold"], "Free shipping threshold")

    def clean_discount_percent(self):
        return _whole(self.cleaned_data["discount_percent"], "Discounted shipping", 0)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["make_default"] = data.pop("is_default")
        return data


class ShippingZoneForm(forms.Form):
    name = forms.CharField(required=False)
    states = forms.MultipleChoiceField(
        choices=list(US_STATES.items()),
        required=False,
        error_messages={"invalid_choice": "Unknown state code: %(value)s."},
    )
    rate_type = forms.ChoiceField(
        choices=ShippingZone.RateType.choices,
        required=False,
        error_messages={"invalid_choice": "Choose a rate type."},
    )
    flat_rate = forms.CharField(label="Flat rate", required=False)
    first_item_rate = forms.CharField(label="First item rate", required=False)
    additional_item_rate = forms.CharField(label="Additional item rate", required=False)
    weight_tiers = forms.CharField(required=False, strip=False)
    min_days = forms.CharField(label="Minimum days", required=False)
    max_days = forms.CharField(label="Maximum days", required=False)

    def __init__(self, *args, zone: ShippingZone | None = None, **kwargs):
        if zone is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": zone.name,
                    "states": zone.states,
                    "rate_type": zone.rate_type,
                    "flat_rate": zone.flat_rate,
                    "first_item_rate": zone.first_item_rate,
                    "additional_item_rate": zone.additional_item_rate,
                    "weight_tiers": "\n".join(
                        f"{t['up_to_grams']}={t['rate']}" for t in zone.weight_tiers
                    ),
                    "min_days": zone.min_days,
                    "max_days": zone.max_days,
                },
            )
        super().__init__(*args, **kwargs)

    def clean_flat_rate(self):
        return _money(self.cleaned_data["flat_rate"], "Flat rate", blank=Decimal(0))

    def clean_first_item_rate(self):
        return _money(self.cleaned_data["first_item_rate"], "First item rate", blank=Decimal(0))

    def clean_additional_item_rate(self):
        value = self.cleaned_data["additional_item_rate"]
        return _money(value, "Additional item rate", blank=Decimal(0))

    def clean_weight_tiers(self):
        """One tier a line, ``up to grams = rate``."""
        tiers = []
        for raw in self.cleaned_data["weight_tiers"].splitlines():
            if not raw.strip():
                continue
            grams, _, rate = raw.partition("=")
            tiers.append(
                {
                    "up_to_grams": _whole(grams, "A tier's weight limit", 0),
                    "rate": _money(rate, "A tier's rate", blank=Decimal(0)),
                }
            )
        return tiers

    def clean_min_days(self):
        return _whole(self.cleaned_data["min_days"], "Minimum days", 2)

    def clean_max_days(self):
        return _whole(self.cleaned_data["max_days"], "Maximum days", 5)


class ProductShippingForm(forms.Form):
    product_id = forms.ModelChoiceField(
        queryset=None,
        error_messages={
            "required": "There is no product with that ID in this shop.",
            "invalid_choice": "There is no product with that ID in this shop.",
        },
    )

    def __init__(self, *args, shop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_id"].queryset = Product.objects.filter(shop=shop).exclude(
            status=Product.Status.DELETED
        )


class QuotePreviewForm(forms.Form):
    state = forms.CharField(required=False)  # a state nobody ships to is the quote's answer
    quantity = forms.CharField(label="Items", required=False)
    subtotal = forms.CharField(label="Order subtotal", required=False)
    weight = forms.CharField(label="Weight", required=False)

    def clean_quantity(self):
        quantity = _whole(self.cleaned_data["quantity"], "Items", 1)
        if not 1 <= quantity <= MAX_QUOTE_ITEMS:
            raise forms.ValidationError(f"Items must be between 1 and {MAX_QUOTE_ITEMS}.")
        return quantity

    def clean_subtotal(self):
        return _money(self.cleaned_data["subtotal"], "Order subtotal", blank=Decimal(0))

    def clean_weight(self):
        return _whole(self.cleaned_data["weight"], "Weight", 0)


def _money(value: str, label: str, *, blank: Decimal | None = None) -> Decimal | None:
    """An amount like 4.99 (a leading $ allowed); ``blank`` when left empty."""
    value = (value or "").strip().lstrip("$")
    if not value:
        return blank
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise forms.ValidationError(f"{label} must be an amount like 4.99.") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        raise forms.ValidationError(f"{label} must be an amount between 0 and {MAX_MONEY:,}.")
    return amount.quantize(Decimal("0.01"))


def _whole(value, label: str, default: int) -> int:
    value = str(value or "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise forms.ValidationError(f"{label} must be a whole number.") from None
