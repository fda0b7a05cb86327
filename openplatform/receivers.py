"""Status changes of orders, products and returns become webhook events, written inside the
change's transaction (common.transitions.status_moved)."""

from django.dispatch import receiver

from catalog.models import Product
from common.transitions import status_moved
from orders.models import Order
from orders.returns.models import ReturnRequest

EVENT_OF = {
    Order: "order.status_changed",
    Product: "product.status_changed",
    ReturnRequest: "return.status_changed",
}


@receiver(status_moved, dispatch_uid="openplatform.status_events")
def status_events(sender, *, moved, to, **kwargs):
    event_type = EVENT_OF.get(sender)
    if event_type is None:
        return
    from openplatform.webhooks.events import Event, events_record

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
