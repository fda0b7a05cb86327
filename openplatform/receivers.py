"""Order changes become webhook events, written inside the change's transaction."""

from django.dispatch import receiver

from orders.signals import order_status_changing


@receiver(order_status_changing, dispatch_uid="openplatform.order_status_event")
def order_status_event(sender, *, shop, order, from_status, to_status, **kwargs):
    from openplatform.webhooks.events import event_record

    event_record(
        shop=shop,
        event_type="order.status_changed",
        data={
            "order_id": order.pk, "number": order.number,
            "from_status": from_status, "to_status": to_status,
        },
    )  # fmt: skip
