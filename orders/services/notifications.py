"""Emails to buyers. Buyers have no accounts: each email carries the signed link to their
order page (``orders.buyer_links.buyer_order_token``)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from common.mail import claimable, stable_message_id
from common.policy import POLICY
from orders.buyer_links import buyer_order_token
from orders.models import Order
from orders.tasks import send_order_confirmation_task
from shops.models import Shop

# A claim older than this belongs to a sender that died: the email may be sent again.
CONFIRMATION_CLAIM_STALE_AFTER = timedelta(minutes=10)


def buyer_order_url(order: Order, *, shop: Shop) -> str:
    """The absolute link to the buyer's order page."""
    path = reverse(
        "store:buyer_order", kwargs={"store_slug": shop.slug, "token": buyer_order_token(order)}
    )
    return settings.PUBLIC_SITE_URL.rstrip("/") + path


def order_confirmation_send(*, shop: Shop, order_id: int) -> bool:
    """Send the order's confirmation email unless it was sent or another sender holds it.

    The order row is the outbox: the sender claims it with one conditional UPDATE (so two
    tasks for the same order — a redelivery racing the original — send one email), marks it
    sent after the mail server accepted it, and gives the claim back if sending failed so the
    retry can send. A sender killed between sending and marking leaves a claim that expires
    after ``CONFIRMATION_CLAIM_STALE_AFTER``: at least once, never silently lost.
    """
    now = timezone.now()
    with scope(shop=shop):
        claimed = (
            Order.objects.filter(shop=shop, pk=order_id, confirmation_sent_at__isnull=True)
            .filter(
                claimable(
                    "confirmation_claimed_at", now=now, stale_after=CONFIRMATION_CLAIM_STALE_AFTER
                )
            )
            .update(confirmation_claimed_at=now)
        )
        if not claimed:
            return False
        order = Order.objects.get(shop=shop, pk=order_id)
        try:
            context = {
                "order": order,
                "shop": shop,
                "lines": list(order.lines.all()),
                "url": buyer_order_url(order, shop=shop),
            }
            EmailMessage(
                subject=f"Your order {order.number} from {shop.name}",
                body=render_to_string("orders/email/order_confirmation.txt", context),
                to=[order.buyer_email],
                headers={"Message-ID": stable_message_id("order-confirmation", order.pk)},
            ).send()
        except BaseException:
            Order.objects.filter(shop=shop, pk=order_id).update(confirmation_claimed_at=None)
            raise
        Order.objects.filter(shop=shop, pk=order_id).update(confirmation_sent_at=timezone.now())
        return True


def order_confirmations_redeliver(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Queue again the confirmations still pending some minutes after their order was placed
    — their task was lost with the broker (a Redis restart without persistence) or is failing.
    Orders older than the redelivery window are left alone. Returns how many were queued."""
    now = now or timezone.now()
    with scopes_disabled():
        pending = list(
            Order.objects.filter(
                confirmation_sent_at__isnull=True,
                placed_at__lte=now - timedelta(minutes=POLICY.confirmation_redeliver_after_minutes),
                placed_at__gt=now - timedelta(hours=POLICY.confirmation_redeliver_window_hours),
            )
            .filter(
                claimable(
                    "confirmation_claimed_at", now=now, stale_after=CONFIRMATION_CLAIM_STALE_AFTER
                )
            )
            .order_by("placed_at")
            .values_list("pk", "shop_id")[:limit]
        )
    for order_id, shop_id in pending:
        send_order_confirmation_task.delay(shop_id=shop_id, order_id=order_id)
    return len(pending)
