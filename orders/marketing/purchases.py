"""What a buyer's order took from a promotion: the one shape of OrderPromotion and LiveSale.

Both are counted "per buyer" (coupon uses, LIVE units), so both keep the buyer's mailbox as
``buyer_identity(email)`` gives it, and both are read back in the order they were written.
"""

from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from shops.models import Shop


class BuyerPurchase(models.Model):
    """A shop's record of what one buyer's order received and for how much."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    # buyer_identity(email): buyers have no accounts, so "per buyer" means per mailbox, however
    # the address is written (case, +tags, Gmail's dots): victim+2@… cannot walk round a limit.
    buyer_email = models.CharField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        abstract = True
        app_label = "orders"
        ordering = ["id"]
