"""Order tasks: take ids, call services; idempotent (services re-check state under locks)."""

from celery import shared_task

from shops.models import Shop
from shops.tasking import ShopTask


@shared_task(base=ShopTask, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_order_confirmation_task(*, shop: Shop, order_id: int) -> None:
    from orders.services.notifications import order_confirmation_send

    order_confirmation_send(shop=shop, order_id=order_id)


@shared_task
def send_pending_order_confirmations_task() -> int:
    from orders.services.notifications import order_confirmations_send_pending

    return order_confirmations_send_pending()


@shared_task
def redeliver_order_confirmations_task() -> int:
    from orders.services.notifications import order_confirmations_redeliver

    return order_confirmations_redeliver()


@shared_task
def accept_unanswered_cancel_requests_task() -> int:
    from orders.services.fulfillment.cancel import accept_unanswered_cancel_requests

    return accept_unanswered_cancel_requests()


@shared_task
def complete_delivered_orders_task() -> int:
    from orders.services.fulfillment.delivery import complete_delivered_orders

    return complete_delivered_orders()
