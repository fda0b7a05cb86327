"""Events and their outbox: ``event_record`` writes one delivery row per subscribed endpoint in
the caller's transaction and queues the sender after commit, so an event about a change that
rolled back is never sent, and a slow endpoint never holds up the change."""

import secrets

from django.utils import timezone

from openplatform.models import WebhookDelivery, WebhookSubscription
from openplatform.scopes import ORDERS_READ, PRODUCTS_READ, RETURNS_READ, STANDING_READ

# Event → the scope an app needs to receive it.
EVENTS: dict[str, str] = {
    "order.created": ORDERS_READ,
    "order.status_changed": ORDERS_READ,
    "product.status_changed": PRODUCTS_READ,
    "stock.low": PRODUCTS_READ,
    "return.status_changed": RETURNS_READ,
    "shop.inactivity_stage_changed": STANDING_READ,
}


def event_record(*, shop, event_type: str, data: dict) -> int:
    """Queue ``event_type`` for every active subscription of this shop that asked for it."""
    from openplatform.tasks import webhook_deliver_task

    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(
            shop=shop, disabled_at__isnull=True, app__revoked_at__isnull=True
        ).select_related("app")
        if event_type in s.events and EVENTS[event_type] in s.app.scopes
    ]
    now = timezone.now()
    for subscription in subscriptions:
        delivery = WebhookDelivery.objects.create(
            shop=shop,
            subscription=subscription,
            message_id="msg_" + secrets.token_hex(12),
            event_type=event_type,
            payload={"type": event_type, "timestamp": now.isoformat(), "data": data},
            next_attempt_at=now,
        )
        webhook_deliver_task.delay_on_commit(shop_id=shop.pk, delivery_id=delivery.pk)
    return len(subscriptions)
