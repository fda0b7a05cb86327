"""Buyer conversations and messages (SPEC §6).

These models keep ``app_label = "orders"``: their tables, migrations, content types and
permission codenames stay in the orders app's history, so moving the code here moved no data.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from catalog.models import Product
from common.policy import POLICY
from orders.models.orders import Order
from shops.models import Shop


class Conversation(models.Model):
    """A buyer's thread with the shop, about an order or a product."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    buyer_name = models.CharField(max_length=150)
    buyer_email = models.EmailField()
    resolved = models.BooleanField(default=False)
    # Buyer messages sent after this are "unread" for the seller.
    seller_read_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        app_label = "orders"
        ordering = ["-last_message_at", "-id"]


class Message(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    from_buyer = models.BooleanField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=POLICY.message_max_chars)
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(
        null=True, blank=True, help_text="For buyer messages: when the shop first replied."
    )

    objects = ScopedManager(shop="shop")

    class Meta:
        app_label = "orders"
        ordering = ["sent_at", "id"]
        indexes = [
            models.Index(fields=["shop", "from_buyer", "sent_at"]),
            # Home's to-do "messages waiting": the (shop, from_buyer, sent_at) index walks every
            # answered message since the shop opened before finding the unanswered ones.
            models.Index(
                fields=["shop", "sent_at"],
                condition=models.Q(from_buyer=True, answered_at__isnull=True),
                name="message_waiting_due",
            ),
        ]
