"""Returns and refunds (SPEC §7): return requests, their history and photos, the shop's policy,
and the derived rules (window, refundable cap, restocking fee, answer deadline).

These models keep ``app_label = "orders"``: their tables, migrations, content types and
permission codenames stay in the orders app's history, so moving the code here moved no data.
"""

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from common.clock import day_start, local_date
from common.files import private_storage  # also named here by migration 0006
from common.policy import POLICY
from orders.models.orders import Order, OrderLine, StatusChange
from shops.models import Shop

# The reasons a buyer picks from (stored as the label, so old rows stay readable).
RETURN_REASONS = [
    "Wrong size",
    "Damaged in transit",
    "Not as described",
    "Wrong item sent",
    "Defective or does not work",
    "No longer needed",
    "Other",
]


class ReturnRequest(models.Model):
    class Kind(models.TextChoices):
        RETURN_AND_REFUND = "return_and_refund", "Return and refund"
        REFUND_ONLY = "refund_only", "Refund only"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        BUYER_SHIPPED = "buyer_shipped", "Buyer shipped back"
        RECEIVED = "received", "Item received"
        REFUNDED = "refunded", "Refunded"
        RECEIPT_REJECTED = "receipt_rejected", "Receipt rejected"
        ESCALATED = "escalated", "Escalated to platform"
        CLOSED = "closed", "Closed (rejection upheld)"

    # SPEC §7: the single transition table; common.transitions enforces it (history:
    # ReturnStatusChange).
    ALLOWED: dict[str, set[str]] = {
        Status.REQUESTED: {Status.APPROVED, Status.REJECTED},
        Status.APPROVED: {Status.BUYER_SHIPPED, Status.REFUNDED},
        Status.REJECTED: set(),
        Status.BUYER_SHIPPED: {Status.RECEIVED, Status.RECEIPT_REJECTED},
        Status.RECEIVED: {Status.REFUNDED, Status.RECEIPT_REJECTED},
        Status.RECEIPT_REJECTED: {Status.ESCALATED},
        Status.ESCALATED: {Status.REFUNDED, Status.CLOSED},
        Status.REFUNDED: set(),
        Status.CLOSED: set(),
    }
    # States waiting for the seller (the returns count on Home and the to-do list).
    AWAITING_SELLER = (Status.REQUESTED, Status.BUYER_SHIPPED, Status.RECEIVED)

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="returns")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.REQUESTED)
    reason = models.CharField(max_length=100)
    note = models.TextField(blank=True)
    refund_amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="What the buyer got back: the refund granted minus any restocking fee.",
    )
    restocking_fee = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    requested_at = models.DateTimeField(default=timezone.now)
    # The seller's answer and the steps after it.
    rejection_reason = models.TextField(blank=True)
    return_carrier = models.CharField(max_length=32, blank=True)
    return_tracking = models.CharField(max_length=64, blank=True)
    restocked = models.BooleanField(null=True, blank=True)
    receipt_rejection_reason = models.TextField(blank=True)
    escalation_note = models.TextField(blank=True)
    staff_decision_note = models.TextField(blank=True)
    # Set once, by the beat task, when the seller is warned that auto-approval is near.
    warned_at = models.DateTimeField(null=True, blank=True)
    # Snapshot of the policy the request was opened under.
    return_shipping_paid_by = models.CharField(max_length=8, blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        app_label = "orders"
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One return per order line, whatever became of the first (SPEC §7 bad input).
            models.UniqueConstraint(fields=["line"], name="return_one_per_order_line"),
        ]
        indexes = [models.Index(fields=["shop", "status", "-requested_at"])]

    def __str__(self) -> str:
        return f"Return #{self.pk} for order {self.order.number}" if self.order_id else "Return"

    # The seller's time to answer (SPEC §7), in platform calendar days: a request made on day D
    # may be answered until the end of day D + POLICY.return_response_days, then it is
    # auto-approved.
    # Home's to-do, the returns pages, the seller emails and the auto-approve sweep read these.
    @property
    def answer_due_on(self) -> date:
        """The last calendar day (platform time zone) the seller may answer."""
        return local_date(self.requested_at) + timedelta(days=POLICY.return_response_days)

    @property
    def answer_by(self) -> datetime:
        """The instant the answer day ends: the request is overdue from then on."""
        return day_start(self.answer_due_on + timedelta(days=1))

    @staticmethod
    def answer_ended_if_requested_before(day: date) -> datetime:
        """Requests made before this instant are past their answer day when ``day`` begins."""
        return day_start(day - timedelta(days=POLICY.return_response_days))

    def history_row(self, **change) -> "ReturnStatusChange":
        return ReturnStatusChange(shop_id=self.shop_id, return_request=self, **change)


