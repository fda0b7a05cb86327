"""Changes become webhook events, written inside the change's transaction: status moves of
orders, products and returns (common.transitions.status_moved), a new order (checkout), a SKU
crossing into low or out of stock (the stock alerts) and the inactivity sweep's stages. A
subscription or an app that changes forgets the shop's subscriptions figure."""

from django.dispatch import receiver
from django_scopes import scopes_disabled

from catalog.models import Product
from catalog.signals import stock_alerts_opened
from common.figures import forget_on_change
from common.transitions import status_moved
from lifecycle.signals import inactivity_stages_reached
from openplatform.models import ShopApp, WebhookSubscription
from openplatform.webhooks.events import (
    Event,
    events_record,
    shop_subscriptions_forget,
    subscriptions_for,
)
from orders.models import Order
from orders.returns.models import ReturnRequest
from orders.signals import order_placed

EVENT_OF = {
    Order: "order.status_changed",
    Product: "product.status_changed",
    ReturnRequest: "return.status_changed",
}
STAGE_CHANGED = "shop.inactivity_stage_changed"


@receiver(status_moved, dispatch_uid="openplatform.status_events")
def status_events(sender, *, moved, to, **kwargs):
    event_type = EVENT_OF.get(sender)
    if event_type is None:
        return
    events_record(
        [
            Event(
                shop_id=row.shop_id,
                type=event_type,
                data={"id": row.pk, "from_status": before, "to_status": to}
                | ({"number": row.number} if sender is Order else {}),
            )
            for row, before in moved
        ]
    )


@receiver(order_placed, dispatch_uid="openplatform.order_created")
def order_created_event(sender, *, shop, order, **kwargs):
    data = {
        "id": order.pk, "number": order.number, "status": order.status,
        "total": str(order.total), "currency": order.currency,
        "placed_at": order.placed_at.isoformat(),
    }  # fmt: skip
    events_record([Event(shop_id=shop.pk, type="order.created", data=data)])


@receiver(stock_alerts_opened, dispatch_uid="openplatform.stock_low")
def stock_low_events(sender, *, shop, alerts, **kwargs):
    events_record(
        [
            Event(
                shop_id=shop.pk,
                type="stock.low",
                data={"sku_id": a.sku_id, "level": a.kind, "available": a.available},
            )
            for a in alerts
        ]
    )


@receiver(inactivity_stages_reached, dispatch_uid="openplatform.inactivity_stage")
def inactivity_stage_events(sender, *, run, notices, **kwargs):
    """One event per shop the sweep moved, for the few shops subscribed: two reads and one
    INSERT whatever the number of shops moved."""
    subscriptions = subscriptions_for(STAGE_CHANGED, notices.values("shop_id"))
    if not subscriptions:
        return
    with scopes_disabled():
        reached = notices.filter(shop_id__in=list(subscriptions)).values_list("shop_id", "stage")
        events = [
            Event(
                shop_id=shop_id,
                type=STAGE_CHANGED,
                data={"stage": stage, "on_date": run.run_date.isoformat()},
            )
            for shop_id, stage in reached.order_by("shop_id", "pk")
        ]
    events_record(events, subscriptions)


# Subscribed, disabled, deleted, or its app revoked or given other scopes.
forget_on_change(
    WebhookSubscription, ShopApp, forget=shop_subscriptions_forget, uid="openplatform.subscriptions"
)
