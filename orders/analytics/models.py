"""Daily rollups that Home and the analytics reports read instead of scanning orders.

These models keep ``app_label = "orders"``: their tables, migrations, content types and
permission codenames stay in the orders app's history, so moving the code here moved no data.
"""

from decimal import Decimal

from django.db import models
from django_scopes import ScopedManager

from shops.models import Shop


class DailyStats(models.Model):
    """What every daily rollup row holds: one shop, one platform calendar day, and that day's
    orders and revenue. ``rollup_rebuild`` rewrites all of them together, by shop and day, from
    the raw rows; Home and the reports read them, so their cost does not grow with the orders.

    A subclass adds what it breaks the day down by (if anything), its other numbers, and its
    unique constraint on (shop, day, and that key).
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    orders = models.PositiveIntegerField(default=0)
    revenue = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))

    objects = ScopedManager(shop="shop")

    class Meta:
        abstract = True
        app_label = "orders"


class DailyShopStats(DailyStats):
    """One shop's numbers for one platform calendar day: Home and the reports read these."""

    cancelled_orders = models.PositiveIntegerField(default=0)
    items_sold = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)
    page_views = models.PositiveIntegerField(default=0)
    returns = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(DailyStats.Meta):
        constraints = [
            models.UniqueConstraint(fields=["shop", "day"], name="dailyshopstats_unique_shop_day")
        ]
        ordering = ["shop", "day"]


class DailyProductStats(DailyStats):
    """One product's views and sales for one calendar day (best sellers, conversion)."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    views = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)

    class Meta(DailyStats.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "day", "product"], name="dailyproductstats_unique"
            )
        ]


class DailySourceStats(DailyStats):
    """Visits and orders per traffic source for one calendar day."""

    source = models.CharField(max_length=16)
    visits = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)

    class Meta(DailyStats.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "day", "source"], name="dailysourcestats_unique"
            )
        ]
