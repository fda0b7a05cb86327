"""Events and their outbox: ``events_record`` writes one delivery row per subscribed endpoint in
the caller's transaction and queues the sender after commit, so an event about a change that
rolled back is never sent, and a slow endpoint never holds up the change. A bulk change over
many shops (the inactivity sweep) first asks which of its shops have a subscription to the
event (``subscriptions_for``) and builds events for those shops only. One shop's active
subscriptions — what every checkout asks, inside its transaction — are a shared figure
(``shop_subscriptions``), forgotten whenever a subscription or its app changes."""

import secrets
from dataclasses import dataclass

from django.utils import timezone
from django_scopes import scopes_disabled

from common.figures import shop_figure, shop_figure_forget
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
class Subscriber:
    """What deciding a delivery needs of an active subscription (never its signing secret)."""

    id: int
    events: tuple[str, ...]
    scopes: tuple[str, ...]  # its app's


Subscriptions = dict[int, list[Subscriber]]  # shop id → its active subscriptions


@dataclass(frozen=True)
class Event:
    shop_id: int
    type: str
    data: dict


def events_record(events: list[Event], subscriptions: Subscriptions | None = None) -> int:
    """Queue each event for every active subscription of its shop that asked for it. One
    query finds the subscriptions of all the events' shops (a sweep's bulk move included):
    the events of any shop, read across shops on purpose; one shop's come from its figure.
    Returns the deliveries written."""
    from openplatform.tasks import webhook_deliver_task

    if not events:
        return 0
    if subscriptions is None:
        shop_ids = {e.shop_id for e in events}
        if len(shop_ids) == 1:
            (shop_id,) = shop_ids
            subscriptions = {shop_id: shop_subscriptions(shop_id)}
        else:
            subscriptions = _active(shop_ids)
    if not any(subscriptions.values()):
        return 0
    now = timezone.now()
    deliveries = [
        WebhookDelivery(
            shop_id=event.shop_id,
            subscription_id=s.id,
            message_id="msg_" + secrets.token_hex(12),
            event_type=event.type,
            payload={"type": event.type, "timestamp": now.isoformat(), "data": event.data},
            next_attempt_at=now,
        )
        for event in events
        for s in subscriptions.get(event.shop_id, [])
        if _wants(s, event.type)
    ]
    with scopes_disabled():
        WebhookDelivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        webhook_deliver_task.delay_on_commit(shop_id=delivery.shop_id, delivery_id=delivery.pk)
    return len(deliveries)


def subscriptions_for(event_type: str, shop_ids) -> Subscriptions:
    """The active subscriptions to ``event_type`` of these shops (``shop_ids``: ids or a
    subquery of them, so a sweep's thousands of shops stay in the database)."""
    subscriptions = _active(shop_ids)
    return {
        shop_id: wanted
        for shop_id, subs in subscriptions.items()
        if (wanted := [s for s in subs if _wants(s, event_type)])
    }


SUBSCRIPTIONS_FIGURE = "webhook-subscriptions"


def shop_subscriptions(shop_id: int) -> list[Subscriber]:
    """The shop's active subscriptions: one cache read."""
    return shop_figure(
        shop_id, SUBSCRIPTIONS_FIGURE, lambda: _active([shop_id]).get(shop_id, [])
    ).value


def shop_subscriptions_forget(shop_id: int) -> None:
    shop_figure_forget(shop_id, SUBSCRIPTIONS_FIGURE, also_now=True)


def _active(shop_ids) -> Subscriptions:
    found: Subscriptions = {}
    with scopes_disabled():
        rows = WebhookSubscription.objects.filter(
            shop_id__in=shop_ids, disabled_at__isnull=True, app__revoked_at__isnull=True
        ).values_list("pk", "shop_id", "events", "app__scopes")
        for pk, shop_id, events, scopes in rows:
            found.setdefault(shop_id, []).append(Subscriber(pk, tuple(events), tuple(scopes)))
    return found


def _wants(subscription: Subscriber, event_type: str) -> bool:
    return event_type in subscription.events and EVENTS[event_type] in subscription.scopes
