"""Finance (SPEC §7): commission rates, the ledger, settlements and withdrawals.

These models keep ``app_label = "orders"``: their tables, migrations, content types and
permission codenames stay in the orders app's history, so moving the code here moved no data.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from accounts.models import AuditEvent
from catalog.models import Category
from common.money import format_money
from orders.models.orders import Order
from orders.returns.models import ReturnRequest
from shops.models import Shop


class CommissionRate(models.Model):
    """The platform's commission table, kept by finance staff in the admin (not shop-owned).

    A blank region or an empty category matches any; the most specific row wins, and with no
    row at all POLICY.commission_default_rate applies.
    """

    region = models.CharField(max_length=2, blank=True, help_text="Blank: every region.")
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty: every category.",
    )
    rate = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="0.0800 means 8%.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "orders"
        ordering = ["region", "category__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "category"],
                condition=models.Q(category__isnull=False),
                name="commission_rate_unique_region_category",
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=models.Q(category__isnull=True),
                name="commission_rate_unique_region_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region or 'any region'} · {self.category or 'any category'}: {self.rate:%}"


class OrderSettlement(models.Model):
    """What a completed order earned the shop, frozen at completion.

    The commission is computed once, with the rates in force then, and stored here: later rate
    changes never rewrite it. ``available_at`` is when the hold ends; ``settled_at`` when the
    settlement task moved the order's pending money into available.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="settlement")
    gross = models.DecimalField(max_digits=12, decimal_places=2)
    commission_base = models.DecimalField(max_digits=12, decimal_places=2)
    commission = models.DecimalField(max_digits=12, decimal_places=2)
    commission_detail = models.JSONField(default=list, help_text="Per line: base, rate, amount.")
    completed_at = models.DateTimeField()
    available_at = models.DateTimeField()
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        app_label = "orders"
        ordering = ["-completed_at", "-id"]
        indexes = [models.Index(fields=["settled_at", "available_at"])]

    def __str__(self) -> str:
        return f"Settlement of order {self.order_id}"


class Withdrawal(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed"

    # Enforced by common.transitions; the history of a payout is its audit trail.
    ALLOWED: dict[str, set[str]] = {
        Status.REQUESTED: {Status.PAID, Status.FAILED},
        Status.PAID: set(),
        Status.FAILED: set(),
    }

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    bank_account_label = models.CharField(
        max_length=100, help_text="The verified account, masked, at the time of the request."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    failure_reason = models.TextField(blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        app_label = "orders"
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Withdrawal #{self.pk} of {format_money(self.amount)}"

    def history_row(self, *, from_status: str, to_status: str, actor=None):
        return AuditEvent.entry(
            actor=actor,
            action=f"finance.withdrawal_{to_status}",
            shop=self.shop_id,
            target=self,
            changes={"status": (from_status, to_status)},
        )


class LedgerEntry(models.Model):
    """One movement of the shop's money. Balances are sums of these rows, never stored numbers.

    ``bucket`` says which balance the row counts toward: a sale, its commission and refunds
    before settlement sit in *pending*; a settlement moves an order's pending sum into
    *available* (one row out of pending, one into available); withdrawals draw on available.
    Rows are never updated or deleted; corrections are new rows (adjustments).
    """

    class Kind(models.TextChoices):
        SALE = "sale", "Sale"
        COMMISSION = "commission", "Commission"
        REFUND = "refund", "Refund"
        ADJUSTMENT = "adjustment", "Adjustment"
        WITHDRAWAL = "withdrawal", "Withdrawal"
        SETTLEMENT = "settlement", "Settlement"

    class Bucket(models.TextChoices):
        PENDING = "pending", "Pending"
        AVAILABLE = "available", "Available"

    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    bucket = models.CharField(max_length=16, choices=Bucket.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text="Signed.")
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_request = models.ForeignKey(
        ReturnRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal = models.ForeignKey(
        Withdrawal, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    memo = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(
        null=True, blank=True, help_text="For pending sale rows: when the hold ends."
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(shop="shop")

    class Meta:
        app_label = "orders"
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(fields=["shop", "bucket"]),
            models.Index(fields=["shop", "created_at"]),
            models.Index(fields=["shop", "order"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.bucket})"
