from celery import shared_task
from django.utils import timezone
from django_scopes import scopes_disabled

from shops.tasking import ShopTask


@shared_task(base=ShopTask, acks_late=True)
def webhook_deliver_task(*, shop, delivery_id: int) -> str:
    from openplatform.webhooks.delivery import webhook_deliver

    return webhook_deliver(shop=shop, delivery_id=delivery_id)


@shared_task(acks_late=True)
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
