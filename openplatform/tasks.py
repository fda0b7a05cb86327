from celery import shared_task
from django.utils import timezone
from django_scopes import scopes_disabled

from shops.tasking import ShopTask


@shared_task(base=ShopTask)
def webhook_deliver_task(*, shop, delivery_id: int) -> str:
    from openplatform.webhooks.delivery import webhook_deliver

    return webhook_deliver(shop=shop, delivery_id=delivery_id)


@shared_task
def webhooks_due_task(limit: int = 1000) -> int:
    """Beat: queue the deliveries whose retry time has come (across shops, said so)."""
    from openplatform.models import WebhookDelivery

    with scopes_disabled():
        due = list(
            WebhookDelivery.objects.filter(
                status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
            )
            .order_by("next_attempt_at")
            .values_list("shop_id", "pk")[:limit]
        )
    for shop_id, delivery_id in due:
        webhook_deliver_task.delay(shop_id=shop_id, delivery_id=delivery_id)
    return len(due)


@shared_task(base=ShopTask)
def inventory_sync_task(*, shop) -> str:
    from openplatform.sync.services import inventory_sync

    return inventory_sync(shop=shop)


@shared_task
def inventory_syncs_due_task() -> int:
    """Beat: one sync per connected store of a shop still open (across shops, said so)."""
    from openplatform.models import InventoryConnection
    from shops.models import Shop

    with scopes_disabled():
        shop_ids = list(
            InventoryConnection.objects.exclude(shop__status__in=Shop.CLOSED).values_list(
                "shop_id", flat=True
            )
        )
    for shop_id in shop_ids:
        inventory_sync_task.delay(shop_id=shop_id)
    return len(shop_ids)
