"""LIVE selling: a session, the products pinned to it, its status history and what it sold.

A session is scheduled (title, start, expected length), then started, paused and ended through
``common.transitions``. Pinned products sell at their live price (never above the regular price)
only while the session is live; each pin may cap the units the live sells (``allocation``,
taken with a conditional UPDATE of ``sold`` at checkout) and the units one buyer may buy.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_scopes import ScopedManager

from catalog.models import Product
from orders.marketing.purchases import BuyerPurchase
from orders.models.orders import Order, StatusChange
from shops.models import Shop

CENT = Decimal("0.01")


class LiveSession(models.Model):
    """A live-stream selling session. Orders it brings carry traffic source "live"."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        LIVE = "live", "Live"
        PAUSED = "paused", "Paused"
        ENDED = "ended", "Ended"

    ALLOWED = {
        Status.SCHEDULED: {Status.LIVE, Status.ENDED},
        Status.LIVE: {Status.PAUSED, Status.ENDED},
        Status.PAUSED: {Status.LIVE, Status.ENDED},
        Status.ENDED: set(),
    }
    RUNNING = (Status.LIVE,)  # live prices, allocations and limits hold only then
    OPEN = (Status.SCHEDULED, Status.LIVE, Status.PAUSED)
    UNDERWAY = (Status.LIVE, Status.PAUSED)  # started and not ended

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    starts_at = models.DateTimeField("scheduled start")
    expected_minutes = models.PositiveIntegerField("expected length (minutes)", default=60)
    # Set when it first goes live; a session cancelled before that never counts as held.
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    peak_viewers = models.PositiveIntegerField(default=0)
    total_viewers = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        app_label = "orders"
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["shop", "-started_at"]),
            models.Index(fields=["status", "starts_at"], name="livesession_status_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_minutes__gt=0), name="livesession_length_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def history_row(self, **change) -> "LiveSessionStatusChange":
        return LiveSessionStatusChange(shop_id=self.shop_id, session=self, **change)

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    def window(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        """When the session holds its pinned products: from its (actual or planned) start to its
        end, or its planned end — later, while it is still open past it."""
        start = self.started_at or self.starts_at
        if self.ended_at is not None:
            return start, self.ended_at
        end = start + timedelta(minutes=self.expected_minutes)
        if self.status in self.UNDERWAY:
            end = max(end, now or timezone.now())
        return start, end


class LiveSessionStatusChange(StatusChange):
    """The session's history: scheduled → live ⇄ paused → ended, who and when."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="history")

    class Meta(StatusChange.Meta):
        app_label = "orders"


class LivePin(models.Model):
    """A product pinned to a session, with its live-only price, allocation and buyer limit."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="pins")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    live_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    allocation = models.PositiveIntegerField(null=True, blank=True, help_text="Units for the live.")
    per_buyer_limit = models.PositiveIntegerField(null=True, blank=True)
    sold = models.PositiveIntegerField(default=0)  # taken by checkout, never by a form
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        app_label = "orders"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "product"], name="livepin_once_per_session"),
            models.CheckConstraint(
                condition=Q(live_price__isnull=True) | Q(live_price__gte=CENT),
                name="livepin_price_positive",
            ),
            models.CheckConstraint(
                condition=Q(allocation__isnull=True) | Q(allocation__gt=0),
                name="livepin_allocation_positive",
            ),
            models.CheckConstraint(
                condition=Q(per_buyer_limit__isnull=True) | Q(per_buyer_limit__gt=0),
                name="livepin_limit_positive",
            ),
            # The backstop behind checkout's conditional UPDATE.
            models.CheckConstraint(
                condition=Q(allocation__isnull=True) | Q(sold__lte=F("allocation")),
                name="livepin_sold_within_allocation",
            ),
        ]
        indexes = [models.Index(fields=["shop", "product"], name="livepin_product")]

    def __str__(self) -> str:
        return f"{self.product} in {self.session}"

    @property
    def remaining(self) -> int | None:
        return None if self.allocation is None else max(self.allocation - self.sold, 0)

    @property
    def sold_out(self) -> bool:
        return self.allocation is not None and self.sold >= self.allocation


class LiveSale(BuyerPurchase):
    """Units of a pinned product one order bought during a session: the dashboard's figures and
    the per-buyer count. Written in the checkout's transaction, before the pin is locked."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="sales")
    pin = models.ForeignKey(LivePin, on_delete=models.CASCADE, related_name="sales")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    # amount (what the units sold for), buyer_email (the per-buyer LIVE limit), created_at:
    # BuyerPurchase

    class Meta(BuyerPurchase.Meta):
        indexes = [
            models.Index(fields=["pin", "buyer_email"], name="livesale_pin_buyer"),
            models.Index(fields=["session", "created_at"], name="livesale_session_time"),
        ]
