from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from catalog.models import Product
from shops.models import Shop


class Visit(models.Model):
    """A storefront visit or product view, with its traffic source (for analytics)."""

    class Source(models.TextChoices):
        VIDEO = "video", "Video"
        LIVE = "live", "Live"
        SEARCH = "search", "Search"
        PRODUCT_CARD = "product_card", "Product card"
        EXTERNAL = "external", "External"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visitor_key = models.CharField(max_length=64)
    source = models.CharField(max_length=16, choices=Source.choices)
    occurred_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        indexes = [models.Index(fields=["shop", "occurred_at"])]