class ReturnStatusChange(StatusChange):
    """The return's history: every transition, who made it, and the note that came with it."""

    class ActorKind(models.TextChoices):
        SELLER = "seller", "Seller"
        BUYER = "buyer", "Buyer"
        SYSTEM = "system", "System"
        STAFF = "staff", "Platform staff"

    return_request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="history"
    )
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)

    class Meta(StatusChange.Meta):
        app_label = "orders"

    @property
    def to_status_label(self) -> str:
        return ReturnRequest.Status(self.to_status).label if self.to_status else ""


class ReturnPhoto(models.Model):
    """A photo the buyer attached to the request, or the seller to a rejected receipt."""

    class Stage(models.TextChoices):
        REQUEST = "request", "Buyer's request"
        RECEIPT = "receipt", "Seller's inspection"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    return_request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="photos"
    )
    stage = models.CharField(max_length=8, choices=Stage.choices)
    # Private storage: buyers' photos are served only through the seller view.
    image = models.FileField(storage=private_storage, upload_to="returns/%Y/%m/")
    content_type = models.CharField(max_length=32)
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        app_label = "orders"
        ordering = ["uploaded_at", "id"]


class ReturnPolicy(models.Model):
    """The shop's refund policy (SPEC §7). A shop without a row uses the platform defaults."""

    class ShippingPayer(models.TextChoices):
        BUYER = "buyer", "Buyer pays return shipping"
        SELLER = "seller", "Seller pays return shipping"

    class FeeKind(models.TextChoices):
        NONE = "none", "No restocking fee"
        PERCENT = "percent", "Percentage of the refund"
        FIXED = "fixed", "Fixed amount"

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="+")
    window_days = models.PositiveIntegerField(
        help_text="Days after delivery during which buyers may ask for a return."
    )
    return_shipping_paid_by = models.CharField(
        max_length=8, choices=ShippingPayer.choices, default=ShippingPayer.BUYER
    )
    refund_original_shipping = models.BooleanField(
        default=True, help_text="Refunds may include the item's share of the shipping paid."
    )
    restocking_fee_kind = models.CharField(
        max_length=8, choices=FeeKind.choices, default=FeeKind.NONE
    )
    restocking_fee_value = models.DecimalField(
        max_digits=10, decimal_places=2, default=0, help_text="Percent (0–100) or dollars."
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    # What the seller edits (the policy form and the service that saves and audits it).
    EDITABLE = (
        "window_days",
        "return_shipping_paid_by",
        "refund_original_shipping",
        "restocking_fee_kind",
        "restocking_fee_value",
    )

    class Meta:
        app_label = "orders"
        verbose_name_plural = "return policies"


CENT = Decimal("0.01")


def return_policy_for(shop: Shop) -> ReturnPolicy:
    """The shop's policy, or the platform defaults (unsaved) when the seller never set one."""
    found = ReturnPolicy.objects.filter(shop=shop).first()
    return found or ReturnPolicy(shop=shop, window_days=POLICY.return_window_days)


def return_window_last_day(order: Order, return_policy: ReturnPolicy) -> date | None:
    """The last calendar day (platform zone) a buyer may ask; None before delivery."""
    if order.delivered_at is None:
        return None
    return local_date(order.delivered_at) + timedelta(days=return_policy.window_days)


def line_paid(line: OrderLine, order: Order) -> Decimal:
    """What the buyer paid for the line: its total less its share of the order discount."""
    if not order.subtotal:
        return Decimal("0.00")
    share = (order.discount * line.line_total / order.subtotal).quantize(CENT, ROUND_HALF_UP)
    return max(line.line_total - share, Decimal("0.00"))


def refundable_cap(return_request: ReturnRequest, return_policy: ReturnPolicy) -> Decimal:
    """The most this return may refund: the line as paid, plus its share of shipping when the
    policy refunds shipping — and never more than what is left of the order's total."""
    order, line = return_request.order, return_request.line
    cap = line_paid(line, order)
    if return_policy.refund_original_shipping and order.subtotal:
        cap += (order.shipping_fee * line.line_total / order.subtotal).quantize(CENT, ROUND_HALF_UP)
    already = sum(
        (
            r.refund_amount or Decimal("0")
            for r in ReturnRequest.objects.filter(shop=order.shop_id, order=order).exclude(
                pk=return_request.pk
            )
        ),
        Decimal("0"),
    )
    return max(min(cap, order.total - already), Decimal("0.00"))


def restocking_fee(return_policy: ReturnPolicy, refund: Decimal) -> Decimal:
    """The policy's fee on a refund of ``refund`` — never above the refund itself."""
    kind = return_policy.restocking_fee_kind
    if kind == ReturnPolicy.FeeKind.PERCENT:
        fee = (refund * return_policy.restocking_fee_value / 100).quantize(CENT, ROUND_HALF_UP)
    elif kind == ReturnPolicy.FeeKind.FIXED:
        fee = return_policy.restocking_fee_value
    else:
        fee = Decimal("0.00")
    return min(max(fee, Decimal("0.00")), refund)
