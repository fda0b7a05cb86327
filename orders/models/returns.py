from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from orders.models.orders import Order, OrderLine
from shops.models import Shop


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

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="returns")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.REQUESTED)
    reason = models.CharField(max_length=100)
    note = models.TextField(blank=True)
    refund_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-requested_at", "-id"]
