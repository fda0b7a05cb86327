"""Events and their outbox: ``events_record`` writes one delivery row per subscribed endpoint in
the caller's transaction and queues the sender after commit, so an event about a change that
rolled back is never sent, and a slow endpoint never holds up the change."""

import secrets
from dataclasses import dataclass

from django.utils import timezone
from django_scopes import scopes_disabled

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


@dataclass(frozen=True)
class Event:
    shop_id: int
    type: str
    data: dict


def events_record(events: list[Event]) -> int:
    """Queue each event for every active subscription of its shop that asked for it. One
    query finds the subscriptions of all the events' shops (a sweep's bulk move included):
    the events of any shop, read across shops on purpose. Returns the deliveries written."""
    from openplatform.tasks import webhook_deliver_task

    if not events:
        return 0
    with scopes_disabled():
        subscriptions: dict[int, list[WebhookSubscription]] = {}
        for s in WebhookSubscription.objects.filter(
            shop_id__in={e.shop_id for e in events},
            disabled_at__isnull=True,
            app__revoked_at__isnull=True,
        ).select_related("app"):
            subscriptions.setdefault(s.shop_id, []).append(s)
        if not subscriptions:
            return 0
        now = timezone.now()
        deliveries = [
            WebhookDelivery(
                shop_id=event.shop_id,
                subscription=s,
                message_id="msg_" + secrets.token_hex(12),
                event_type=event.type,
                payload={"type": event.type, "timestamp": now.isoformat(), "data": event.data},
                next_attempt_at=now,
            )
            for event in events
            for s in subscriptions.get(event.shop_id, [])
            if event.type in s.events and EVENTS[event.type] in s.app.scopes
        ]
        WebhookDelivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        webhook_deliver_task.delay_on_commit(shop_id=delivery.shop_id, delivery_id=delivery.pk)
    return len(deliveries)
