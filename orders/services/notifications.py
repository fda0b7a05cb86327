"""Emails to buyers. Buyers have no accounts: each email carries the signed link to their
order page (``orders.buyer_links.buyer_order_token``)."""

import logging
import threading
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from kombu.exceptions import KombuError

from common.mail import claimable, stable_message_id
from common.policy import POLICY
from orders.buyer_links import buyer_order_token
from orders.models import Order
from orders.tasks import send_order_confirmation_task, send_pending_order_confirmations_task
from shops.models import Shop

logger = logging.getLogger(__name__)

# A claim older than this belongs to a sender that died: the email may be sent again.
CONFIRMATION_CLAIM_STALE_AFTER = timedelta(minutes=10)
# The pending confirmations are sent this long after the order that asked for it (the nudge)...
NUDGE_DELAY_SECONDS = 1.0
# ...and the orders this web process places within this long of that one ride along.
NUDGE_RIDE_SECONDS = 0.5
# What one run of the pending sender sends at most; a fuller queue runs it again.
PENDING_BATCH = 500

_nudge_lock = threading.Lock()
_nudged_until = 0.0


def buyer_order_url(order: Order, *, shop: Shop) -> str:
    """The absolute link to the buyer's order page."""
    path = reverse(
        "store:buyer_order", kwargs={"store_slug": shop.slug, "token": buyer_order_token(order)}
    )
    return settings.PUBLIC_SITE_URL.rstrip("/") + path


def order_confirmation_send(*, shop: Shop, order_id: int, mailer=None) -> bool:
    """Send the order's confirmation email unless it was sent or another sender holds it
    (``mailer``: an open connection of ``mailers.default`` to send it over, else its own).

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
            message = EmailMessage(
                subject=f"Your order {order.number} from {shop.name}",
                body=render_to_string("orders/email/order_confirmation.txt", context),
                to=[order.buyer_email],
                headers={"Message-ID": stable_message_id("order-confirmation", order.pk)},
            )
            if mailer is None:
                message.send()
            else:
                mailer.send_messages([message])
        except BaseException:
            Order.objects.filter(shop=shop, pk=order_id).update(confirmation_claimed_at=None)
            raise
        Order.objects.filter(shop=shop, pk=order_id).update(confirmation_sent_at=timezone.now())
        return True


def order_confirmations_nudge() -> None:
    """Have the pending confirmations sent in a moment (checkout calls this once its order has
    committed). One broker message serves every order this process places in the next
    ``NUDGE_RIDE_SECONDS``, where a LIVE sale placing hundreds of orders a second would send a
    message an order: the sender runs ``NUDGE_DELAY_SECONDS`` after the first, when each order
    that rode along has committed (its nudge came after its commit) with half a second to
    spare. Where tasks run inline (tests) the sender has already run, so nothing rides along.
    If the broker is down, the redelivery (beat) sends them some minutes later."""
    global _nudged_until
    now = time.monotonic()
    with _nudge_lock:
        if now < _nudged_until:
            return
        _nudged_until = now + NUDGE_RIDE_SECONDS
    try:
        send_pending_order_confirmations_task.apply_async(countdown=NUDGE_DELAY_SECONDS)
    except KombuError:
        _nudged_until = 0.0  # the next order tries again
        # The order is committed and paid: answer with it, not a 500 that hides it from the
        # buyer. make chaos restarts Redis under load and meets this.
        logger.exception("Order confirmations could not be queued (the redelivery will)")
        return
    if send_pending_order_confirmations_task.app.conf.task_always_eager:
        _nudged_until = 0.0


def order_confirmations_send_pending(*, now: datetime | None = None) -> int:
    """Send the confirmations still pending, oldest first: the orders the nudges stand for,
    and any an earlier run could not send. A claimed one is another sender's. Each is sent in
    its shop's scope, over one mail server connection; a failure leaves it and the rest pending
    for the next run or the redelivery. Returns how many were sent."""
    now = now or timezone.now()
    since = now - timedelta(hours=POLICY.confirmation_redeliver_window_hours)
    with scopes_disabled():
        pending = list(
            Order.objects.filter(confirmation_sent_at__isnull=True, placed_at__gt=since)
            .filter(
                claimable(
                    "confirmation_claimed_at", now=now, stale_after=CONFIRMATION_CLAIM_STALE_AFTER
                )
            )
            .order_by("placed_at")
            .values_list("pk", "shop_id")[:PENDING_BATCH]
        )
        shops = Shop.objects.in_bulk({shop_id for _, shop_id in pending})
    if not pending:
        return 0
    sent = 0
    try:
        # One mail server connection for the batch: a LIVE sale's burst is hundreds of emails.
        with mailers.default as mailer:
            for order_id, shop_id in pending:
                sent += order_confirmation_send(
                    shop=shops[shop_id], order_id=order_id, mailer=mailer
                )
    except OSError:
        # The mail server is down or dropped us: the rest wait for the next run or the
        # redelivery (each one's claim was given back).
        logger.exception("Order confirmations: %s sent, the rest are still pending", sent)
        return sent
    if len(pending) == PENDING_BATCH:
        send_pending_order_confirmations_task.delay()
    return sent


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
