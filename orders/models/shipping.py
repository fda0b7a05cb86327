"""Shipping templates (SPEC §6): per shop, named, one default; zones of US states with a rate."""

from django.db import models
from django.db.models import Q
from django_scopes import ScopedManager

from shops.models import Shop

# The 50 states and DC: the zones of a template cover each at most once; the rest are not
# shipped to (and the template page says so).
US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip


class ShippingTemplate(models.Model):
    class PlatformShipping(models.TextChoices):
        OFF = "", "Not opted in"
        FREE = "free", "Platform shipping: free for the buyer"
        DISCOUNTED = "discounted", "Platform shipping: discounted for the buyer"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    is_default = models.BooleanField(default=False)
    free_shipping_threshold = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Orders at or above this subtotal ship free. Empty: no free shipping.",
    )
    discount_percent = models.PositiveSmallIntegerField(
        default=0, help_text="Discounted shipping: percent off every quote (0–100)."
    )
    platform_shipping = models.CharField(
        max_length=12, choices=PlatformShipping.choices, blank=True, default=""
    )

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-is_default", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="shipping_template_unique_name"),
            models.UniqueConstraint(
                fields=["shop"], condition=Q(is_default=True), name="shipping_template_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ShippingZone(models.Model):
    class RateType(models.TextChoices):
        FLAT = "flat", "Flat rate per order"
        PER_ITEM = "per_item", "Per item (first + each additional)"
        WEIGHT = "weight", "By weight tiers"

    # What each rate type reads; the others are stored as nothing (0, no tiers), so a value
    # typed under another type and hidden by the form is never saved.
    RATE_FIELDS: dict[str, tuple[str, ...]] = {
        RateType.FLAT: ("flat_rate",),
        RateType.PER_ITEM: ("first_item_rate", "additional_item_rate"),
        RateType.WEIGHT: ("weight_tiers",),
    }

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(ShippingTemplate, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(max_length=80)
    states = models.JSONField(default=list, help_text="US state codes in this zone.")
    rate_type = models.CharField(max_length=10, choices=RateType.choices, default=RateType.FLAT)
    flat_rate = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    first_item_rate = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    additional_item_rate = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    # [{"up_to_grams": 500, "rate": "4.99"}, …] ascending; heavier than the last tier pays the last.
    weight_tiers = models.JSONField(default=list, blank=True)
    min_days = models.PositiveSmallIntegerField(default=2)
    max_days = models.PositiveSmallIntegerField(default=5)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
