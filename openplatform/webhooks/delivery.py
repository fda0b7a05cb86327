"""Sending one delivery: sign (webhook-id, webhook-timestamp, webhook-signature), POST with a
short timeout, log the answer; a failure waits with exponential backoff, for up to
``WEBHOOK_RETRY_FOR``; then the delivery fails, and after ``WEBHOOK_DISABLE_AFTER`` failed
deliveries in a row the subscription is disabled and the owners are emailed."""

import json
import time
from datetime import timedelta

import requests
from django.db.models import F
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from common.errors import BadInput
from common.mail import claimable
from common.outbound import target_check
from openplatform.models import WebhookDelivery, WebhookSubscription
from openplatform.webhooks.events import shop_subscriptions_forget
from shops.notifications import email_shop_owners

TIMEOUT_SECONDS = 5
FIRST_RETRY = timedelta(seconds=30)
WEBHOOK_RETRY_FOR = timedelta(days=3)
WEBHOOK_DISABLE_AFTER = 5  # failed deliveries in a row
CLAIM_STALE_AFTER = timedelta(minutes=2)
Status = WebhookDelivery.Status


def webhook_deliver(*, shop, delivery_id: int) -> str:
    """Try one delivery now, unless it is done, not due, or another sender holds it."""
    now = timezone.now()
    claimed = (
        WebhookDelivery.objects.filter(shop=shop, pk=delivery_id, status=Status.PENDING)
        .filter(claimable("claimed_at", now=now, stale_after=CLAIM_STALE_AFTER))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    body = json.dumps(delivery.payload, separators=(",", ":"))
    started = time.monotonic()
    code, error = None, ""
    try:
        if subscription.disabled_at:
            raise BadInput("The subscription is disabled.")
        target_check(subscription.url)
        headers = signed_headers(subscription.secret, delivery.message_id, body)
        response = requests.post(
            subscription.url, data=body.encode(), headers=headers,
            timeout=TIMEOUT_SECONDS, allow_redirects=False,
        )  # fmt: skip
        code = response.status_code
        if not 200 <= code < 300:
            error = f"HTTP {code}"
    except BadInput as refused:
        error = refused.message
    except requests.RequestException as failure:
        error = f"{type(failure).__name__}: {failure}"
    duration = int((time.monotonic() - started) * 1000)
    fields = {
        "last_status_code": code, "last_duration_ms": duration,
        "last_error": error[:300], "claimed_at": None,
    }  # fmt: skip
    if not error:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=Status.DELIVERED, delivered_at=timezone.now(), next_attempt_at=None, **fields
        )
        WebhookSubscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        return "delivered"
    retry_at = timezone.now() + FIRST_RETRY * 2 ** (delivery.attempts - 1)
    if retry_at - delivery.created_at <= WEBHOOK_RETRY_FOR and not subscription.disabled_at:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=retry_at, **fields)
        return "retry"
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=Status.FAILED, next_attempt_at=None, **fields
    )
    _failed(subscription)
    return "failed"


def signed_headers(secret: str, message_id: str, body: str) -> dict[str, str]:
    at = timezone.now()
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
        "user-agent": "SellerCenter-Webhooks/1",
    }


def webhook_redeliver(*, shop, delivery_id: int) -> WebhookDelivery:
    """Send a delivery again (Redeliver): queued for a new attempt now, whatever happened
    before (a worker sends it: a slow endpoint never holds up the page or the API call)."""
    from openplatform.tasks import webhook_deliver_task

    WebhookDelivery.objects.filter(shop=shop, pk=delivery_id).update(
        status=Status.PENDING, next_attempt_at=timezone.now(), claimed_at=None
    )
    webhook_deliver_task.delay_on_commit(shop_id=shop.pk, delivery_id=delivery_id)
    return WebhookDelivery.objects.get(shop=shop, pk=delivery_id)


def _failed(subscription: WebhookSubscription) -> None:
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    subscription.refresh_from_db()
    if subscription.consecutive_failures >= WEBHOOK_DISABLE_AFTER and not subscription.disabled_at:
        WebhookSubscription.objects.filter(pk=subscription.pk).update(disabled_at=timezone.now())
        shop_subscriptions_forget(subscription.shop_id)  # an UPDATE sends no post_save
        email_shop_owners(
            shop=subscription.shop,
            subject=f"Webhook disabled: {subscription.url}",
            body=(
                f"Deliveries to {subscription.url} for “{subscription.app.name}” kept failing, "
                "so we stopped sending them. Fix the endpoint, then subscribe again."
            ),
            key=f"webhook-disabled:{subscription.pk}",
        )
