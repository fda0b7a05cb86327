"""Shipping forms: a template's settings, a zone, pointing a product at a template, a quote preview.

The forms read what was typed (amounts, whole numbers, weight tiers, choices); the rules (names,
unique states, tiers going up, days in order) stay in orders.services.shipping, whose refusals the
views put on the form with ``common.errors.add_error_to_form``. ``ProductShippingForm`` takes
``shop=`` and offers only that shop's products, so another shop's product id is an invalid choice.
"""

from decimal import Decimal

from django import forms
from django.forms.models import model_to_dict

from catalog.forms import AmountField, ShopProductField
from orders.marketing.selectors import promotable_products
from orders.models import ShippingTemplate, ShippingZone
from orders.models.shipping import US_STATES

MAX_MONEY = Decimal("100000")
MAX_QUOTE_ITEMS = 999


def _rate(label: str) -> AmountField:
    """An amount from 0 to MAX_MONEY; empty is 0."""
    return AmountField(
        label=label, maximum=MAX_MONEY, minimum=Decimal(0), empty=Decimal(0), required=False
    )


class ShippingTemplateForm(forms.Form):
    name = forms.CharField(required=False)  # its rule (given, unique) is the service's
    free_shipping_threshold = AmountField(
        label="Free shipping threshold", maximum=MAX_MONEY, minimum=Decimal(0), required=False
    )
    discount_percent = forms.CharField(label="Discounted shipping", required=False)
    platform_shipping = forms.ChoiceField(
        choices=ShippingTemplate.PlatformShipping.choices,
        required=False,
        error_messages={"invalid_choice": "Unknown platform shipping option."},
    )
    is_default = forms.BooleanField(required=False)

    def __init__(self, *args, template: ShippingTemplate | None = None, **kwargs):
        if template is not None:
            kwargs.setdefault("initial", model_to_dict(template, fields=list(self.base_fields)))
        super().__init__(*args, **kwargs)

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
    flat_rate = _rate("Flat rate")
    first_item_rate = _rate("First item rate")
    additional_item_rate = _rate("Additional item rate")
    weight_tiers = forms.CharField(required=False, strip=False)
    min_days = forms.CharField(label="Minimum days", required=False)
    max_days = forms.CharField(label="Maximum days", required=False)

    def __init__(self, *args, zone: ShippingZone | None = None, **kwargs):
        if zone is not None:
            initial = model_to_dict(zone, fields=list(self.base_fields))
            initial["weight_tiers"] = "\n".join(
                f"{t['up_to_grams']}={t['rate']}" for t in zone.weight_tiers
            )
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

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
                    "rate": _rate("A tier's rate").clean(rate),
                }
            )
        return tiers

    def clean(self):
        """A field the chosen rate type does not use is hidden on the page: whatever it holds
        is neither refused nor kept (the service stores nothing there)."""
        data = super().clean()
        used = ShippingZone.RATE_FIELDS.get(data.get("rate_type"))
        if used is not None:
            for name in _RATE_INPUTS - set(used):
                self.errors.pop(name, None)
                data[name] = [] if name == "weight_tiers" else Decimal(0)
        return data

    def clean_min_days(self):
        return _whole(self.cleaned_data["min_days"], "Minimum days", 2)

    def clean_max_days(self):
        return _whole(self.cleaned_data["max_days"], "Maximum days", 5)


_RATE_INPUTS = {name for names in ShippingZone.RATE_FIELDS.values() for name in names}


class ProductShippingForm(forms.Form):
    product_id = ShopProductField(message="There is no product with that ID in this shop.")

    def __init__(self, *args, shop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_id"].queryset = promotable_products(shop=shop)


class QuotePreviewForm(forms.Form):
    state = forms.CharField(required=False)  # a state nobody ships to is the quote's answer
    quantity = forms.CharField(label="Items", required=False)
    subtotal = _rate("Order subtotal")
    weight = forms.CharField(label="Weight", required=False)

    def clean_quantity(self):
        quantity = _whole(self.cleaned_data["quantity"], "Items", 1)
        if not 1 <= quantity <= MAX_QUOTE_ITEMS:
            raise forms.ValidationError(f"Items must be between 1 and {MAX_QUOTE_ITEMS}.")
        return quantity

    def clean_weight(self):
        return _whole(self.cleaned_data["weight"], "Weight", 0)


def _whole(value, label: str, default: int) -> int:
    value = str(value or "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise forms.ValidationError(f"{label} must be a whole number.") from None
